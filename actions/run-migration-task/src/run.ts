// The migration step: snapshot first when asked, then the one-off task; outputs and summary either way.
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { Deadline, UserError, cancellationSignal, runnerLogger, systemClock } from '@ecs-ship/action-kit';
import { awsClientConfig } from '@ecs-ship/action-kit/aws';
import { appendSummary, saveState, setOutputs } from '@ecs-ship/action-kit/core';
import { runOneOffTask, type OneOffTaskResult } from '@ecs-ship/ecs';
import type { SnapshotResult } from '@ecs-ship/rds';
import type { MigrationSettings } from './settings.js';
import { STATE } from './state.js';
import { migrationSummary } from './summary.js';

/** Lines of the task's log repeated in the failure message. */
const LINES_IN_ERROR = 5;

export async function run(settings: MigrationSettings): Promise<void> {
  const signal = cancellationSignal();
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new UserError(
      'No AWS region: AWS_REGION is not set. Configure credentials first (aws-actions/configure-aws-credentials sets it) or set AWS_REGION in env:.',
    );
  }
  const logger = runnerLogger;
  const clock = systemClock;
  const { progressIntervalMs } = settings;
  // Every client retries throttling until the deadline of the wait in progress (the snapshot's, then the task's).
  const deadline = new Deadline(clock, settings.task.timeoutMs);

  let snapshot: SnapshotResult | undefined;
  if (settings.snapshot) {
    // Loaded only when a snapshot is asked for: the RDS client costs memory that most runs do not need.
    const [{ RDSClient }, { createSnapshotAndWait }] = await Promise.all([
      import('@aws-sdk/client-rds'),
      import('@ecs-ship/rds'),
    ]);
    const rds = new RDSClient(awsClientConfig({ region, deadline }));
    deadline.extendTo(clock.now() + settings.snapshot.timeoutMs);
    snapshot = await createSnapshotAndWait(rds, settings.snapshot, { logger, clock, signal, progressIntervalMs });
    // The task's own time starts after the snapshot.
    deadline.extendTo(clock.now() + settings.task.timeoutMs);
    setOutputs({ 'snapshot-id': snapshot.snapshotId, 'snapshot-arn': snapshot.arn });
  }

  const ecs = new ECSClient(awsClientConfig({ region, deadline }));
  const logsClients = new Map<string, CloudWatchLogsClient>();
  const logs = (logRegion: string | undefined) => {
    const key = logRegion ?? region;
    let client = logsClients.get(key);
    if (!client) logsClients.set(key, (client = new CloudWatchLogsClient(awsClientConfig({ region: key, deadline }))));
    return client;
  };

  const result: OneOffTaskResult = await runOneOffTask({ ecs, logs, region }, settings.task, {
    logger,
    clock,
    signal,
    progressIntervalMs,
    onTaskStarted: (taskArn, cluster) => {
      saveState(STATE.taskArn, taskArn);
      saveState(STATE.cluster, cluster);
      setOutputs({ 'task-arn': taskArn });
    },
    onTaskStopped: () => saveState(STATE.stopped, 'true'),
    deadline,
  });

  setOutputs({
    'exit-code': result.exitCode,
    'stop-code': result.stopCode,
    'log-url': result.logUrl,
    'duration-seconds': Math.round(result.durationMs / 1000),
  });
  await appendSummary(migrationSummary(result, snapshot, settings.environmentName));

  if (!result.outcome.passed) {
    const tail = result.lastLines.slice(-LINES_IN_ERROR);
    if (tail.length > 0 && !settings.task.streamLogs) {
      logger.info('Last log lines of the task:');
      for (const line of result.lastLines) logger.info(line);
    }
    const lines = tail.length > 0 ? ` Last log lines: ${tail.map((line) => `"${line}"`).join(' / ')}` : '';
    throw new UserError(`${result.outcome.summary}${lines}`, {
      title: result.timedOut ? 'Migration timed out' : 'Migration failed',
    });
  }
  logger.notice(
    `Migration succeeded in ${Math.round(result.durationMs / 1000)} s (task ${result.taskId}).`,
    'Migration',
  );
}
