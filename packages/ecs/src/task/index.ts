// The one-off task runner (run-migration-task and the release pipeline's migration step).
export * from './spec.js';
export * from './container.js';
export * from './task-definition.js';
export * from './run-task.js';
export * from './log-follower.js';
export * from './logs-clients.js';
export * from './outcome.js';
export * from './runner.js';
