import { UserError, type Logger } from '@ecs-ship/action-kit';
import { verifyCommit } from './commits.js';
import type { DeploymentState } from './deployment-state.js';
import { recordDeployment, type DeploymentResult } from './deployments.js';
import type { GitHubClient, Repository } from './github.js';
import { tagNameProblem } from './ref-name.js';
import { releaseBody } from './release-body.js';
import { ensureRelease, type MakeLatest, type ReleaseResult } from './releases.js';
import { nextVersion, type BumpLevel } from './semver-bump.js';
import { ensureAnnotatedTag, listTags, type TagResult } from './tags.js';

export type TagChoice =
  { kind: 'name'; name: string } | { kind: 'bump'; level: BumpLevel; prefix: string; includePrereleases: boolean };

export interface ReleasePlan {
  repository: Repository;
  /** Full 40-character commit SHA. */
  sha: string;
  /** Undefined: record the deployment only (a failed deployment is not tagged). */
  tag?: TagChoice;
  /** The annotated tag's message; a default naming the commit and environment when undefined. */
  message?: string;
  release?: {
    name?: string;
    generateNotes: boolean;
    prerelease: boolean;
    /** `auto`: latest unless it is a pre-release. */
    makeLatest: MakeLatest | 'auto';
  };
  deployment?: {
    environment: string;
    state: DeploymentState;
    environmentUrl?: string;
  };
  /** Facts from earlier steps (image digest, task-definition revisions, ...): release body and deployment payload. */
  details: Record<string, unknown>;
  /** The workflow run, linked from the deployment status and the release body. */
  runUrl?: string;
}

export interface ReleaseOutcome {
  /** Undefined when only the deployment was recorded. */
  tag?: TagResult;
  /** For a bump: the tag the version was counted from. */
  previousTag?: string;
  release?: ReleaseResult;
  deployment?: DeploymentResult;
}

/**
 * The whole release step: check the commit, choose the tag, tag it (annotated), publish the release and record
 * the deployment. Every part is idempotent, so re-running a release reports what is already there.
 */
export async function publishRelease(
  client: GitHubClient,
  plan: ReleasePlan,
  logger: Logger,
  /** Filled in as each part is done, so that a caller can report what exists when a later part fails. */
  progress: Partial<ReleaseOutcome> = {},
): Promise<ReleaseOutcome> {
  const { repository, sha } = plan;
  await verifyCommit(client, repository, sha);
  logger.info(`Commit ${sha} exists in ${repository.owner}/${repository.repo}.`);
  if (!plan.tag) return { deployment: await recordOnly(client, plan, logger, progress) };

  const chosen = await chooseTag(client, { ...plan, tag: plan.tag }, logger);
  const problem = tagNameProblem(chosen.tag);
  if (problem) throw new UserError(`The tag "${chosen.tag}" is not a valid git tag name: ${problem}.`);

  const environment = plan.deployment?.environment;
  const message =
    plan.message ?? `Release ${chosen.tag} of ${sha.slice(0, 7)}${environment ? ` to ${environment}` : ''}.`;
  const tag = await ensureAnnotatedTag(client, repository, { tag: chosen.tag, sha, message });
  progress.tag = tag;
  progress.previousTag = chosen.previousTag;
  logger.info(
    tag.created
      ? `Created annotated tag ${tag.tag} (${tag.tagSha}) on ${sha}.`
      : `Tag ${tag.tag} is already on ${sha}: nothing to do.`,
  );

  let release: ReleaseResult | undefined;
  if (plan.release) {
    const { name, generateNotes, prerelease, makeLatest } = plan.release;
    release = await ensureRelease(client, repository, {
      tag: tag.tag,
      name: name ?? tag.tag,
      body: releaseBody({ sha, environment, details: plan.details, runUrl: plan.runUrl }),
      generateNotes,
      prerelease,
      makeLatest: makeLatest === 'auto' ? (prerelease ? 'false' : 'true') : makeLatest,
    });
    progress.release = release;
    logger.info(
      release.created ? `Published release ${release.url}.` : `Release of ${tag.tag} already exists: ${release.url}.`,
    );
  }

  let deployment: DeploymentResult | undefined;
  if (plan.deployment) {
    deployment = await recordDeployment(
      client,
      repository,
      {
        environment: plan.deployment.environment,
        sha,
        tag: tag.tag,
        state: plan.deployment.state,
        environmentUrl: plan.deployment.environmentUrl,
        logUrl: plan.runUrl,
        description: `${tag.tag} (${sha.slice(0, 7)})`,
        payload: { ...plan.details, tag: tag.tag, sha },
      },
      logger,
    );
    progress.deployment = deployment;
  }
  return { tag, previousTag: chosen.previousTag, release, deployment };
}

/**
 * A deployment record without a tag or a release: what a failed deployment leaves, so that the environment's history
 * (and a later restore) sees it, while tags keep marking only what was released.
 */
async function recordOnly(
  client: GitHubClient,
  plan: ReleasePlan,
  logger: Logger,
  progress: Partial<ReleaseOutcome>,
): Promise<DeploymentResult> {
  const { environment, state, environmentUrl } = plan.deployment!;
  const deployment = await recordDeployment(
    client,
    plan.repository,
    {
      environment,
      sha: plan.sha,
      tag: '',
      state,
      environmentUrl,
      logUrl: plan.runUrl,
      description: `${plan.sha.slice(0, 7)}: ${state}, not tagged`,
      payload: { ...plan.details, tag: '', sha: plan.sha },
    },
    logger,
  );
  progress.deployment = deployment;
  return deployment;
}

async function chooseTag(
  client: GitHubClient,
  plan: ReleasePlan & { tag: TagChoice },
  logger: Logger,
): Promise<{ tag: string; previousTag?: string }> {
  if (plan.tag.kind === 'name') return { tag: plan.tag.name };
  const { level, prefix, includePrereleases } = plan.tag;
  const tags = await listTags(client, plan.repository);
  const bump = nextVersion(
    tags.map((tag) => tag.name),
    { level, prefix, includePrereleases },
  );
  // A re-run after a successful bump must not bump again: the highest tag already marks this commit.
  const previous = tags.find((tag) => tag.name === bump.previousTag);
  if (previous && previous.commitSha.toLowerCase() === plan.sha.toLowerCase()) {
    logger.info(`The highest version tag ${previous.name} is already on this commit: keeping it.`);
    return { tag: previous.name };
  }
  logger.info(
    bump.previousTag === undefined
      ? `No semver tag${prefix ? ` with prefix "${prefix}"` : ''} yet: starting the series at ${bump.tag}.`
      : `Highest version tag is ${bump.previousTag}: the ${level} bump gives ${bump.tag}.`,
  );
  return { tag: bump.tag, previousTag: bump.previousTag };
}
