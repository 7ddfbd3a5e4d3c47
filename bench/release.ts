/**
 * The demo's production release, stage by stage: the root action's bundle (dist/release) run the way the runner
 * does against the sandbox loaded with demo/scenario.yaml and the demo's release config, staging first and then
 * production with the good commit (as `npm run demo` does). Each stage's duration comes from the job summary's
 * timeline; the medians over the runs are reported, with the whole step's wall time.
 * Usage: npx tsx bench/release.ts [runs]
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startSandbox } from '@ecs-ship/sandbox';
import { runAction } from '@ecs-ship/testing';
import { repoRoot } from './lib/child.js';
import { failedFigure, type Figure } from './lib/figures.js';
import { stageResults, stageTimings } from './lib/release-summary.js';
import { formatMs, median } from './lib/stats.js';

const SCENARIO = resolve(repoRoot, 'demo/scenario.yaml');
const RELEASE_CONFIG = resolve(repoRoot, 'demo/ecs-release.yml');
/** The good release of the demo world (8f2b6c4); d4e5f6a fails its health checks on purpose. */
const SHA = '8f2b6c41d3e5a7b9c0d2e4f6a8b0c1d3e5f7a9b2';

interface ReleaseRun {
  wallMs: number;
  stages: Map<string, number>;
  results: Map<string, string>;
}

async function releaseOnce(): Promise<ReleaseRun> {
  const sandbox = await startSandbox({ scenario: SCENARIO });
  const workspace = mkdtempSync(join(tmpdir(), 'bench-release-'));
  try {
    mkdirSync(join(workspace, '.github'));
    writeFileSync(
      join(workspace, '.github/ecs-release.yml'),
      readFileSync(RELEASE_CONFIG, 'utf8').replaceAll('${SANDBOX_URL}', sandbox.url),
    );
    const env = { ...sandbox.env(), RUNNER_DEBUG: '0' };
    let production;
    for (const environment of ['staging', 'production']) {
      const run = await runAction('release', {
        inputs: { environment, sha: SHA },
        env,
        cwd: workspace,
        timeoutMs: 180_000,
      });
      if (run.exitCode !== 0 || run.outputs.result !== 'succeeded') {
        const why = run.outputs['failure-reason'] || run.errors[0] || run.stderr.trim().split('\n').at(-1);
        throw new Error(
          `the ${environment} release ended ${run.outputs.result ?? `with exit ${run.exitCode}`}: ${why}`,
        );
      }
      production = run;
    }
    const stages = new Map(stageTimings(production!.summary, 'production').map((s) => [s.stage, s.ms]));
    if (stages.size === 0) throw new Error('the production summary has no timeline of its stages');
    return { wallMs: production!.durationMs, stages, results: stageResults(production!.summary) };
  } finally {
    await sandbox.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

export async function measureRelease(runs: number): Promise<Figure[]> {
  const how = `dist/release, demo scenario, staging then production (${SHA.slice(0, 7)}); median of ${runs}, from the job summary`;
  const samples: ReleaseRun[] = [];
  try {
    for (let i = 0; i < runs; i++) samples.push(await releaseOnce());
  } catch (error) {
    return [failedFigure('whole release (production)', how, 'reported', error)];
  }
  const stageNames = [...samples[0]!.stages.keys()];
  const wall = median(samples.map((s) => s.wallMs));
  const figures: Figure[] = [
    {
      figure: 'whole release (production)',
      how,
      goal: 'reported',
      measured: `${formatMs(wall)} for the step`,
      pass: null,
      values: { wallMedianMs: wall, wallSamplesMs: samples.map((s) => s.wallMs) },
    },
  ];
  for (const stage of stageNames) {
    const times = samples.map((s) => s.stages.get(stage)).filter((ms): ms is number => ms !== undefined);
    const result = samples[0]!.results.get(stage);
    figures.push({
      figure: `  release stage: ${stage}`,
      how: 'stage bar of the summary timeline',
      goal: 'reported',
      measured: `${formatMs(median(times))}${result ? ` (${result})` : ''}`,
      pass: null,
      values: { medianMs: median(times), samplesMs: times, result },
    });
  }
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { textTable } = await import('./lib/table.js');
  console.log(textTable(await measureRelease(Number(process.argv[2] ?? 3))));
}
