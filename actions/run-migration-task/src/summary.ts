// The job summary: what ran, how long, how it ended, and the last log lines.
import { code, details, formatDuration, heading, link, table } from '@ecs-ship/action-kit';
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
    snapshot ? `${code(snapshot.snapshotId)} (${formatDuration(snapshot.durationMs)})` : 'none asked for',
  ]);
  rows.push(['Task', link(code(result.taskId), taskConsoleUrl(result.taskArn))]);
  rows.push(['Logs', result.logUrl ? link('CloudWatch', result.logUrl) : 'no awslogs stream']);
  rows.push(['Task definition', code(result.taskDefinitionArn.slice(result.taskDefinitionArn.lastIndexOf('/') + 1))]);
  rows.push(['Container', code(result.container)]);
  rows.push(['Duration', formatDuration(result.durationMs)]);
  rows.push(['Seen', result.timeline.map((step) => `${step.status} ${formatDuration(step.afterMs)}`).join(' → ')]);
  rows.push(['Exit code', result.exitCode ?? 'none']);
  rows.push(['Stop code', result.stopCode]);
  if (result.stoppedReason) rows.push(['Stopped reason', result.stoppedReason]);
  const parts = [heading(verdict, 3), result.outcome.summary, table(['What', 'Details'], rows)];
  if (result.lastLines.length > 0) {
    parts.push(details(`Last ${result.lastLines.length} log lines`, result.lastLines.join('\n'), true));
  } else {
    parts.push('_No log lines were read from the task._');
  }
  return `${parts.join('\n\n')}\n`;
}

/** The ECS console's page of a task (`arn:aws:ecs:<region>:<account>:task/<cluster>/<id>`). */
export function taskConsoleUrl(taskArn: string): string | undefined {
  const match = /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):\d{12}:task\/([^/]+)\/([0-9a-f]+)$/.exec(taskArn);
  if (!match) return undefined;
  const [, region, cluster, id] = match;
  return `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${cluster}/tasks/${id}/configuration?region=${region}`;
}
