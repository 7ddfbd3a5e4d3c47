export * from './service-plan.js';
export * from './markdown.js';
