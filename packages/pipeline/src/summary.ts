import {
  code,
  details,
  formatDuration,
  heading,
  imageConsoleUrl,
  link,
  table,
  taskDefinitionConsoleUrl,
  truncate,
} from '@ecs-ship/action-kit';
import { deploySummary } from '@ecs-ship/ecs';
import type { ReleaseReport, StageRecord } from './report.js';

/**
 * The longest "What happened" a stage row shows: the table is read at a glance, the failure's whole reason is quoted
 * above it and each engine's details follow it.
 */
const DETAIL_MAX = 200;

const RESULT_ICON: Record<string, string> = {
  succeeded: '✅',
  failed: '❌',
  'rolled-back': '↩️',
  superseded: '⏩',
  planned: '📝',
  skipped: '⏭️',
  warning: '⚠️',
};

/** The whole release at a glance: the outcome, each stage with its duration and result, links, and a timeline. */
export function releaseSummary(report: ReleaseReport): string {
  const parts: string[] = [];
  const outcome =
    report.result === 'succeeded' || report.result === 'planned'
      ? report.result
      : `${report.result} at ${report.failedStage}`;
  parts.push(
    heading(
      `${RESULT_ICON[report.result]} Release of ${code(report.sha.slice(0, 7))} to ${report.environment}: ${outcome}`,
    ),
  );
  if (report.failureReason) parts.push(`> ${report.failureReason}`);
  parts.push(
    table(
      ['Stage', 'Result', 'Duration', 'What happened'],
      report.stages.map((stage) => [
        stage.title,
        `${RESULT_ICON[stage.result] ?? ''} ${stage.result}`,
        duration(stage),
        truncate(stage.detail, DETAIL_MAX),
      ]),
    ),
  );
  const facts: string[] = [];
  if (report.imageRef) facts.push(`- Image: ${link(code(report.imageRef), imageConsoleUrl(report.imageRef))}`);
  for (const [service, imageRef] of Object.entries(report.serviceImageRefs ?? {}))
    facts.push(`- Image of ${service}: ${link(code(imageRef), imageConsoleUrl(imageRef))}`);
  for (const [service, arn] of Object.entries(report.taskDefinitionArns))
    facts.push(`- ${service}: ${link(code(arn.replace(/^.*:task-definition\//, '')), taskDefinitionConsoleUrl(arn))}`);
  if (report.tag) facts.push(`- Tag: ${code(report.tag)}`);
  for (const stage of report.stages) for (const l of stage.links) facts.push(`- ${link(l.text, l.url)}`);
  if (facts.length > 0) parts.push(facts.join('\n'));
  const timeline = gantt(report);
  if (timeline) parts.push(heading('Timeline', 3), timeline);
  if (report.deploy) parts.push(details('Deployment details', deploySummary(report.deploy)));
  if (report.rollback) parts.push(details('Rollback details', deploySummary(report.rollback)));
  return `${parts.join('\n\n')}\n`;
}

function duration(stage: StageRecord): string {
  return stage.startedAt !== undefined && stage.finishedAt !== undefined
    ? formatDuration(stage.finishedAt - stage.startedAt)
    : '';
}

/** A Mermaid gantt of the stages that ran; GitHub renders it in the job summary. */
function gantt(report: ReleaseReport): string | undefined {
  const ran = report.stages.filter((s) => s.startedAt !== undefined && s.finishedAt !== undefined);
  if (ran.length === 0) return undefined;
  const lines = ['```mermaid', 'gantt', '  dateFormat x', '  axisFormat %M:%S', `  section ${report.environment}`];
  for (const stage of ran) {
    const tag = stage.result === 'failed' ? 'crit, ' : stage.result === 'succeeded' ? 'done, ' : '';
    const end = Math.max(stage.finishedAt!, stage.startedAt! + 1);
    lines.push(`  ${stage.title.replace(/:/g, '')} :${tag}${stage.startedAt}, ${end}`);
  }
  lines.push('```');
  return lines.join('\n');
}
