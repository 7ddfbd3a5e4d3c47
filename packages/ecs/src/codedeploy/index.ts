// Services under the CODE_DEPLOY deployment controller, deployed through CodeDeploy blue/green deployments.
export * from './options.js';
export * from './appspec.js';
export * from './assess.js';
export { deployOrSayWhatChanged, readDeploymentGroup } from './deploy.js';
export { parseAppSpecFile, parseCodeDeployInputs } from './parse-inputs.js';
