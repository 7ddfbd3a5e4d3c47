// The job summary: how the migration ended and why on top, then what ran, how long, with links to the console, and
// the last log lines.
import {
  code,
  details,
  formatDuration,
  heading,
  link,
  snapshotConsoleUrl,
  table,
  taskConsoleUrl,
  taskDefinitionConsoleUrl,
} from '@ecs-ship/action-kit';
import type { OneOffTaskResult } from '@ecs-ship/ecs';
import type { SnapshotResult } from '@ecs-ship/rds';

export function migrationSummary(
  result: OneOffTaskResult,
  snapshot: SnapshotResult | undefined,
  environmentName: string | undefined,
): string {
  const verdict = result.outcome.passed ? '✅ Migration succeeded' : '❌ Migration failed';
  const rows: unknown[][] = [];
  if (environmentName) rows.push(['Environment', environmentName]);
  rows.push([
    'Snapshot',
    snapshot
      ? `${link(code(snapshot.snapshotId), snapshotConsoleUrl(snapshot.arn))} (${formatDuration(snapshot.durationMs)})`
      : 'none asked for',
  ]);
  rows.push(['Task', link(code(result.taskId), taskConsoleUrl(result.taskArn))]);
  rows.push(['Logs', result.logUrl ? link('CloudWatch', result.logUrl) : 'no awslogs stream']);
  const revision = result.taskDefinitionArn.slice(result.taskDefinitionArn.lastIndexOf('/') + 1);
  rows.push(['Task definition', link(code(revision), taskDefinitionConsoleUrl(result.taskDefinitionArn))]);
  rows.push(['Container', code(result.container)]);
  rows.push(['Duration', formatDuration(result.durationMs)]);
  rows.push(['Seen', result.timeline.map((step) => `${step.status} ${formatDuration(step.afterMs)}`).join(' → ')]);
  rows.push(['Exit code', result.exitCode ?? 'none']);
  rows.push(['Stop code', result.stopCode]);
  if (result.stoppedReason) rows.push(['Stopped reason', result.stoppedReason]);
  const outcome = result.outcome.passed ? result.outcome.summary : `> ${result.outcome.summary.replace(/\n/g, ' ')}`;
  const parts = [heading(verdict, 3), outcome, table(['What', 'Details'], rows)];
  if (result.lastLines.length > 0) {
    parts.push(details(`Last ${result.lastLines.length} log lines`, result.lastLines.join('\n'), true));
  } else {
    parts.push('_No log lines were read from the task._');
  }
  return `${parts.join('\n\n')}\n`;
}
