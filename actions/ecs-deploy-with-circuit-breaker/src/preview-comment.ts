/**
 * A preview's pull-request comment: where the preview answers and what it runs, or that it was removed. It is its
 * own sticky comment (keyed by cluster and service), beside the plan comment rather than a section of it: the plan
 * and the preview are written by different workflows that run at the same time, and a comment has no version to
 * update against, so two writers of one comment would overwrite each other's sections. Each writer owns its comment
 * whole, and both are kept by the same mechanism (one comment each, updated in place).
 */
import { redact, runnerLogger } from '@ecs-ship/action-kit';
import type { DeployReport } from '@ecs-ship/ecs';
import type { PreviewOutcome, RemovedPreview } from '@ecs-ship/ecs/preview';
import { writeStickyComment } from '@ecs-ship/github-release';
import { onPullRequest, workflowRunUrl } from './comment.js';
import type { CommentSettings } from './settings.js';

export type PreviewState = { deployed: PreviewOutcome; report: DeployReport } | { removed: RemovedPreview[] };

export async function commentPreview(
  cluster: string,
  state: PreviewState,
  settings: CommentSettings,
  signal: AbortSignal,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const services = 'removed' in state ? state.removed.map((r) => r.service) : [state.deployed.service];
  await onPullRequest('preview', settings, signal, env, async (client, repository, pullRequest) => {
    for (const service of services) {
      await writeStickyComment(
        client,
        repository,
        {
          number: pullRequest.number,
          key: `preview · ${cluster} · ${service}`,
          body: redact(previewBody(service, state, pullRequest.headSha ?? env.GITHUB_SHA ?? '', workflowRunUrl(env))),
          tokenInput: 'github-token',
        },
        runnerLogger,
      );
    }
  });
}

export function previewBody(service: string, state: PreviewState, sha: string, run?: string): string {
  const link = run ? ` ([run](${run}))` : '';
  if ('removed' in state) {
    const removed = state.removed.find((r) => r.service === service);
    const what = removed?.removed.length ? removed.removed.join(', ') : 'nothing was left';
    return `### Preview \`${service}\`\n\nRemoved${link}: ${what}.\n`;
  }
  const { deployed, report } = state;
  const result = report.services.find((s) => s.service === service);
  const revision = result?.taskDefinition?.split('/').at(-1) ?? 'its current revision';
  const where = deployed.url ? `**${deployed.url}**` : 'no host (no preview-host given)';
  const images = Object.entries(result?.images ?? {})
    .map(([container, image]) => `\`${container}\`: \`${image}\``)
    .join(', ');
  return [
    `### Preview \`${service}\``,
    '',
    `${where}`,
    '',
    `| Commit | Result | Revision | Images |`,
    `|---|---|---|---|`,
    `| ${sha ? `\`${sha.slice(0, 7)}\`` : '—'} | ${report.result}${link} | \`${revision}\` | ${images || '—'} |`,
    '',
  ].join('\n');
}
