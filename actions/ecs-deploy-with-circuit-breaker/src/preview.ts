/**
 * The preview side of the deploy action: the summary and outputs of `mode: delete`, and the lines a created preview
 * adds to the deploy's summary. The work itself is in @ecs-ship/ecs (preview/).
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Deadline, cancellationSignal, runnerLogger, systemClock } from '@ecs-ship/action-kit';
import { awsClientConfig } from '@ecs-ship/action-kit/aws';
import { appendSummary, setOutputs } from '@ecs-ship/action-kit/core';
import type { PreviewOutcome, RemovedPreview } from '@ecs-ship/ecs/preview';
import type { DeploySettings } from './settings.js';

/** The ELBv2 client, made on first use with the deploy's deadline. */
export function loadBalancingClient(deadline: Deadline): {
  get: () => Promise<ElasticLoadBalancingV2Client>;
  destroy: () => void;
} {
  let client: ElasticLoadBalancingV2Client | undefined;
  return {
    async get() {
      const { ElasticLoadBalancingV2Client } = await import('@aws-sdk/client-elastic-load-balancing-v2');
      return (client ??= new ElasticLoadBalancingV2Client(awsClientConfig({ deadline })));
    },
    destroy: () => client?.destroy(),
  };
}

/** `mode: delete`: the previews removed, said in the outputs, the summary and (when asked) the pull request. */
export async function runRemoval(settings: DeploySettings): Promise<void> {
  const signal = cancellationSignal();
  const deadline = new Deadline(systemClock, settings.timeoutMs);
  const ecs = new ECSClient(awsClientConfig({ deadline }));
  const elbv2 = loadBalancingClient(deadline);
  let removed: RemovedPreview[];
  try {
    const { removePreviews } = await import('@ecs-ship/ecs/preview');
    removed = await removePreviews(
      {
        cluster: settings.cluster,
        services: settings.services,
        timeoutMs: settings.timeoutMs,
        pollIntervalMs: settings.pollIntervalMs,
      },
      { ecs, elbv2: elbv2.get, logger: runnerLogger, clock: systemClock, signal },
    );
  } catch (error) {
    setOutputs({ result: 'failed', 'failure-reason': (error as Error).message, changed: false, 'preview-url': '' });
    throw error;
  } finally {
    ecs.destroy();
    elbv2.destroy();
  }
  setOutputs({
    result: 'deleted',
    'failure-reason': '',
    changed: removed.some((r) => r.removed.length > 0),
    'preview-url': '',
  });
  await appendSummary(removalSummary(settings.cluster, removed));
  if (settings.comment) {
    const { commentPreview } = await import('./preview-comment.js');
    await commentPreview(settings.cluster, { removed }, settings.comment, signal);
  }
}

export function removalSummary(cluster: string, removed: RemovedPreview[]): string {
  const rows = removed.map(
    (r) =>
      `| \`${r.service}\` | ${r.result === 'removed' ? 'removed' : 'was already gone'} | ${r.removed.join(', ') || 'nothing left to remove'} |`,
  );
  return [
    `## Previews removed from \`${cluster}\``,
    '',
    '| Service | Result | Removed |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/** The lines a created or updated preview puts above the deploy's summary. */
export function previewSummary(preview: PreviewOutcome, createFrom: string): string {
  const where = preview.url ? ` at ${preview.url}` : '';
  const what = preview.created
    ? `created from \`${createFrom}\` (${preview.resources.join(', ')})`
    : 'updated (it existed already)';
  return `**Preview \`${preview.service}\`** ${what}${where}.\n\n`;
}
