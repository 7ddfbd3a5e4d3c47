export * from './settings.js';
export * from './config.js';
export * from './lifecycle.js';
export * from './plan.js';
export * from './checks.js';
export * from './stage-log.js';
export * from './traffic.js';
