export * from './snapshot.js';
export * from './snapshot-id.js';
