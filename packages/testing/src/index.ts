// @ecs-ship/testing: the harness that runs an action the way the runner does, and what it needs to know.
// Local servers, OCI fixtures, the docker test double, the local registry, IAM and secrets helpers have their own
// entry points (see package.json `exports`).
export * from './harness.js';
export { nodeChoice, nodeRuntime, type NodeChoice, type NodeRuntime } from './runtime.js';
export { parseCommand, parseEnvironmentFile } from './runner-protocol.js';
export { sandboxPerTest, type SandboxPerTest } from './sandboxes.js';
