// The action's work, once every input is valid: publish the image with the ecr package, then report outputs and a
// summary. The runner-facing parts live here: masking, the post step's state, outputs and the summary.
import { tmpdir } from 'node:os';
import {
  RetryBudget,
  UserError,
  addMask,
  cancellationSignal,
  code,
  runnerLogger,
  systemClock,
  table,
  type Logger,
} from '@ecs-ship/action-kit';
import { appendSummary, saveState, setOutputs } from '@ecs-ship/action-kit/core';
import { ScanThresholdError, createEcrClient, publishImage, type PublishResult } from '@ecs-ship/ecr';
import type { Settings } from './settings.js';

export async function run(settings: Settings, logger: Logger = runnerLogger): Promise<void> {
  let result: PublishResult;
  // Between waits each ECR call retries throttling for its own budget; the scan wait sets its deadline here.
  const retryBudget = new RetryBudget();
  try {
    result = await publishImage(settings, {
      ecr: createEcrClient(retryBudget),
      retryBudget,
      logger,
      clock: systemClock,
      signal: cancellationSignal(),
      progressIntervalMs: settings.progressIntervalMs,
      protect: addMask,
      scratchDir: process.env.RUNNER_TEMP || tmpdir(),
      checkRepository: (repository) => {
        const registryHost = repository.uri.split('/')[0];
        if (settings.registryHost && settings.registryHost !== registryHost) {
          throw new UserError(
            `Input "repository": the URI names registry ${settings.registryHost}, but repository ${repository.name} lives in ${registryHost}. Give the repository by name, or configure credentials for the account and region of that registry.`,
          );
        }
      },
      // Saved before logging in, so that the post step removes the credentials even if this step fails half way.
      beforeLogin: (host) => saveState('registry', host),
    });
  } catch (error) {
    if (error instanceof ScanThresholdError) {
      await report(error.result, `${error.result.scan} (fails at ${error.threshold})`);
    }
    throw error;
  }
  await report(result, result.scan);
}

async function report(result: PublishResult, scan?: string): Promise<void> {
  const { repository } = result;
  setOutputs({
    image: repository.uri,
    digest: result.digest,
    'image-ref': result.imageRef,
    tags: result.tags.join(','),
    pushed: result.pushed,
  });
  const rows: [string, string][] = [
    ['Mode', result.mode],
    ['Image', code(result.imageRef)],
    ['Tags', result.tags.map(code).join(', ')],
    [
      'Pushed',
      result.pushed ? 'yes' : result.mode === 'promote' ? 'no (tagged by manifest)' : 'no (already in the registry)',
    ],
  ];
  if (repository.created) rows.push(['Repository', `created (${repository.mutability.toLowerCase()} tags)`]);
  if (result.stats) {
    const s = result.stats;
    rows.push([
      'Blobs',
      `${s.blobsUploaded} uploaded (${s.bytesUploaded} bytes), ${s.blobsSkipped} already there, ${s.blobsMounted} mounted`,
    ]);
  }
  if (scan) rows.push(['Scan', scan]);
  await appendSummary(
    `### build-push-ecr: ${repository.name}\n\n${table(['Item', 'Result'], rows)}\n\n${result.notes.join(' ')}\n`,
  );
  runnerLogger.info(`Image: ${result.imageRef}`);
}
