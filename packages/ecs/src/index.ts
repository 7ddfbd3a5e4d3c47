// Task-definition rendering, the service-deployment engine (and its CodeDeploy path), the deploy plan and the one-off
// task runner.
export * from './taskdef/index.js';
export * from './deploy/index.js';
export * from './plan/index.js';
export * from './task/index.js';
export * from './diagnose/index.js';
export {
  codeDeployOptionsFor,
  controllerProblem,
  optionLabel,
  parseAppSpecFile,
  parseCodeDeployInputs,
  readDeploymentGroup,
  usesCodeDeploy,
  type CodeDeployOptions,
} from './codedeploy/index.js';
export * from './watch/index.js';
