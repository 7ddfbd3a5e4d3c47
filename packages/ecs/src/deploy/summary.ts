/**
 * The job summary: where a person looks first. The failure's reason on top, then a table saying for each service
 * how its deployment ended and where it stands now (with links to the console), the events that matter, a timeline
 * (Mermaid gantt, which GitHub renders); in plan mode, the plan (../plan/markdown.ts). How the watch went (polls,
 * calls) is in the debug log, not here.
 */
import {
  code,
  details,
  formatDuration,
  heading,
  imageConsoleUrl,
  imageLabel,
  link,
  serviceConsoleUrl,
  serviceDeploymentConsoleUrl,
  table,
  taskDefinitionConsoleUrl,
  truncate,
} from '@ecs-ship/action-kit';
import { diagnosisSummary } from '../diagnose/report.js';
import { planMarkdown } from '../plan/markdown.js';
import { watchSummary } from '../watch/summary.js';
import { revisionName } from './assess.js';
import { serviceState, type ServiceStateName } from './fate.js';
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

const STATE_ICON: Record<ServiceStateName, string> = {
  healthy: '✅',
  deploying: '⏳',
  'rolling-back': '⏪',
  failed: '❌',
  unchanged: '➖',
  unknown: '❔',
};

/** A reason in a table cell; the whole of it is on top of the summary. */
const REASON_IN_TABLE = 300;

export function deploySummary(report: DeployReport): string {
  // The plan has its own module: it decides which values may be shown (see plan/service-plan.ts).
  if (report.mode === 'plan') return planMarkdown(report);
  const parts: string[] = [];
  const verb = report.mode === 'rollback' ? 'rollback' : 'deployment';
  parts.push(heading(`ECS ${verb} to ${code(report.cluster)}: ${RESULT_ICON[report.result] ?? ''} ${report.result}`));
  if (report.failureReason) parts.push(`> ${report.failureReason.replace(/\n/g, ' ')}`);

  parts.push(
    table(
      ['Service', 'Result', 'Now', 'Revision', 'Deployment', 'Images', 'Duration', 'Reason'],
      report.services.map((s) => {
        const now = serviceState(s);
        return [
          link(s.service, serviceConsoleUrl(s.serviceArn, report.cluster)),
          `${RESULT_ICON[s.result] ?? ''} ${s.result}`,
          `${STATE_ICON[now.state]} ${now.detail}`,
          revisions(s),
          s.deploymentId ? link(code(s.deploymentId), serviceDeploymentConsoleUrl(s.serviceDeploymentArn)) : '',
          images(s),
          s.startedAt !== undefined && s.finishedAt !== undefined ? formatDuration(s.finishedAt - s.startedAt) : '',
          s.reason ? truncate(s.reason, REASON_IN_TABLE) : '',
        ];
      }),
    ),
  );

  const watched = watchSummary(report);
  if (watched) parts.push(watched);

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
  return `${parts.join('\n\n')}\n`;
}

/** `web:1 → web:2`, each linked to its page in the console. */
function revisions(s: ServiceReport): string {
  const named = (arn: string | undefined) => link(revisionName(arn), taskDefinitionConsoleUrl(arn));
  if (!s.taskDefinition || s.taskDefinition === s.previousTaskDefinition) return named(s.previousTaskDefinition);
  return `${named(s.previousTaskDefinition)} → ${named(s.taskDefinition)}`;
}

function images(s: ServiceReport): string {
  return Object.entries(s.images)
    .map(([container, image]) => `${container}: ${link(imageLabel(image), imageConsoleUrl(image))}`)
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
