// The job summary: the snapshot taken, or what the retention deleted (or would delete) and kept, and why.
import { code, formatDuration, heading, table } from '@ecs-ship/action-kit';
import type { PruneResult, RetentionSettings, SnapshotRequest, SnapshotResult } from '@ecs-ship/rds';

export function snapshotSummary(request: SnapshotRequest, snapshot: SnapshotResult, environment?: string): string {
  const rows: unknown[][] = [];
  if (environment) rows.push(['Environment', environment]);
  rows.push(['Database', `${request.source.kind} ${code(request.source.identifier)}`]);
  rows.push(['Snapshot', code(snapshot.snapshotId)]);
  rows.push(['Status', snapshot.status]);
  rows.push(['Took', formatDuration(snapshot.durationMs)]);
  return `${heading('✅ Snapshot available', 3)}\n\n${table(['What', 'Details'], rows)}\n`;
}

export function pruneSummary(settings: RetentionSettings, result: PruneResult): string {
  const rules = [
    settings.olderThanDays !== undefined && `older than ${settings.olderThanDays} days`,
    settings.keepNewest !== undefined && `beyond the newest ${settings.keepNewest}`,
  ].filter(Boolean);
  const title = result.dryRun
    ? `🔎 Dry run: ${result.selection.remove.length} snapshot(s) of ${settings.source} would be deleted`
    : `🧹 ${result.deleted.length} snapshot(s) of ${settings.source} deleted`;
  const rows = [
    ...result.selection.remove.map(({ snapshot, reason }) => [
      code(snapshot.identifier),
      snapshot.createdAt?.toISOString().slice(0, 16).replace('T', ' ') ?? '',
      result.dryRun ? 'would be deleted' : result.deleted.includes(snapshot.identifier) ? 'deleted' : 'not deleted',
      reason,
    ]),
    ...result.selection.keep.map(({ snapshot, reason }) => [
      code(snapshot.identifier),
      snapshot.createdAt?.toISOString().slice(0, 16).replace('T', ' ') ?? '',
      'kept',
      reason,
    ]),
  ];
  const body =
    rows.length > 0 ? table(['Snapshot', 'Taken (UTC)', 'Result', 'Why'], rows) : '_The suite has no snapshots of it._';
  return `${heading(title, 3)}\n\nRule: delete the suite's manual snapshots ${rules.join(' or ')}. ${result.othersIgnored} manual snapshot(s) made otherwise were left alone.\n\n${body}\n`;
}
