// Message building is light (the action's input checks use it); delivery loads the HTTP client only when it sends.
export * from './status.js';
export * from './limits.js';
export * from './blocks.js';
export * from './mrkdwn.js';
export * from './mentions.js';
export * from './details.js';
export * from './run-context.js';
export * from './fit.js';
export * from './message.js';
export * from './payload-check.js';
export * from './explain.js';
export * from './delivery.js';
