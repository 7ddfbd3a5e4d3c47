// ECR for the suite. Light, SDK-free parts are also exported on their own (`@ecs-ship/ecr/names`,
// `@ecs-ship/ecr/docker`) so that an action can validate inputs and clean up without loading the AWS SDK.
export * from './reference.js';
export * from './errors.js';
export * from './auth.js';
export * from './repository.js';
export * from './images.js';
export * from './promote.js';
export * from './scan.js';
export * from './options.js';
export * from './build.js';
export * from './oci-layout.js';
export * from './distribution.js';
export * from './push-archive.js';
export * from './revision.js';
export * from './clients.js';
export * from './publish.js';
