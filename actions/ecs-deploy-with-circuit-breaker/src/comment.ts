/**
 * `comment-on-pull-request`: the plan as one comment on the pull request, kept up to date by every later run of the
 * same workflow for the same cluster and services. The services are part of the key so that jobs planning different
 * services of one cluster (a matrix) keep a comment each instead of overwriting each other's. A pull request from a fork runs with a read-only token whatever the workflow
 * declares, so there the comment is skipped with a notice (the job summary has the plan). Anywhere else a refusal
 * means the workflow lacks `pull-requests: write`, and the step fails saying so: a skipped comment nobody notices
 * would hide the plan from every later pull request.
 */
import { noticeAnnotation, redact, runnerLogger } from '@ecs-ship/action-kit';
import { planComment, type DeployReport } from '@ecs-ship/ecs';
import {
  COMMENT_LIMIT,
  createGitHubClient,
  parseRepository,
  refusedForPermission,
  writeStickyComment,
  type GitHubClient,
  type Repository,
} from '@ecs-ship/github-release';
import type { PullRequestRun } from '@ecs-ship/github-release/light';
import type { CommentSettings } from './settings.js';

export async function commentOnPullRequest(
  report: DeployReport,
  settings: CommentSettings,
  signal: AbortSignal,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  await onPullRequest('plan', settings, signal, env, async (client, repository, pullRequest) => {
    const runUrl = workflowRunUrl(env);
    const workflow = env.GITHUB_WORKFLOW || 'this workflow';
    const body = redact(planComment(report, { workflow, runUrl, sha: pullRequest.headSha }));
    const result = await writeStickyComment(
      client,
      repository,
      {
        number: pullRequest.number,
        key: planKey(workflow, report),
        body,
        overflowNote: `_The plan is cut here to fit GitHub's limit of ${COMMENT_LIMIT.toLocaleString('en')} characters: the whole plan is in the job summary of ${runUrl ? `[the workflow run](${runUrl})` : 'the workflow run'}._`,
        tokenInput: 'github-token',
      },
      runnerLogger,
    );
    if (result.cut)
      runnerLogger.info('The plan was longer than a comment may be: the comment ends with a link to the job summary.');
  });
}

/**
 * Runs `write` for the pull request of this run; without one, or for a fork's read-only token, says in a notice that
 * `what` (the plan, the preview) is in the job summary only.
 */
export async function onPullRequest(
  what: string,
  settings: CommentSettings,
  signal: AbortSignal,
  env: NodeJS.ProcessEnv,
  write: (client: GitHubClient, repository: Repository, pullRequest: PullRequestRun) => Promise<void>,
): Promise<void> {
  const { pullRequest } = settings;
  if (!pullRequest) {
    noticeAnnotation(
      `This run was started by ${settings.event ? `a ${settings.event} event` : 'an event'}, not by a pull request, so the ${what} is in the job summary only.`,
      { title: 'No pull request to comment on' },
    );
    return;
  }
  const repository = parseRepository(env.GITHUB_REPOSITORY ?? '');
  if (!repository) throw new Error(`GITHUB_REPOSITORY ("${env.GITHUB_REPOSITORY ?? ''}") is not owner/name`);
  const client = await createGitHubClient(settings.token, { logger: runnerLogger, signal });
  try {
    await write(client, repository, pullRequest);
  } catch (error) {
    if (!(pullRequest.readOnlyToken && refusedForPermission(error))) throw error;
    noticeAnnotation(
      `Pull request #${pullRequest.number} comes from a fork, and GitHub gives its runs a read-only token: the ${what} is not posted as a comment. It is in the job summary.`,
      { title: `${what[0]!.toUpperCase()}${what.slice(1)} comment skipped` },
    );
  }
}

/** What the comment is about: the workflow, the cluster, and the services planned (in any order). */
function planKey(workflow: string, report: DeployReport): string {
  const services = report.services.map((service) => service.service).sort();
  return `deploy plan · ${workflow} · ${report.cluster} · ${services.join(', ')}`;
}

/** The run's page, where its job summaries are. */
export function workflowRunUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (!env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID) return undefined;
  const attempt = env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== '1' ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '';
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  return `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}${attempt}`;
}
