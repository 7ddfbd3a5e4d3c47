import { cancellationSignal, redact, runnerLogger, UserError } from '@ecs-ship/action-kit';
import { appendSummary, setOutputs } from '@ecs-ship/action-kit/core';
import {
  createGitHubClient,
  parseRepository,
  publishRelease,
  releaseSummary,
  type ReleaseOutcome,
} from '@ecs-ship/github-release';
import type { TagReleaseSettings } from './settings.js';

type Output = 'tag' | 'tag-sha' | 'release-url' | 'release-id' | 'deployment-id';

/** Tags the commit, publishes the release and records the deployment; then writes outputs and the job summary. */
export async function run(settings: TagReleaseSettings): Promise<void> {
  const repository = parseRepository(process.env.GITHUB_REPOSITORY ?? '');
  if (!repository) {
    throw new UserError(
      `GITHUB_REPOSITORY is "${process.env.GITHUB_REPOSITORY ?? ''}", not owner/name. Run the action in a GitHub Actions workflow.`,
    );
  }
  const serverUrl = process.env.GITHUB_SERVER_URL || 'https://github.com';
  const runId = process.env.GITHUB_RUN_ID;
  const runUrl = runId ? `${serverUrl}/${repository.owner}/${repository.repo}/actions/runs/${runId}` : undefined;

  // The API base comes from GITHUB_API_URL (GitHub Enterprise, or a local stand-in).
  const client = await createGitHubClient(settings.token, { logger: runnerLogger, signal: cancellationSignal() });
  const progress: Partial<ReleaseOutcome> = {};
  let outcome: ReleaseOutcome;
  try {
    outcome = await publishRelease(
      client,
      {
        repository,
        sha: settings.sha,
        tag: settings.tag,
        message: settings.message,
        release: settings.release,
        deployment: settings.deployment,
        // The release body and the deployment payload are read by more people than the log: no masked value goes there.
        details: redactDeep(settings.details) as Record<string, unknown>,
        runUrl,
      },
      runnerLogger,
      progress,
    );
  } catch (error) {
    // What was done before the failure is real (a tag, a release): say so in the outputs and the summary.
    if (progress.tag || progress.deployment) {
      setReleaseOutputs(progress as ReleaseOutcome);
      const reason = error instanceof Error ? error.message : String(error);
      await appendSummary(releaseSummary(progress as ReleaseOutcome, repository, serverUrl, reason));
    }
    throw error;
  }
  setReleaseOutputs(outcome);
  await appendSummary(releaseSummary(outcome, repository, serverUrl));
}

function setReleaseOutputs(outcome: ReleaseOutcome): void {
  setOutputs<Output>({
    tag: outcome.tag?.tag,
    'tag-sha': outcome.tag?.tagSha,
    'release-url': outcome.release?.url,
    'release-id': outcome.release?.id,
    'deployment-id': outcome.deployment?.id,
  });
}

function redactDeep(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [redact(key), redactDeep(inner)]));
  }
  return value;
}
