import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import {
  CancelledError,
  Deadline,
  UserError,
  cancellationSignal,
  describeAwsFailure,
  runnerLogger,
  systemClock,
} from '@ecs-ship/action-kit';
import { awsClientConfig } from '@ecs-ship/action-kit/aws';
import { appendSummary, setOutputs } from '@ecs-ship/action-kit/core';
import {
  parseCodeDeployInputs,
  deployAndWatch,
  deployOutputs,
  deploySummary,
  diagnoseFailures,
  LogsClients,
  type DeployOutputs,
  type DeployReport,
} from '@ecs-ship/ecs';
import { parseServiceSettings } from '@ecs-ship/ecs/ebs-volume';
import type { PreviewOutcome } from '@ecs-ship/ecs/preview';
import { loadBalancingClient, previewSummary } from './preview.js';
import type { DeploySettings } from './settings.js';

type OutputName = keyof DeployOutputs | 'preview-url';
/** The action's outputs: the deploy's, the preview's URL, and the plan in Markdown (mode plan). */
type ActionOutput = OutputName | 'plan';

/** Results after which the step fails. */
const FAILING = new Set(['failed', 'rolled-back', 'superseded', 'timed-out', 'cancelled']);

export async function run(settings: DeploySettings): Promise<void> {
  if (settings.mode === 'delete') {
    const { runRemoval } = await import('./preview.js');
    return runRemoval(settings);
  }
  const mode = settings.mode;
  // Before any AWS call: a volume ECS would refuse is the input's error.
  const serviceSettings = parseServiceSettings(settings.serviceSettings);
  const signal = cancellationSignal();
  // Throttling is retried until the deploy's deadline, which the engine moves as its waits begin.
  const deadline = new Deadline(systemClock, settings.timeoutMs);
  const ecs = new ECSClient(awsClientConfig({ deadline }));
  // Made only when a failure's stopped tasks are read.
  const logs = new LogsClients();
  // Loaded only for a preview's host, or to confirm that a rolled-back blue/green, linear or canary deployment's
  // traffic is back on blue.
  const elbv2 = loadBalancingClient(deadline);
  // Loaded only for a service under the CODE_DEPLOY deployment controller.
  let codedeploy: CodeDeployClient | undefined;
  const codeDeployClient = async () => {
    const { CodeDeployClient } = await import('@aws-sdk/client-codedeploy');
    return (codedeploy ??= new CodeDeployClient(awsClientConfig({ deadline })));
  };
  // Loaded only by a deploy with watch-minutes, to read alarms and metrics after it.
  let cloudwatch: CloudWatchClient | undefined;
  const metrics = async () => {
    const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
    return (cloudwatch ??= new CloudWatchClient(awsClientConfig({ deadline })));
  };
  let report: DeployReport;
  let preview: PreviewOutcome | undefined;
  try {
    if (settings.preview) {
      const { ensurePreview } = await import('@ecs-ship/ecs/preview');
      preview = await ensurePreview(
        { cluster: settings.cluster, service: settings.services[0]!, ...settings.preview },
        { ecs, elbv2: elbv2.get, logger: runnerLogger, signal },
      );
    }
    report = await deployAndWatch(
      {
        ...settings,
        mode,
        serviceSettings,
        // A preview created just now runs no task yet: it gets desired-count tasks, one by default.
        desiredCount: preview?.created ? (settings.desiredCount ?? 1) : settings.desiredCount,
        templates: new Map([...settings.templates].map(([service, { definition }]) => [service, definition])),
        codeDeploy: parseCodeDeployInputs(settings.codeDeploy),
      },
      {
        ecs,
        elbv2: elbv2.get,
        codedeploy: codeDeployClient,
        cloudwatch: metrics,
        logger: runnerLogger,
        clock: systemClock,
        signal,
        deadline,
        progressIntervalMs: settings.progressIntervalMs,
      },
    );
    // After a breach of the watch, the new tasks were stopped by the rollback, not by a failure of their own.
    if (FAILING.has(report.result) && !signal.aborted && !report.watch) {
      await diagnoseFailures(report, settings.diagnosis, { ecs, logs: logs.get, logger: runnerLogger, signal });
    }
  } catch (error) {
    // A deploy that stopped before any change still sets every output, so that later steps can branch on it.
    const cancelled = error instanceof CancelledError;
    setOutputs<OutputName>({
      result: cancelled ? 'cancelled' : 'failed',
      'failure-reason': error instanceof UserError || cancelled ? (error as Error).message : describeAwsFailure(error),
      'task-definition-arns': {},
      'previous-task-definition-arns': {},
      'deployment-ids': {},
      changed: Boolean(preview?.created),
      'preview-url': preview?.url ?? '',
    });
    throw error;
  } finally {
    ecs.destroy();
    logs.destroy();
    elbv2.destroy();
    codedeploy?.destroy();
    cloudwatch?.destroy();
  }

  const summary = deploySummary(report);
  setOutputs<ActionOutput>({
    ...deployOutputs(report),
    plan: report.mode === 'plan' ? summary : '',
    'preview-url': preview?.url ?? '',
  });
  await appendSummary(preview ? previewSummary(preview, settings.preview!.createFrom) + summary : summary);
  // After the summary: whatever happens to the comment, the plan (or the preview) is on the run's page.
  if (settings.comment && preview) {
    const { commentPreview } = await import('./preview-comment.js');
    await commentPreview(settings.cluster, { deployed: preview, report }, settings.comment, signal);
  } else if (settings.comment) {
    const { commentOnPullRequest } = await import('./comment.js');
    await commentOnPullRequest(report, settings.comment, signal);
  }

  if (report.result === 'cancelled') {
    // During the watch after the deploy, the reason says that the deploy itself succeeded.
    throw new CancelledError(
      report.watch ? report.failureReason! : 'The job was cancelled while watching the deployments.',
    );
  }
  // Each failing service already has its own ::error annotation; the step only needs to fail.
  if (FAILING.has(report.result)) process.exitCode = 1;
}
