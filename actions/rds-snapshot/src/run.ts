// The step's work once every input is valid: take the snapshot, or prune old ones; outputs and the job summary.
import { RDSClient } from '@aws-sdk/client-rds';
import { UserError, cancellationSignal, runnerLogger, systemClock } from '@ecs-ship/action-kit';
import { awsClientConfig } from '@ecs-ship/action-kit/aws';
import { appendSummary, setOutputs } from '@ecs-ship/action-kit/core';
import { createSnapshotAndWait, pruneSnapshots } from '@ecs-ship/rds';
import type { SnapshotActionSettings } from './settings.js';
import { pruneSummary, snapshotSummary } from './summary.js';

type Output = 'snapshot-id' | 'snapshot-arn' | 'duration-seconds' | 'selected-snapshot-ids' | 'deleted-count';

export async function run(settings: SnapshotActionSettings): Promise<void> {
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new UserError(
      'No AWS region: AWS_REGION is not set. Configure credentials first (aws-actions/configure-aws-credentials sets it) or set AWS_REGION in env:.',
    );
  }
  const rds = new RDSClient(awsClientConfig({ region, retryMode: 'adaptive' }));
  const tools = { logger: runnerLogger, clock: systemClock, signal: cancellationSignal() };

  if (settings.mode === 'create') {
    const snapshot = await createSnapshotAndWait(rds, settings.request, {
      ...tools,
      consequence: 'nothing else was done',
      timeoutInput: 'timeout-minutes',
    });
    setOutputs<Output>({
      'snapshot-id': snapshot.snapshotId,
      'snapshot-arn': snapshot.arn,
      'duration-seconds': Math.round(snapshot.durationMs / 1000),
    });
    await appendSummary(snapshotSummary(settings.request, snapshot, settings.environmentName));
    return;
  }

  const result = await pruneSnapshots(rds, settings.retention, { ...tools, now: systemClock.now() });
  setOutputs<Output>({
    'selected-snapshot-ids': result.selection.remove.map((verdict) => verdict.snapshot.identifier),
    'deleted-count': result.deleted.length,
  });
  await appendSummary(pruneSummary(settings.retention, result));
  runnerLogger.info(
    result.dryRun
      ? `Dry run: ${result.selection.remove.length} snapshot(s) would be deleted; nothing was changed.`
      : `Deleted ${result.deleted.length} snapshot(s).`,
  );
}
