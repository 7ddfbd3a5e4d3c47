export * from './snapshot.js';
export * from './assess.js';
