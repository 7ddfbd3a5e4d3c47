/** The states a GitHub deployment status can take. */
export const DEPLOYMENT_STATES = [
  'success',
  'failure',
  'error',
  'in_progress',
  'queued',
  'pending',
  'inactive',
] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];
