// The job summary's part on the watch after the deploy: what was watched, for how long, and how it ended.
import { code, formatDuration, heading } from '@ecs-ship/action-kit';
import type { DeployReport } from '../deploy/types.js';
import { describePause } from './alarm-pause.js';

const OUTCOME = {
  held: '✅ held',
  breached: '⏪ breached: every service was rolled back',
  cancelled: '🚫 cancelled: the deploy itself succeeded and nothing was rolled back',
  unread: '❌ CloudWatch could not be read: the deploy itself succeeded and nothing was rolled back',
} as const;

export function watchSummary(report: DeployReport): string | undefined {
  const watch = report.watch;
  if (!watch) return undefined;
  const lines = [
    heading('Watch after the deploy', 3),
    `${OUTCOME[watch.outcome]} · watched ${formatDuration(watch.finishedAt - watch.startedAt)} of ${formatDuration(watch.durationMs)}, ${watch.reads} reading(s)`,
    '',
  ];
  if (watch.breach) {
    const { breach } = watch;
    const threshold = breach.kind === 'alarm' ? 'ALARM' : breach.threshold;
    lines.push(
      `**${breach.what}**: ${breach.value} (threshold ${threshold}) at ${new Date(breach.at).toISOString().slice(11, 19)}`,
      '',
    );
  }
  if (watch.alarms.length > 0) lines.push(`- Alarms: ${watch.alarms.map(code).join(', ')}`);
  for (const metric of watch.metrics) lines.push(`- ${code(metric)}`);
  if (watch.last.length > 0) lines.push(`- Last reading: ${watch.last.join('; ')}`);
  if (watch.problem) lines.push(`- ${watch.problem}`);
  const pause = watch.alarmPause;
  if (pause) {
    lines.push(`- ${describePause(pause)}`);
    for (const left of pause.left)
      lines.push('', `  ${code(left.service)}: ${left.problem}`, '', '```sh', left.restore, '```');
  }
  return lines.join('\n');
}
