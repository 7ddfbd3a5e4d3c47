import { UserError, type Logger } from '@ecs-ship/action-kit';
import type { DeploymentState } from './deployment-state.js';
import { gitHubError, type GitHubClient, type Repository } from './github.js';
import { NO_BLIND_RETRY, writeOnce } from './write-once.js';

/** Latest states of a deployment that still claims to run (or to be about to run) in its environment. */
const LIVE_STATES: ReadonlySet<string> = new Set(['success', 'in_progress', 'queued', 'pending']);

/** How many of the environment's newest deployments are looked at. */
const EARLIER_LIMIT = 100;

const PERMISSION = 'deployments: write';

export interface DeploymentRequest {
  environment: string;
  sha: string;
  tag: string;
  state: DeploymentState;
  environmentUrl?: string;
  /** Link to the workflow run, shown on the Environments page. */
  logUrl?: string;
  description: string;
  /** Written into the deployment; must carry `tag` so that a re-run recognises its own record. */
  payload: Record<string, unknown> & { tag: string };
}

export interface DeploymentResult {
  id: number;
  state: DeploymentState;
  environment: string;
  /** False when a re-run found its own deployment as the environment's newest. */
  created: boolean;
  /** Earlier deployments of the environment that this one marked inactive. */
  deactivated: number[];
}

interface ListedDeployment {
  id: number;
  sha: string;
  payload: unknown;
}

/**
 * Records a deployment of `sha` in `environment` with a status. When it succeeded, earlier deployments of the same
 * environment that still look live are marked inactive, so the Environments page shows one thing running there.
 * GitHub does this by itself only for non-production environments (`auto_inactive`), hence the explicit pass.
 * A failed deployment leaves the earlier ones alone: what ran before is what still runs.
 * A re-run whose deployment is already the environment's newest (same commit, same tag) reuses it, adding a status
 * only when the state changed.
 */
export async function recordDeployment(
  client: GitHubClient,
  repository: Repository,
  request: DeploymentRequest,
  logger: Logger,
): Promise<DeploymentResult> {
  const { environment } = request;
  const earlier = await listDeployments(client, repository, environment);
  const newest = earlier[0];
  const rerun = newest !== undefined && newest.sha === request.sha && payloadTag(newest.payload) === request.tag;

  let id: number;
  let statusNeeded = true;
  if (rerun) {
    id = newest.id;
    statusNeeded = (await latestState(client, repository, id)) !== request.state;
    logger.info(`Deployment ${id} of ${request.tag} to "${environment}" already exists: reusing it.`);
  } else {
    id = await createDeployment(client, repository, request, earlier, logger);
    logger.info(`Deployment ${id} recorded for environment "${environment}".`);
  }

  if (statusNeeded) {
    await setStatus(client, repository, id, request.state, logger, {
      description: request.description,
      ...(request.environmentUrl ? { environment_url: request.environmentUrl } : {}),
      ...(request.logUrl ? { log_url: request.logUrl } : {}),
    });
    logger.info(`Deployment ${id} is ${request.state}.`);
  } else {
    logger.info(`Deployment ${id} is already ${request.state}.`);
  }

  const others = earlier.filter((deployment) => deployment.id !== id);
  const deactivated = request.state === 'success' ? await deactivate(client, repository, request, others, logger) : [];
  if (deactivated.length > 0) {
    logger.info(
      `Marked ${deactivated.length} earlier deployment(s) of "${environment}" inactive: ${deactivated.join(', ')}.`,
    );
  }
  return { id, state: request.state, environment, created: !rerun, deactivated };
}

function payloadTag(payload: unknown): unknown {
  return typeof payload === 'object' && payload !== null ? (payload as { tag?: unknown }).tag : undefined;
}

async function listDeployments(
  client: GitHubClient,
  repository: Repository,
  environment: string,
): Promise<ListedDeployment[]> {
  try {
    // Newest first, as GitHub lists them.
    const { data } = await client.rest.repos.listDeployments({ ...repository, environment, per_page: EARLIER_LIMIT });
    return data.map((deployment) => ({ id: deployment.id, sha: deployment.sha, payload: deployment.payload }));
  } catch (error) {
    throw gitHubError(error, `list the deployments of environment "${environment}"`, PERMISSION, repository);
  }
}

/**
 * Creates the deployment record. GitHub would make a second one if the call were repeated after its answer was lost,
 * so a failed attempt is followed by a look for a record of this commit and tag that was not there before.
 */
async function createDeployment(
  client: GitHubClient,
  repository: Repository,
  request: DeploymentRequest,
  earlier: ListedDeployment[],
  logger: Logger,
): Promise<number> {
  const doing = `create a deployment for environment "${request.environment}"`;
  const known = new Set(earlier.map((deployment) => deployment.id));
  const create = async (): Promise<number> => {
    const answer = await client.rest.repos.createDeployment({
      ...repository,
      ref: request.sha,
      environment: request.environment,
      auto_merge: false,
      required_contexts: [],
      description: request.description,
      payload: request.payload,
      ...NO_BLIND_RETRY,
    });
    // 202 means GitHub merged the default branch instead; auto_merge: false should rule that out.
    if (answer.status !== 201 || !('id' in answer.data)) {
      throw new UserError(`GitHub did not ${doing} (HTTP ${answer.status}: ${JSON.stringify(answer.data)}).`);
    }
    return answer.data.id;
  };
  const findOurs = async (): Promise<number | undefined> => {
    const listed = await listDeployments(client, repository, request.environment);
    return listed.find((d) => !known.has(d.id) && d.sha === request.sha && payloadTag(d.payload) === request.tag)?.id;
  };
  try {
    return await writeOnce(doing, create, findOurs, logger);
  } catch (error) {
    throw gitHubError(error, doing, PERMISSION, repository);
  }
}

/** Adds a status to a deployment, once: after a lost answer, the deployment's latest state tells whether it took. */
async function setStatus(
  client: GitHubClient,
  repository: Repository,
  id: number,
  state: DeploymentState | 'inactive',
  logger: Logger,
  fields: { description: string; environment_url?: string; log_url?: string },
): Promise<void> {
  const doing = state === 'inactive' ? `mark deployment ${id} inactive` : `set the status of deployment ${id}`;
  try {
    await writeOnce(
      doing,
      async () => {
        await client.rest.repos.createDeploymentStatus({
          ...repository,
          deployment_id: id,
          state,
          ...fields,
          ...NO_BLIND_RETRY,
        });
        return true;
      },
      async () => ((await latestState(client, repository, id)) === state ? true : undefined),
      logger,
    );
  } catch (error) {
    throw gitHubError(error, doing, PERMISSION, repository);
  }
}

async function latestState(client: GitHubClient, repository: Repository, id: number): Promise<string | undefined> {
  try {
    const { data } = await client.rest.repos.listDeploymentStatuses({ ...repository, deployment_id: id, per_page: 1 });
    return data[0]?.state;
  } catch (error) {
    throw gitHubError(error, `read the statuses of deployment ${id}`, PERMISSION, repository);
  }
}

/**
 * Marks the earlier deployments that still look live inactive, newest first. It stops at the first one that is
 * already inactive: whatever came before it was dealt with when that one was superseded, which keeps a long
 * deployment history from costing one call per record on every release.
 */
async function deactivate(
  client: GitHubClient,
  repository: Repository,
  request: DeploymentRequest,
  earlier: ListedDeployment[],
  logger: Logger,
): Promise<number[]> {
  const deactivated: number[] = [];
  for (const deployment of earlier) {
    const latest = await latestState(client, repository, deployment.id);
    if (latest === 'inactive') break;
    if (latest === undefined || !LIVE_STATES.has(latest)) continue;
    await setStatus(client, repository, deployment.id, 'inactive', logger, {
      description: request.tag
        ? `Superseded by ${request.tag} (${request.sha.slice(0, 7)}).`
        : `Superseded by ${request.sha.slice(0, 7)}.`,
    });
    deactivated.push(deployment.id);
  }
  return deactivated;
}
