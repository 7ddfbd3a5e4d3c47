/**
 * Cold start of every action, on the committed bundles:
 * - wall time from spawn to exiting on a validation error, against `node -e 0` timed the same way in the same run
 *   (goal ≤ 2×);
 * - wall time from spawn to the first request reaching the sandbox (the sandbox records each call's arrival), with
 *   valid inputs taken from the demo world;
 * - bundle size (the entry file and the whole dist folder with its lazily loaded chunks);
 * - peak RSS over both runs, beside a ceiling of 160 MB per action (no memory goal below 120 MB): memory is no
 *   constraint on a runner with gigabytes, so the ceiling only catches a step that loads far more than it should.
 * Runs are interleaved (baseline, then each action) so that a busy moment on a shared machine hits all of them.
 * Usage: npx tsx bench/cold-start.ts [runs]
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { ACTION_NAMES, actionYamlPath, readActionMetadata, type ActionName } from '@ecs-ship/testing';
import { repoRoot } from './lib/child.js';
import { failedFigure, type Figure } from './lib/figures.js';
import { formatBytes, formatMs, median } from './lib/stats.js';
import { rssSource, stepEnvironment, timeNode, type TimedProcess } from './lib/step-process.js';

const SCENARIO = resolve(repoRoot, 'demo/scenario.yaml');
const RELEASE_CONFIG = resolve(repoRoot, 'demo/ecs-release.yml');
const SHA = '8f2b6c41d3e5a7b9c0d2e4f6a8b0c1d3e5f7a9b2';
const IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:${SHA}`;
const RSS_GOAL_MB = 160;

/** Inputs that refuse to start: required ones left out, or a malformed boolean where nothing is required. */
const INVALID_INPUTS: Record<ActionName, Record<string, string>> = {
  'build-push-ecr': {},
  'run-migration-task': {},
  'ecs-deploy-with-circuit-breaker': {},
  'smoke-test': { 'fail-on-error': 'maybe' },
  'tag-release': { 'create-release': 'maybe' },
  'notify-slack': {},
  'rds-snapshot': {},
  'rds-restore': {},
  release: {},
};

let snapshots = 0;
let restores = 0;

/** Inputs for a real run against the demo world: each action's first call goes to the sandbox. */
function validInputs(name: ActionName, sandbox: Sandbox): Record<string, string> {
  const env = sandbox.env();
  switch (name) {
    case 'build-push-ecr':
      return { mode: 'promote', repository: 'shop', 'source-tag': SHA, tags: 'cold-start' };
    case 'run-migration-task':
      return {
        cluster: 'shop-staging',
        'task-definition': 'shop-staging-migrate',
        container: 'app',
        image: IMAGE,
        command: 'npm run migrate',
        'launch-type': 'FARGATE',
        subnets: 'subnet-0a1b2c3d4e5f60718',
        'security-groups': 'sg-0a1b2c3d4e5f60718',
        'poll-interval-seconds': '1',
      };
    case 'ecs-deploy-with-circuit-breaker':
      return {
        cluster: 'shop-staging',
        services: 'web',
        image: IMAGE,
        container: 'app',
        'poll-interval-seconds': '1',
      };
    case 'smoke-test':
      return {
        checks: `- name: web health\n  url: ${sandbox.url}/apps/shop-staging/web/health`,
        'wait-for-healthy-seconds': '0',
      };
    case 'tag-release':
      return { sha: SHA, tag: 'cold-start' };
    case 'notify-slack':
      return { 'webhook-url': env.SLACK_WEBHOOK_URL ?? '', status: 'success', text: 'cold start' };
    case 'rds-snapshot':
      return {
        'db-instance': 'shop-production',
        'snapshot-id': `cold-start-${++snapshots}`,
        'poll-interval-seconds': '1',
      };
    case 'rds-restore': {
      // A new database each run: restored from the demo's nightly snapshot.
      const target = `cold-start-${++restores}`;
      return {
        'db-instance': 'shop-production',
        'snapshot-id': 'nightly-production',
        'target-id': target,
        confirm: target,
        'poll-interval-seconds': '1',
      };
    }
    case 'release':
      return { environment: 'staging', sha: SHA, 'dry-run': 'true' };
  }
}

interface Samples {
  invalidMs: number[];
  firstRequestMs: number[];
  invalidRssKb: number[];
  runRssKb: number[];
  problems: string[];
}

function bundleSizes(name: ActionName): { entryBytes: number; folderBytes: number } {
  const entry = resolve(actionYamlPath(name), '..', readActionMetadata(name).runs.main);
  const folder = resolve(entry, '..');
  const walk = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce(
      (sum, item) => sum + (item.isDirectory() ? walk(join(dir, item.name)) : statSync(join(dir, item.name)).size),
      0,
    );
  return { entryBytes: statSync(entry).size, folderBytes: walk(folder) };
}

function entryOf(name: ActionName): string {
  return resolve(actionYamlPath(name), '..', readActionMetadata(name).runs.main);
}

async function invalidRun(name: ActionName, workspace: string): Promise<TimedProcess> {
  const { env, cleanup } = stepEnvironment(readActionMetadata(name).inputs ?? {}, INVALID_INPUTS[name], {}, workspace);
  try {
    return await timeNode([entryOf(name)], { env, cwd: workspace });
  } finally {
    cleanup();
  }
}

async function baselineRun(workspace: string): Promise<TimedProcess> {
  const { env, cleanup } = stepEnvironment({}, {}, {}, workspace);
  try {
    return await timeNode(['-e', '0'], { env, cwd: workspace });
  } finally {
    cleanup();
  }
}

async function validRun(name: ActionName, sandbox: Sandbox, workspace: string): Promise<TimedProcess> {
  sandbox.load(SCENARIO);
  const { env, cleanup } = stepEnvironment(
    readActionMetadata(name).inputs ?? {},
    validInputs(name, sandbox),
    sandbox.env(),
    workspace,
  );
  try {
    return await timeNode([entryOf(name)], { env, cwd: workspace, timeoutMs: 120_000 });
  } finally {
    cleanup();
  }
}

/**
 * The root action's cold-start run above is a dry run. A real release loads more (the RDS client for the snapshot,
 * the log follower, Octokit and the Slack client): its whole production release is measured once as well.
 */
async function productionRelease(sandbox: Sandbox, workspace: string): Promise<TimedProcess> {
  sandbox.load(SCENARIO);
  const { env, cleanup } = stepEnvironment(
    readActionMetadata('release').inputs ?? {},
    { environment: 'production', sha: SHA },
    sandbox.env(),
    workspace,
  );
  try {
    return await timeNode([entryOf('release')], { env, cwd: workspace, timeoutMs: 180_000 });
  } finally {
    cleanup();
  }
}

function productionReleaseFigure(run: TimedProcess | Error): Figure {
  const figure = 'peak RSS, whole production release';
  const how = `dist/release, every stage of the demo's production release (snapshot, migration, deploy, smoke, tag, Slack); ${rssSource()}`;
  // The issue gives the whole release no memory goal ("reported"); the per-action goal is shown beside it.
  const goal = 'reported';
  if (run instanceof Error) return failedFigure(figure, how, goal, run.message);
  if (run.exitCode !== 0) {
    return failedFigure(figure, how, goal, `the release exited ${run.exitCode}: ${run.stdout.slice(-300)}`);
  }
  return {
    figure,
    how,
    goal,
    measured:
      `${formatBytes(run.peakRssKb * 1024)} (${run.peakRssKb.toLocaleString('en')} kB) in ${formatMs(run.wallMs)} ` +
      `(${run.peakRssKb <= RSS_GOAL_MB * 1024 ? 'within' : 'above'} the ${RSS_GOAL_MB} MB per-action goal)`,
    pass: null,
    values: { peakRssKb: run.peakRssKb, wallMs: run.wallMs },
  };
}

export async function measureColdStart(runs: number, actions: readonly ActionName[] = ACTION_NAMES): Promise<Figure[]> {
  const sandbox = await startSandbox({ scenario: SCENARIO });
  const workspace = mkdtempSync(join(tmpdir(), 'bench-cold-'));
  mkdirSync(join(workspace, '.github'));
  writeFileSync(
    join(workspace, '.github/ecs-release.yml'),
    readFileSync(RELEASE_CONFIG, 'utf8').replaceAll('${SANDBOX_URL}', sandbox.url),
  );
  const baseline: number[] = [];
  const baselineRss: number[] = [];
  const samples = new Map<ActionName, Samples>(
    actions.map((name) => [name, { invalidMs: [], firstRequestMs: [], invalidRssKb: [], runRssKb: [], problems: [] }]),
  );
  let production: TimedProcess | Error | undefined;
  try {
    for (let run = 0; run < runs; run++) {
      // The baseline gets the very environment of the refused runs: variables such as NODE_EXTRA_CA_CERTS cost
      // node itself tens of milliseconds at start, and must not count against the bundles.
      const bare = await baselineRun(workspace);
      baseline.push(bare.wallMs);
      baselineRss.push(bare.peakRssKb);
      for (const name of actions) {
        const sample = samples.get(name)!;
        const invalid = await invalidRun(name, workspace);
        if (invalid.exitCode !== 1 || !invalid.stdout.includes('::error')) {
          sample.problems.push(`no validation error (exit ${invalid.exitCode}): ${invalid.stdout.slice(0, 300)}`);
        } else {
          sample.invalidMs.push(invalid.wallMs);
          sample.invalidRssKb.push(invalid.peakRssKb);
        }
        const valid = await validRun(name, sandbox, workspace);
        const first = sandbox.recorder.calls()[0];
        if (!first) {
          sample.problems.push(`no request reached the sandbox (exit ${valid.exitCode}): ${valid.stdout.slice(-300)}`);
        } else {
          sample.firstRequestMs.push(first.at - valid.startedAt);
          sample.runRssKb.push(valid.peakRssKb);
          if (valid.exitCode !== 0) sample.problems.push(`the run with valid inputs exited ${valid.exitCode}`);
        }
      }
    }
    if (actions.includes('release')) {
      production = await productionRelease(sandbox, workspace).catch((error: unknown) =>
        error instanceof Error ? error : new Error(String(error)),
      );
    }
  } finally {
    await sandbox.stop();
    rmSync(workspace, { recursive: true, force: true });
  }

  const bareMs = median(baseline);
  const figures: Figure[] = [
    {
      figure: 'cold start baseline',
      how: `node -e 0, median of ${runs}`,
      goal: '—',
      measured: `${formatMs(bareMs)}, ${formatBytes(Math.max(...baselineRss) * 1024)} RSS`,
      pass: null,
      values: { medianMs: bareMs, samplesMs: baseline, peakRssKb: Math.max(...baselineRss) },
    },
  ];
  for (const name of actions) {
    const sample = samples.get(name)!;
    const figure = `cold start, ${name}`;
    const how = `spawn → exit refusing its inputs, → first request with valid ones; median of ${runs}; ${rssSource()}`;
    const goal = `refused ≤ 2 × node -e 0; ≤ ${RSS_GOAL_MB} MB RSS`;
    if (sample.invalidMs.length === 0 || sample.firstRequestMs.length === 0) {
      figures.push(failedFigure(figure, how, goal, sample.problems[0] ?? 'no sample'));
      continue;
    }
    const invalidMs = median(sample.invalidMs);
    const firstMs = median(sample.firstRequestMs);
    const invalidPeakKb = Math.max(...sample.invalidRssKb);
    const runPeakKb = Math.max(...sample.runRssKb);
    const peakKb = Math.max(invalidPeakKb, runPeakKb);
    const sizes = bundleSizes(name);
    const ratio = invalidMs / bareMs;
    const ok = ratio <= 2 && peakKb <= RSS_GOAL_MB * 1024 && sample.problems.length === 0;
    figures.push({
      figure,
      how,
      goal,
      measured:
        `refused ${formatMs(invalidMs)} (${ratio.toFixed(2)}×), first request ${formatMs(firstMs)} ` +
        `(${(firstMs / bareMs).toFixed(2)}×); peak RSS ${formatBytes(invalidPeakKb * 1024)} refused, ` +
        `${formatBytes(runPeakKb * 1024)} whole run; entry ${formatBytes(sizes.entryBytes)}, ` +
        `dist ${formatBytes(sizes.folderBytes)}`,
      pass: ok,
      values: {
        invalidMedianMs: invalidMs,
        invalidRatio: ratio,
        firstRequestMedianMs: firstMs,
        firstRequestRatio: firstMs / bareMs,
        invalidPeakRssKb: invalidPeakKb,
        runPeakRssKb: runPeakKb,
        ...sizes,
        invalidSamplesMs: sample.invalidMs,
        firstRequestSamplesMs: sample.firstRequestMs,
        problems: sample.problems,
      },
      ...(sample.problems.length > 0 ? { error: sample.problems[0] } : {}),
    });
  }
  if (production) figures.push(productionReleaseFigure(production));
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { textTable } = await import('./lib/table.js');
  const figures = await measureColdStart(Number(process.argv[2] ?? 5));
  console.log(textTable(figures));
  for (const f of figures) if (f.error) console.log(`${f.figure}: ${f.error}`);
}
