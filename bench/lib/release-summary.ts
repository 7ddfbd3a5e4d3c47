/** Reads the stage timings out of the release action's job summary. */

export interface StageTiming {
  stage: string;
  ms: number;
}

/**
 * The release summary draws a Mermaid gantt chart per environment whose bars carry the stages' start and end in epoch
 * milliseconds (`Deploy :done, 1795451278041, 1795451279296`): exact durations, unlike the rounded table column.
 */
export function stageTimings(summary: string, environment: string): StageTiming[] {
  const stages: StageTiming[] = [];
  let inSection = false;
  for (const raw of summary.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('section ')) {
      if (inSection) break;
      inSection = line === `section ${environment}`;
      continue;
    }
    if (!inSection) continue;
    if (line.startsWith('```')) break;
    const bar = /^(.+?)\s*:\s*(?:[a-z]+,\s*)*(\d{10,}),\s*(\d{10,})$/.exec(line);
    if (bar) stages.push({ stage: bar[1]!.trim(), ms: Number(bar[3]) - Number(bar[2]) });
  }
  return stages;
}

/** The stage table's Result column by stage name (`✅ succeeded`, `⏭️ skipped`, ...), without the emoji. */
export function stageResults(summary: string): Map<string, string> {
  const results = new Map<string, string>();
  for (const line of summary.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 5 || cells[1] === 'Stage' || cells[1]?.startsWith('---')) continue;
    const result = /([a-z][a-z -]*)$/.exec(cells[2] ?? '');
    if (cells[1] && result) results.set(cells[1], result[1]!);
  }
  return results;
}
