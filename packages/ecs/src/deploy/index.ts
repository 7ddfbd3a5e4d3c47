export * from './snapshot.js';
export * from './assess.js';
export * from './types.js';
export * from './observe.js';
export * from './prepare.js';
export * from './progress.js';
export * from './engine.js';
export * from './summary.js';
