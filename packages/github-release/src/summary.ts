import { code, heading, link, table } from '@ecs-ship/action-kit';
import type { Repository } from './github.js';
import type { ReleaseOutcome } from './publish.js';

/** The job summary: the tag, links to the release and the commit, and the deployment record. */
export function releaseSummary(
  outcome: ReleaseOutcome,
  repository: Repository,
  serverUrl: string,
  /** Why the step stopped after the parts in `outcome`; the parts it did not reach say so. */
  failure?: string,
): string {
  const base = `${serverUrl.replace(/\/+$/, '')}/${repository.owner}/${repository.repo}`;
  const { tag, release, deployment } = outcome;
  const missing = failure ? 'not done' : 'not requested';
  const deploymentCell = deployment
    ? `${link(`#${deployment.id}`, `${base}/deployments/${encodeURIComponent(deployment.environment)}`)} to ${code(deployment.environment)}: ${deployment.state}` +
      (deployment.created ? '' : ' (already recorded)') +
      (deployment.deactivated.length > 0 ? `; ${deployment.deactivated.length} earlier marked inactive` : '')
    : missing;
  if (!tag) {
    const title = heading(`Deployment recorded, not tagged${failure ? ' (incomplete)' : ''}`);
    const failed = failure ? `\n**Failed:** ${failure}\n` : '';
    return `${title}\n\n${table([' ', ' '], [['Deployment', deploymentCell]])}\n${failed}`;
  }
  const rows: unknown[][] = [
    ['Tag', `${link(tag.tag, `${base}/tree/${refPath(tag.tag)}`)} ${tag.created ? '(created)' : '(already there)'}`],
    ['Commit', link(code(tag.commitSha.slice(0, 7)), `${base}/commit/${tag.commitSha}`)],
    ['Tag object', code(tag.tagSha)],
  ];
  if (outcome.previousTag) rows.push(['Previous version', code(outcome.previousTag)]);
  rows.push([
    'Release',
    release
      ? `${link(`release ${tag.tag}`, release.url)} ${release.created ? '(published)' : '(already there)'}`
      : missing,
  ]);
  rows.push(['Deployment', deploymentCell]);
  const title = heading(`Release ${code(tag.tag)}${failure ? ' (incomplete)' : ''}`);
  const failed = failure ? `\n**Failed:** ${failure}\n` : '';
  return `${title}\n\n${table([' ', ' '], rows)}\n${failed}`;
}

/** A ref name in a URL path: each part encoded, the slashes kept (`releases/v1.0.0`). */
function refPath(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}
