// The job summary: what was restored from what, where it answers, the settings it got and where they came from.
import { code, formatDuration, heading, table } from '@ecs-ship/action-kit';
import type { RestoreResult } from '@ecs-ship/rds';

export function restoreSummary(result: RestoreResult): string {
  const { applied, settings } = result.plan;
  const kind = result.kind === 'instance' ? 'DB instance' : 'DB cluster';
  const rows: unknown[][] = [
    ['Snapshot', code(result.snapshotId)],
    [`Restored ${kind}`, code(result.restoredAs)],
  ];
  if (result.previousIdentifier) {
    rows.push([
      'Swap',
      `${code(result.restoredAs)} → ${code(result.identifier)}; the original is now ${code(result.previousIdentifier)}`,
    ]);
  } else {
    rows.push(['Original', `${code(settings.source)}, untouched`]);
  }
  rows.push(['Endpoint', result.endpoint ? code(`${result.endpoint}${result.port ? `:${result.port}` : ''}`) : 'none']);
  if (result.readerEndpoint) rows.push(['Reader endpoint', code(result.readerEndpoint)]);
  if (result.clusterInstance) rows.push(['Cluster instance', code(result.clusterInstance)]);
  const given = (key: string) => (applied.overridden.includes(key) ? ' (given)' : '');
  if (applied.instanceClass) rows.push(['Instance class', `${applied.instanceClass}${given('instanceClass')}`]);
  if (applied.subnetGroup) rows.push(['Subnet group', `${applied.subnetGroup}${given('subnetGroup')}`]);
  rows.push(['Security groups', `${applied.securityGroups.join(', ') || 'RDS default'}${given('securityGroups')}`]);
  if (applied.parameterGroup) rows.push(['Parameter group', `${applied.parameterGroup}${given('parameterGroup')}`]);
  rows.push([
    'Tags',
    Object.entries(applied.tags)
      .map(([key, value]) => code(`${key}=${value}`))
      .join(' '),
  ]);
  rows.push([
    'Settings from',
    applied.copiedFrom ? code(applied.copiedFrom) : 'the inputs (the original no longer exists)',
  ]);
  if (result.resumed) rows.push(['Resumed', 'an earlier run had started this restore; this one waited for it']);
  rows.push(['Took', formatDuration(result.durationMs)]);
  const title = result.previousIdentifier
    ? `✅ ${result.identifier} restored from ${result.snapshotId} and swapped in`
    : `✅ ${result.identifier} restored from ${result.snapshotId}`;
  return `${heading(title, 3)}\n\n${table(['What', 'Details'], rows)}\n`;
}
