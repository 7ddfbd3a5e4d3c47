/**
 * `npm run bench`: every figure of the benchmark table, measured on the committed bundles against the sandbox, printed
 * as one table (figure, how, goal, measured, result) and written to bench/results.json.
 *
 *   npm run bench                 full sizes (about a quarter of an hour on 2 cores)
 *   npm run bench -- --quick      small sizes, a few minutes: proves the bench still runs (CI)
 *   options: --out <file>  where to write the results (quick runs default to the temporary folder, so that they do
 *            not replace the committed full results); --markdown  also print the table in Markdown;
 *            --strict  exit 1 when a goal is missed (otherwise only a figure that could not be measured fails the run,
 *            since timing goals depend on how busy the machine is)
 *
 * Parts: bench/cold-start.ts, bench/release.ts and bench/throttling.ts run in this process; the per-area scripts (deploy, migration, ecr,
 * smoke) run as child processes, one at a time so that they do not compete for the cores, with --json: each prints one
 * JSON object of its measurements (bench/lib/report.ts), turned into figures by bench/lib/readers.ts.
 */
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { measureColdStart } from './cold-start.js';
import { measureRelease } from './release.js';
import { measureThrottlingStorm } from './throttling.js';
import { benchRoot, runBenchScript } from './lib/child.js';
import { failedFigure, type Figure } from './lib/figures.js';
import { describeMachine, machineLine } from './lib/machine.js';
import { readDeploy, readEcr, readMigration, readSmoke } from './lib/readers.js';
import { writeResults } from './lib/results.js';
import { markdownTable, textTable } from './lib/table.js';

// Every figure is measured on the Node running the bench, the one its own spawns use: the harness would otherwise run
// actions on the pinned Node 24 (packages/testing/src/runtime.ts). `ECS_SHIP_TEST_NODE=24 npm run bench` measures the
// harness-run parts on Node 24.
process.env.ECS_SHIP_TEST_NODE ??= 'host';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outIndex = args.indexOf('--out');
const out =
  outIndex >= 0 && args[outIndex + 1]
    ? resolve(args[outIndex + 1]!)
    : quick
      ? join(tmpdir(), 'ecs-ship-bench-quick.json')
      : join(benchRoot, 'results.json');

/** Sizes: the full run matches the table; the quick run keeps every figure but with fewer repetitions. */
const size = quick
  ? { coldStartRuns: 3, deployRuns: 1, migrationRuns: 1, smokeRuns: 2, releaseRuns: 1 }
  : // 25 migration runs of 400 lines each: the 10,000 lines the log-lag figure asks for.
    { coldStartRuns: 9, deployRuns: 3, migrationRuns: 25, smokeRuns: 7, releaseRuns: 3 };
const MINUTE = 60_000;

const machine = describeMachine();
const startedAt = new Date();
const started = performance.now();
const figures: Figure[] = [];

function progress(text: string): void {
  process.stderr.write(`==> ${text}\n`);
}

async function part(name: string, measure: () => Promise<Figure[]>): Promise<void> {
  progress(name);
  try {
    figures.push(...(await measure()));
  } catch (error) {
    figures.push(failedFigure(name, 'the part crashed', '—', error));
  }
}

progress(`${quick ? 'quick' : 'full'} bench on ${machineLine(machine)}`);
await part('cold start', () => measureColdStart(size.coldStartRuns));
await part('deploy (bench/deploy.ts)', async () =>
  readDeploy(await runBenchScript('deploy', [String(size.deployRuns), '--json'], 30 * MINUTE), [1, 5], [1, 10, 50]),
);
await part('migration (bench/migration.ts)', async () =>
  readMigration(await runBenchScript('migration', [String(size.migrationRuns), '1', '--json'], 30 * MINUTE), 1),
);
await part('ecr (bench/ecr.ts)', async () => readEcr(await runBenchScript('ecr', ['--json'], 10 * MINUTE)));
await part('smoke (bench/smoke.ts)', async () =>
  readSmoke(await runBenchScript('smoke', [String(size.smokeRuns), '--json'], 10 * MINUTE)),
);
await part('whole release', () => measureRelease(size.releaseRuns));
await part('throttling storm (bench/throttling.ts)', () => measureThrottlingStorm(size.deployRuns));

machine.loadAverageAtEnd = Number(loadavg()[0]!.toFixed(2));
const durationMs = performance.now() - started;
writeResults(out, { mode: quick ? 'quick' : 'full', startedAt: startedAt.toISOString(), durationMs, machine, figures });

console.log(`\necs-ship bench (${quick ? 'quick' : 'full'}), ${machineLine(machine)}\n`);
console.log(textTable(figures));
if (args.includes('--markdown')) console.log(`\n${markdownTable(figures)}`);
const broken = figures.filter((f) => f.error);
for (const figure of broken) console.log(`\n${figure.figure}: ${figure.error}`);
const missed = figures.filter((f) => f.pass === false);
console.log(
  `\n${figures.length} figures in ${Math.round(durationMs / 1000)} s: ${missed.length} goal(s) missed, ` +
    `${broken.length} not measured. Results: ${out}`,
);
if (broken.length > 0 || (args.includes('--strict') && missed.length > 0)) process.exitCode = 1;
