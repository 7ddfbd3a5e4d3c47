// Services under the CODE_DEPLOY deployment controller, deployed through CodeDeploy blue/green deployments.
export * from './options.js';
export * from './appspec.js';
export * from './assess.js';
export { deployOrSayWhatChanged } from './deploy.js';
export { parseCodeDeployInputs } from './parse-inputs.js';
