// The step's work once every input is valid: the restore (and the swap, when asked), outputs and the job summary.
import { RDSClient } from '@aws-sdk/client-rds';
import { UserError, cancellationSignal, runnerLogger, systemClock } from '@ecs-ship/action-kit';
import { awsClientConfig } from '@ecs-ship/action-kit/aws';
import { appendSummary, setOutputs } from '@ecs-ship/action-kit/core';
import { restoreFromSnapshot, type RestoreSettings } from '@ecs-ship/rds';
import { restoreSummary } from './summary.js';

type Output = 'identifier' | 'endpoint' | 'reader-endpoint' | 'port' | 'arn' | 'previous-identifier';

export async function run(settings: RestoreSettings): Promise<void> {
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new UserError(
      'No AWS region: AWS_REGION is not set. Configure credentials first (aws-actions/configure-aws-credentials sets it) or set AWS_REGION in env:.',
    );
  }
  const rds = new RDSClient(awsClientConfig({ region, retryMode: 'adaptive' }));
  const result = await restoreFromSnapshot(rds, settings, {
    logger: runnerLogger,
    clock: systemClock,
    signal: cancellationSignal(),
  });
  setOutputs<Output>({
    identifier: result.identifier,
    endpoint: result.endpoint,
    'reader-endpoint': result.readerEndpoint,
    port: result.port,
    arn: result.arn,
    'previous-identifier': result.previousIdentifier,
  });
  await appendSummary(restoreSummary(result));
  runnerLogger.notice(
    result.previousIdentifier
      ? `${result.identifier} is now the database restored from ${result.snapshotId}; the original is ${result.previousIdentifier}.`
      : `Restored ${result.snapshotId} as ${result.identifier} (${result.endpoint ?? 'no endpoint'}); ${settings.source} is untouched.`,
    'Restore',
  );
}
