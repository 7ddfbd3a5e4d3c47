export * from './render.js';
export * from './compare.js';
