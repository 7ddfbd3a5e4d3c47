import type { Logger } from '@ecs-ship/action-kit';
import { gitHubError, type GitHubClient, type Repository } from './github.js';

import type { DeploymentState } from './deployment-state.js';

/** Latest states of a deployment that still claims to run (or to be about to run) in its environment. */
const LIVE_STATES: ReadonlySet<string> = new Set(['success', 'in_progress', 'queued', 'pending']);

/** How many earlier deployments are looked at: older ones were made inactive by the runs in between. */
const EARLIER_LIMIT = 100;

export interface DeploymentRequest {
  environment: string;
  sha: string;
  tag: string;
  state: DeploymentState;
  environmentUrl?: string;
  /** Link to the workflow run, shown on the Environments page. */
  logUrl?: string;
  description: string;
  payload: Record<string, unknown>;
}

export interface DeploymentResult {
  id: number;
  state: DeploymentState;
  environment: string;
  /** Earlier deployments of the environment that this one marked inactive. */
  deactivated: number[];
}

/**
 * Records a deployment of `sha` in `environment` with a status. When it succeeded, earlier deployments of the same
 * environment that still look live are marked inactive, so the Environments page shows one thing running there.
 * GitHub does this by itself only for non-production environments (`auto_inactive`), hence the explicit pass.
 * A failed deployment leaves the earlier ones alone: what ran before is what still runs.
 */
export async function recordDeployment(
  client: GitHubClient,
  repository: Repository,
  request: DeploymentRequest,
  logger: Logger,
): Promise<DeploymentResult> {
  const permission = 'deployments: write';
  let id: number;
  try {
    const { data, status } = await client.rest.repos.createDeployment({
      ...repository,
      ref: request.sha,
      environment: request.environment,
      auto_merge: false,
      required_contexts: [],
      description: request.description,
      payload: request.payload,
    });
    if (status !== 201 || !('id' in data)) {
      throw new Error(`GitHub did not create the deployment (${status}: ${JSON.stringify(data)})`);
    }
    id = data.id;
  } catch (error) {
    throw gitHubError(error, `create a deployment for environment "${request.environment}"`, permission, repository);
  }
  logger.info(`Deployment ${id} recorded for environment "${request.environment}".`);

  try {
    await client.rest.repos.createDeploymentStatus({
      ...repository,
      deployment_id: id,
      state: request.state,
      description: request.description,
      ...(request.environmentUrl ? { environment_url: request.environmentUrl } : {}),
      ...(request.logUrl ? { log_url: request.logUrl } : {}),
    });
  } catch (error) {
    throw gitHubError(error, `set the status of deployment ${id}`, permission, repository);
  }
  logger.info(`Deployment ${id} is ${request.state}.`);

  const deactivated =
    request.state === 'success' ? await deactivateEarlier(client, repository, request, id, logger) : [];
  return { id, state: request.state, environment: request.environment, deactivated };
}

async function deactivateEarlier(
  client: GitHubClient,
  repository: Repository,
  request: DeploymentRequest,
  currentId: number,
  logger: Logger,
): Promise<number[]> {
  const permission = 'deployments: write';
  let earlier: { id: number }[];
  try {
    const { data } = await client.rest.repos.listDeployments({
      ...repository,
      environment: request.environment,
      per_page: EARLIER_LIMIT,
    });
    earlier = data.filter((deployment) => deployment.id !== currentId);
  } catch (error) {
    throw gitHubError(error, `list the deployments of environment "${request.environment}"`, permission, repository);
  }
  const deactivated: number[] = [];
  for (const deployment of earlier) {
    try {
      const { data: statuses } = await client.rest.repos.listDeploymentStatuses({
        ...repository,
        deployment_id: deployment.id,
        per_page: 1,
      });
      const latest = statuses[0]?.state;
      if (latest === undefined || !LIVE_STATES.has(latest)) continue;
      await client.rest.repos.createDeploymentStatus({
        ...repository,
        deployment_id: deployment.id,
        state: 'inactive',
        description: `Superseded by ${request.tag} (${request.sha.slice(0, 7)}).`,
      });
      deactivated.push(deployment.id);
    } catch (error) {
      throw gitHubError(error, `mark deployment ${deployment.id} inactive`, permission, repository);
    }
  }
  if (deactivated.length > 0) {
    logger.info(
      `Marked ${deactivated.length} earlier deployment(s) of "${request.environment}" inactive: ${deactivated.join(', ')}.`,
    );
  }
  return deactivated;
}
