// State handed from the main step to the `post:` safety net (GITHUB_STATE → STATE_<name>).
export const STATE = {
  taskArn: 'task-arn',
  cluster: 'cluster',
  /** Set once the main step knows the task is stopped (or has asked ECS to stop it). */
  stopped: 'task-stopped',
} as const;
