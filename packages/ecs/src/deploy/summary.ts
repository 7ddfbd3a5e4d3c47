/**
 * The job summary: where a person looks first. A table per service, the events that matter, a timeline
 * (Mermaid gantt, which GitHub renders); in plan mode, the plan (../plan/markdown.ts).
 */
import { code, details, formatDuration, heading, table } from '@ecs-ship/action-kit';
import { diagnosisSummary } from '../diagnose/report.js';
import { planMarkdown } from '../plan/markdown.js';
import { revisionName } from './assess.js';
import type { DeployReport, ServiceReport } from './types.js';

const RESULT_ICON: Record<string, string> = {
  succeeded: '✅',
  unchanged: '➖',
  planned: '📝',
  started: '🚀',
  'in-progress': '⏳',
  failed: '❌',
  'rolled-back': '⏪',
  'timed-out': '⌛',
  superseded: '🔀',
  gone: '❌',
  cancelled: '🚫',
};

export function deploySummary(report: DeployReport): string {
  // The plan has its own module: it decides which values may be shown (see plan/service-plan.ts).
  if (report.mode === 'plan') return planMarkdown(report);
  const parts: string[] = [];
  const verb = report.mode === 'rollback' ? 'rollback' : 'deployment';
  parts.push(heading(`ECS ${verb} to ${code(report.cluster)}: ${RESULT_ICON[report.result] ?? ''} ${report.result}`));
  if (report.failureReason) parts.push(`> ${report.failureReason.replace(/\n/g, ' ')}`);

  parts.push(
    table(
      ['Service', 'Revision before', 'Revision after', 'Images', 'Result', 'Duration', 'Reason'],
      report.services.map((s) => [
        s.service,
        revisionName(s.previousTaskDefinition),
        revisionName(s.taskDefinition),
        images(s),
        `${RESULT_ICON[s.result] ?? ''} ${s.result}`,
        s.startedAt !== undefined && s.finishedAt !== undefined ? formatDuration(s.finishedAt - s.startedAt) : '',
        [s.reason, s.rollback ? `Rollback: ${s.rollback.reason}` : undefined].filter(Boolean).join(' — '),
      ]),
    ),
  );

  const shifted = report.services.filter((s) => s.lifecycleStage);
  if (shifted.length > 0) {
    const lines = shifted.map((s) => `${s.service}: ${s.strategy ?? ''}, last lifecycle stage ${s.lifecycleStage}`);
    parts.push(`Traffic shifting: ${lines.join('; ')}.`);
  }

  const withEvents = report.services.filter((s) => s.events.length > 0);
  if (withEvents.length > 0) {
    parts.push(heading('Service events', 3));
    for (const s of withEvents) {
      const lines = s.events.map((e) => `${new Date(e.createdAt).toISOString().slice(11, 19)}  ${e.message}`);
      parts.push(details(`${s.service}: ${s.events.length} event(s)`, lines.join('\n'), true));
    }
  }

  const stopped = diagnosisSummary(report);
  if (stopped) parts.push(stopped);

  const timeline = gantt(report);
  if (timeline) parts.push(heading('Timeline', 3), timeline);
  parts.push(
    `<sub>${report.polls} poll(s), ${report.describeServicesCalls} DescribeServices call(s); status from ${report.usedServiceDeployments ? 'DescribeServiceDeployments' : 'deployments[].rolloutState'}.</sub>`,
  );
  return `${parts.join('\n\n')}\n`;
}

function images(s: ServiceReport): string {
  return Object.entries(s.images)
    .map(([container, image]) => `${container}: ${image}`)
    .join('\n');
}

/** A Mermaid gantt of each service's deployment and rollback phases, in wall-clock time. */
export function gantt(report: DeployReport): string | undefined {
  const rows = report.services.filter((s) => s.phases.length > 0);
  if (rows.length === 0) return undefined;
  const lines = ['```mermaid', 'gantt', '  dateFormat x', '  axisFormat %H:%M:%S'];
  for (const s of rows) {
    lines.push(`  section ${mermaidText(s.service)}`);
    s.phases.forEach((phase, i) => {
      const end = Math.max(phase.end ?? report.finishedAt, phase.start + 1);
      const tag = phase.outcome === 'failed' ? 'crit, ' : phase.outcome === 'active' ? 'active, ' : '';
      lines.push(
        `  ${mermaidText(phase.label)} :${tag}p${rows.indexOf(s)}_${i}, ${Math.round(phase.start)}, ${Math.round(end)}`,
      );
    });
  }
  lines.push('```');
  return lines.join('\n');
}

/** Mermaid treats `:`, `#` and `;` specially in task names; a ratio sign looks like the colon of `web:2`. */
function mermaidText(text: string): string {
  return text.replace(/:/g, '\u2236').replace(/[#;]/g, ' ');
}
