import { code, details, escapeHtml, formatDuration, heading, table } from '@ecs-ship/action-kit';
import type { CheckResult, SmokeReport } from './types.js';

/**
 * The job summary: the verdict, the version seen, a table per check and, where checks were sampled, a latency
 * chart (Mermaid `xychart-beta`, which GitHub renders). Header values never appear: only the report's own fields do.
 */

/** A chart with more bars than this is unreadable; the slowest checks are shown. */
const CHART_MAX_CHECKS = 20;

export function renderSummary(report: SmokeReport): string {
  const failed = report.checks.filter((c) => c.result === 'failed');
  const parts = [
    heading(
      report.result === 'passed'
        ? `Smoke test passed: ${report.checks.length} ${plural(report.checks.length, 'check')}`
        : `Smoke test failed: ${failed.length} of ${report.checks.length} ${plural(report.checks.length, 'check')}`,
    ),
    versionLine(report),
    table(
      ['Check', 'Result', 'Attempts', 'Status codes', 'p50', 'p95', 'Max', 'What failed'],
      report.checks.map((c) => [
        `${c.name}<br>${code(`${c.method} ${c.url}`)}`,
        c.result === 'passed' ? '✅ passed' : '❌ failed',
        c.attempts,
        statusCodes(c),
        ms(c.latencyMs?.p50),
        ms(c.latencyMs?.p95),
        ms(c.latencyMs?.max),
        whatFailed(c),
      ]),
    ),
  ];
  const chart = latencyChart(report.checks);
  if (chart) parts.push(chart);
  parts.push(`_Finished in ${formatDuration(report.durationMs)}._`);
  if (failed.length > 0) {
    parts.push(details('Failure detail', failed.map((c) => `${c.name}: ${c.failure ?? 'failed'}`).join('\n'), true));
  }
  return `${parts.join('\n\n')}\n`;
}

function versionLine(report: SmokeReport): string {
  // When checks disagree (an old task still answering behind one route), say which check saw which version.
  const byVersion = new Map<string, string[]>();
  for (const check of report.checks) {
    if (check.versionSeen !== undefined)
      byVersion.set(check.versionSeen, [...(byVersion.get(check.versionSeen) ?? []), check.name]);
  }
  const seen =
    byVersion.size === 0
      ? 'none'
      : byVersion.size === 1
        ? code([...byVersion.keys()][0]!)
        : [...byVersion].map(([version, names]) => `${code(version)} (${listNames(names)})`).join(', ');
  if (report.expectedVersion === undefined) {
    return byVersion.size > 0 ? `**Version seen:** ${seen}` : '_No version was expected (expect-version)._';
  }
  return `**Version seen:** ${seen} — **expected:** ${code(report.expectedVersion)}`;
}

function listNames(names: string[]): string {
  const shown = names.slice(0, 3).map(escapeHtml).join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}

function whatFailed(check: CheckResult): string {
  if (check.failure) return escapeHtml(check.failure);
  if (!check.failedBeforeHealthy) return '';
  const failures = check.failedBeforeHealthy.map((f) => (f.count > 1 ? `${f.failure} (×${f.count})` : f.failure));
  return `_before healthy:_ ${escapeHtml(failures.join('; '))}`;
}

function statusCodes(check: CheckResult): string {
  return Object.entries(check.statusCodes)
    .map(([status, count]) => (count > 1 ? `${status} ×${count}` : status))
    .join(', ');
}

function ms(value: number | undefined): string {
  return value === undefined ? '' : `${Math.round(value)} ms`;
}

/** Bars for p95 and a line for p50, per sampled check, the slowest first. */
export function latencyChart(checks: CheckResult[]): string | undefined {
  const sampled = checks.filter((c) => c.samples && c.samples.count > 1 && c.latencyMs);
  if (sampled.length === 0) return undefined;
  const shown = [...sampled].sort((a, b) => b.latencyMs!.p95 - a.latencyMs!.p95).slice(0, CHART_MAX_CHECKS);
  const top = Math.max(1, ...shown.map((c) => c.latencyMs!.max));
  const lines = [
    '```mermaid',
    'xychart-beta',
    `    title "Latency per check (ms): bars p95, line p50"`,
    `    x-axis [${shown.map((c) => JSON.stringify(chartLabel(c.name))).join(', ')}]`,
    `    y-axis "ms" 0 --> ${Math.ceil(top * 1.1)}`,
    `    bar [${shown.map((c) => Math.round(c.latencyMs!.p95)).join(', ')}]`,
    `    line [${shown.map((c) => Math.round(c.latencyMs!.p50)).join(', ')}]`,
    '```',
  ];
  const note =
    sampled.length > shown.length
      ? `\n\n_The chart shows the ${shown.length} slowest of ${sampled.length} sampled checks._`
      : '';
  return `${lines.join('\n')}${note}`;
}

/** Mermaid labels cannot hold quotes or brackets; keep them short too. */
function chartLabel(name: string): string {
  const clean = name.replace(/["[\]`]/g, "'");
  return clean.length > 24 ? `${clean.slice(0, 23)}…` : clean;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
