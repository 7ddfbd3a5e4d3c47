import { UserError, cancellationSignal, runnerLogger, systemClock } from '@ecs-ship/action-kit';
import { appendSummary, setOutputs } from '@ecs-ship/action-kit/core';
import { createGitHubClient, parseRepository } from '@ecs-ship/github-release';
import { releaseSummary, runRelease } from '@ecs-ship/pipeline';
import { readConfigFile } from './config-file.js';
import type { ReleaseSettings } from './settings.js';

type Output = 'result' | 'failed-stage' | 'failure-reason' | 'image-ref' | 'task-definition-arns' | 'tag';

export async function run(settings: ReleaseSettings): Promise<void> {
  const config = readConfigFile(settings.configPath);
  const repository = parseRepository(process.env.GITHUB_REPOSITORY ?? '');
  // The API base comes from GITHUB_API_URL.
  const signal = cancellationSignal();
  const github =
    settings.githubToken && repository
      ? { client: await createGitHubClient(settings.githubToken, { logger: runnerLogger, signal }), repository }
      : undefined;
  const serverUrl = process.env.GITHUB_SERVER_URL ?? 'https://github.com';
  const runId = process.env.GITHUB_RUN_ID;
  const runUrl =
    runId && repository ? `${serverUrl}/${repository.owner}/${repository.repo}/actions/runs/${runId}` : undefined;

  const report = await runRelease(
    {
      environment: settings.environment,
      sha: settings.sha,
      config,
      stages: settings.stages,
      dryRun: settings.dryRun,
      runUrl,
      runId,
    },
    { logger: runnerLogger, clock: systemClock, signal, env: process.env, github },
  );

  setOutputs<Output>({
    result: report.result,
    'failed-stage': report.failedStage,
    'failure-reason': report.failureReason,
    'image-ref': report.imageRef,
    'task-definition-arns': report.taskDefinitionArns,
    tag: report.tag,
  });
  await appendSummary(releaseSummary(report));
  if (report.result === 'failed' || report.result === 'rolled-back' || report.result === 'superseded') {
    throw new UserError(`The release ${report.result} at the ${report.failedStage} stage: ${report.failureReason}`, {
      title: `Release to ${settings.environment} ${report.result}`,
    });
  }
}
