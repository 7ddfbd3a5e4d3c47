// The light part of the kit: enough to read and reject inputs without loading anything heavy.
// Outputs and the job summary live in '@ecs-ship/action-kit/core'; zod support in '@ecs-ship/action-kit/zod'.
export * from './errors.js';
export * from './duration.js';
export * from './deadline.js';
export * from './inputs.js';
export * from './commands.js';
export * from './logger.js';
export * from './clock.js';
export * from './cancel.js';
export * from './markdown.js';
export * from './text.js';
export * from './heartbeat.js';
export * from './aws-console.js';
export * from './runner.js';
export * from './rules.js';
export * from './suggest.js';
