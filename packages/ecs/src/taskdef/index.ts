export * from './render.js';
export * from './compare.js';
export * from './file.js';
