// Programmatic API of the sandbox.
export * from './core/module.js';
export { services } from './services.js';
