// A whole release from a config file, driving the same packages as the single-purpose actions.
export * from './config.js';
export * from './rules.js';
export * from './report.js';
export * from './templates.js';
export * from './clients.js';
export * from './release.js';
export * from './summary.js';
