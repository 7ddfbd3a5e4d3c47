/**
 * Reads the figures out of the text the per-area bench scripts print (bench/deploy.ts, migration.ts, ecr.ts,
 * smoke.ts). They print for people, so each parser matches whole lines by their fixed wording and turns a line that
 * is missing into a failed figure naming the script, rather than a guess.
 */
import { failedFigure, type Figure } from './figures.js';
import type { ScriptRun } from './child.js';
import { formatBytes, median } from './stats.js';

function trimmedLines(text: string): string[] {
  return text.split('\n').map((line) => line.trim());
}

function matchLine(text: string, pattern: RegExp): RegExpExecArray | undefined {
  for (const line of trimmedLines(text)) {
    const match = pattern.exec(line);
    if (match) return match;
  }
  return undefined;
}

/** The last non-empty line of stderr (or stdout): the usual place for a script's error. */
function lastWords(run: ScriptRun): string {
  const lines = (run.stderr.trim() || run.stdout.trim()).split('\n').filter((line) => line.trim());
  const error = lines.findLast((line) => /Error|error:|not finish/.test(line));
  return `exit code ${run.exitCode}: ${(error ?? lines.at(-1) ?? 'no output').trim()}`;
}

const seconds = (text: string) => Number(text) * 1000;

export function parseDeploy(
  run: ScriptRun,
  pollIntervals: readonly number[],
  serviceCounts: readonly number[],
): Figure[] {
  const figures: Figure[] = [];
  for (const poll of pollIntervals) {
    const figure = `deploy detection latency, poll ${poll} s`;
    const how = 'ECS records COMPLETED / FAILED in the sandbox → step exits (bench/deploy.ts, worst run)';
    const goal = `≤ ${poll + 0.2} s`;
    const outcomes = (['COMPLETED', 'FAILED'] as const).map((outcome) =>
      matchLine(
        run.stdout,
        new RegExp(
          `^detection of ${outcome}\\s+at poll ${poll} s: (.*) \\(worst (-?[\\d.]+) s; target ≤ ([\\d.]+) s: (met|MISSED)\\)$`,
        ),
      ),
    );
    const [completed, failed] = outcomes;
    if (!completed || !failed) {
      figures.push(failedFigure(figure, how, goal, `bench/deploy.ts printed no such line (${lastWords(run)})`));
      continue;
    }
    const samples = (m: RegExpExecArray) => [...m[1]!.matchAll(/(-?[\d.]+) s/g)].map((s) => seconds(s[1]!));
    const worstCompleted = seconds(completed[2]!);
    const worstFailed = seconds(failed[2]!);
    const target = seconds(completed[3]!);
    figures.push({
      figure,
      how,
      goal,
      measured: `COMPLETED ${(worstCompleted / 1000).toFixed(2)} s, FAILED ${(worstFailed / 1000).toFixed(2)} s`,
      pass: Math.max(worstCompleted, worstFailed) <= target,
      values: {
        pollSeconds: poll,
        targetMs: target,
        completedMs: samples(completed),
        failedMs: samples(failed),
        completedMedianMs: median(samples(completed)),
        failedMedianMs: median(samples(failed)),
      },
    });
  }
  for (const services of serviceCounts) {
    const expected = Math.ceil(services / 10);
    const figure = `API calls per deploy, ${services} service${services === 1 ? '' : 's'}`;
    const how = 'DescribeServices calls per poll, from the sandbox recorder (bench/deploy.ts)';
    const goal = `${expected} per poll (⌈${services}/10⌉)`;
    const match = matchLine(
      run.stdout,
      new RegExp(
        `^DescribeServices per poll with\\s+${services} service\\(s\\): (\\d+) on the first poll, at most (\\d+) over (\\d+) poll\\(s\\) \\(target (\\d+): (met|MISSED)\\)$`,
      ),
    );
    if (!match) {
      figures.push(failedFigure(figure, how, goal, `bench/deploy.ts printed no such line (${lastWords(run)})`));
      continue;
    }
    const first = Number(match[1]);
    const most = Number(match[2]);
    const polls = Number(match[3]);
    figures.push({
      figure,
      how,
      goal,
      measured: `first poll ${first}, at most ${most} per poll over ${polls} polls`,
      pass: first === expected && most <= expected,
      values: { services, expectedPerPoll: expected, firstPoll: first, maxPerPoll: most, polls },
    });
  }
  return figures;
}

export function parseMigration(run: ScriptRun, pollSeconds: number): Figure[] {
  const pollMs = pollSeconds * 1000;
  const figures: Figure[] = [];
  const lagFigure = `migration log lag, poll ${pollSeconds} s`;
  const lagHow = 'CloudWatch ingestion → line on the step stdout; a lost or doubled line fails (bench/migration.ts)';
  const lag = matchLine(
    run.stdout,
    /^log lag \(ingested → printed\), (\d+) lines: p50 (-?\d+) ms, p95 (-?\d+) ms, max (-?\d+) ms; target ≤ (\d+) ms: (met|NOT MET)$/,
  );
  if (lag) {
    const max = Number(lag[4]);
    figures.push({
      figure: lagFigure,
      how: lagHow,
      goal: `≤ ${pollMs} ms, none lost or doubled`,
      measured: `${lag[1]} lines, p50 ${lag[2]} ms, p95 ${lag[3]} ms, max ${max} ms`,
      pass: max <= Number(lag[5]),
      values: { lines: Number(lag[1]), p50Ms: Number(lag[2]), p95Ms: Number(lag[3]), maxMs: max },
    });
  } else {
    figures.push(failedFigure(lagFigure, lagHow, `≤ ${pollMs} ms`, `bench/migration.ts: ${lastWords(run)}`));
  }

  const listed = (text: string) => [...text.matchAll(/(-?\d+) ms/g)].map((m) => Number(m[1]));
  const stopped = matchLine(
    run.stdout,
    /^STOPPED detection \(stoppedAt → printed\): (.*); target ≤ (\d+) ms: (met|NOT MET)$/,
  );
  const stoppedFigure = 'migration STOPPED detection';
  const stoppedHow = 'ECS stoppedAt → the step prints STOPPED (bench/migration.ts, worst run)';
  if (stopped) {
    const samples = listed(stopped[1]!);
    figures.push({
      figure: stoppedFigure,
      how: stoppedHow,
      goal: `≤ ${stopped[2]} ms`,
      measured: `worst ${Math.max(...samples)} ms`,
      pass: Math.max(...samples) <= Number(stopped[2]),
      values: { samplesMs: samples },
    });
  } else {
    figures.push(
      failedFigure(stoppedFigure, stoppedHow, `≤ ${pollMs + 200} ms`, `bench/migration.ts: ${lastWords(run)}`),
    );
  }

  const cancel = matchLine(run.stdout, /^SIGTERM → StopTask: (.*); target ≤ (\d+) ms: (met|NOT MET)$/);
  const cancelFigure = 'migration cancellation';
  const cancelHow = 'SIGTERM to the step → StopTask reaches ECS (bench/migration.ts, worst run)';
  if (cancel) {
    const samples = listed(cancel[1]!);
    figures.push({
      figure: cancelFigure,
      how: cancelHow,
      goal: `≤ ${cancel[2]} ms`,
      measured: `worst ${Math.max(...samples)} ms`,
      pass: Math.max(...samples) <= Number(cancel[2]),
      values: { samplesMs: samples },
    });
  } else {
    figures.push(failedFigure(cancelFigure, cancelHow, '≤ 2000 ms', `bench/migration.ts: ${lastWords(run)}`));
  }
  return figures;
}

/** Cells of the Markdown table rows that bench/ecr.ts prints, by the first cell. */
function tableRows(text: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of trimmedLines(text)) {
    if (!line.startsWith('|') || line.startsWith('| ---')) continue;
    const cells = line
      .slice(1, line.endsWith('|') ? -1 : undefined)
      .split('|')
      .map((cell) => cell.trim());
    if (cells[0]) rows.set(cells[0], cells);
  }
  return rows;
}

const LAYER_UPLOADS = /LayerUpload|UploadLayerPart|PutLayer/;

export function parseEcr(run: ScriptRun): Figure[] {
  const figures: Figure[] = [];
  const rows = tableRows(run.stdout);
  const promoteRows = [...rows.values()].filter((cells) => /^(small|large) \(/.test(cells[0]!));
  const promoteFigure = 'promotion';
  const promoteHow = 'API calls and layer uploads to promote a 4 KiB and a 30 GiB image (bench/ecr.ts)';
  const promoteGoal = 'constant calls, 0 layer bytes';
  if (promoteRows.length === 2) {
    const calls = promoteRows.map((cells) => Number(cells[1]));
    const uploads = promoteRows.flatMap((cells) => (cells[2] ?? '').split(',').map((op) => op.trim()));
    const layerUploads = uploads.filter((op) => LAYER_UPLOADS.test(op));
    figures.push({
      figure: promoteFigure,
      how: promoteHow,
      goal: promoteGoal,
      measured: `${calls.join(' and ')} calls; ${layerUploads.length} layer upload calls`,
      pass: calls[0] === calls[1] && layerUploads.length === 0,
      values: Object.fromEntries(
        promoteRows.map((cells) => [cells[0]!, { calls: Number(cells[1]), operations: cells[2] }]),
      ),
    });
  } else {
    figures.push(failedFigure(promoteFigure, promoteHow, promoteGoal, `bench/ecr.ts: ${lastWords(run)}`));
  }

  const pushFigure = 'repeated archive push';
  const pushHow = 'blob bytes uploaded by a second push-archive to a real registry (bench/ecr.ts)';
  const first = rows.get('first');
  const repeat = rows.get('repeat');
  const skipped = trimmedLines(run.stdout).find((line) => line.startsWith('skipped:'));
  if (first && repeat) {
    const bytes = Number(repeat[2]);
    figures.push({
      figure: pushFigure,
      how: pushHow,
      goal: '0 bytes',
      measured: `${formatBytes(Number(first[2]))} first, ${formatBytes(bytes)} second (${repeat[3]} blobs already there)`,
      pass: bytes === 0,
      values: { firstBytes: Number(first[2]), repeatBytes: bytes, repeatBlobsSkipped: Number(repeat[3]) },
    });
  } else {
    figures.push(failedFigure(pushFigure, pushHow, '0 bytes', skipped ?? `bench/ecr.ts: ${lastWords(run)}`));
  }
  return figures;
}

export function parseSmoke(run: ScriptRun): Figure[] {
  const figure = 'smoke';
  const how = '200 checks × 50 ms endpoints, concurrency 20; engine median, bundle median (bench/smoke.ts)';
  const goal = '< 1 s';
  const engine = matchLine(
    run.stdout,
    /^engine \(runChecks\):\s+median (\d+) ms \(min (\d+), max (\d+)\), CPU (\d+) ms, (\d+) runs/,
  );
  const bundle = matchLine(
    run.stdout,
    /^bundle \(node dist\/smoke-test\):\s+median (\d+) ms .*?CPU (\d+) ms, (\d+) runs/,
  );
  if (!engine) return [failedFigure(figure, how, goal, `bench/smoke.ts: ${lastWords(run)}`)];
  const engineMs = Number(engine[1]);
  return [
    {
      figure,
      how,
      goal,
      measured: `engine ${engineMs} ms` + (bundle ? `, whole bundle ${bundle[1]} ms` : ''),
      pass: engineMs < 1000,
      values: {
        engineMedianMs: engineMs,
        engineCpuMs: Number(engine[4]),
        runs: Number(engine[5]),
        ...(bundle ? { bundleMedianMs: Number(bundle[1]), bundleCpuMs: Number(bundle[2]) } : {}),
      },
    },
  ];
}
