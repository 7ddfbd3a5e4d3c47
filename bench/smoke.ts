/**
 * Speed of the smoke test: 200 checks against endpoints that answer in 50 ms, with concurrency 20, must finish in
 * under 1 s. Measures the engine alone and the whole bundle as the runner starts it (process start included), with
 * the endpoints served by a separate process so that they do not compete with the code measured. CPU time is
 * printed next to wall time: on a busy machine wall time grows, CPU time barely does.
 * Usage: npx tsx bench/smoke.ts [runs] [--json]   (--json: the figures as one JSON object on stdout, see lib/report.ts)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger, systemClock } from '@ecs-ship/action-kit';
import { runChecks, validateChecks, type ProbeSettings } from '@ecs-ship/probe';
import { scriptOutput, type SampleSummary, type SmokeReport, smokeReportSchema } from './lib/report.js';

const CHECKS = 200;
const ENDPOINT_MS = 50;
const CONCURRENCY = 20;
const TARGET_MS = 1000;
const { args, say, report } = scriptOutput();
const runs = Number(args[0] ?? 5);
const root = resolve(fileURLToPath(import.meta.url), '..', '..');

/** The endpoints: a plain node:http server in its own process that answers after ENDPOINT_MS. */
const SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => setTimeout(() => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"status":"ok"}');
}, ${ENDPOINT_MS}));
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

/** Prints the process's CPU time when it exits, without touching the bundle. */
const CPU_PROBE = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('cpu-ms '+Math.round((u.user+u.system)/1000)+'\\n')})`;

interface Sample {
  wallMs: number;
  cpuMs: number;
}

async function main(): Promise<void> {
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((done, fail) => {
    server.stdout.setEncoding('utf8');
    server.stdout.once('data', (text: string) => done(text.trim()));
    server.once('error', fail);
  });
  const base = `http://127.0.0.1:${port}`;
  const specs = Array.from({ length: CHECKS }, (_, i) => ({
    name: `check-${i}`,
    url: `${base}/c/${i}`,
    expect: { json: { status: 'ok' } },
  }));

  const engine: Sample[] = [];
  const bundle: Sample[] = [];
  try {
    for (let i = 0; i < runs; i++) engine.push(await timeEngine(specs));
    for (let i = 0; i < runs; i++) bundle.push(await timeBundle(specs));
  } finally {
    server.kill();
  }

  const smokeReport: SmokeReport = {
    checks: CHECKS,
    endpointMs: ENDPOINT_MS,
    concurrency: CONCURRENCY,
    engine: summarise(engine),
    bundle: summarise(bundle),
  };
  const floor = Math.ceil(CHECKS / CONCURRENCY) * ENDPOINT_MS;
  say(`smoke-test: ${CHECKS} checks, endpoints answering in ${ENDPOINT_MS} ms, concurrency ${CONCURRENCY}`);
  say(`  machine: ${process.version}, load average ${loadavg()[0]!.toFixed(1)}`);
  say(`  lower bound (${CHECKS / CONCURRENCY} waves × ${ENDPOINT_MS} ms): ${floor} ms`);
  say(`  engine (runChecks):            ${describe(smokeReport.engine)}`);
  say(
    `  bundle (node dist/smoke-test): ${describe(smokeReport.bundle)} — process start, YAML, outputs and summary included`,
  );
  const engineMedian = smokeReport.engine.medianMs;
  say(
    `  target < ${TARGET_MS} ms (engine): ${engineMedian < TARGET_MS ? 'met' : 'NOT MET'} (median ${engineMedian} ms)`,
  );
  report(smokeReportSchema, smokeReport);
  if (engineMedian >= TARGET_MS) process.exitCode = 1;
}

async function timeEngine(specs: Record<string, unknown>[]): Promise<Sample> {
  const { checks, problems } = validateChecks(specs, { env: {} });
  if (problems.length > 0) throw new Error(problems.map((p) => p.problem).join('; '));
  const settings: ProbeSettings = {
    waitForHealthyMs: 0,
    consecutiveSuccesses: 1,
    samples: 1,
    concurrency: CONCURRENCY,
    requestTimeoutMs: 10_000,
    maxRedirects: 5,
    maxErrorRate: 0,
    versionSource: { kind: 'body' },
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  const report = await runChecks(checks, settings, { logger: silentLogger, clock: systemClock });
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (report.result !== 'passed') throw new Error('a check failed in the benchmark');
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

function timeBundle(specs: Record<string, unknown>[]): Promise<Sample> {
  const temp = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  const output = join(temp, 'output');
  const summary = join(temp, 'summary.md');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const yaml = specs
    .map((s) => `- name: ${String(s.name)}\n  url: ${String(s.url)}\n  expect: { json: { status: ok } }`)
    .join('\n');
  const env = {
    ...process.env,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    INPUT_CHECKS: yaml,
    INPUT_CONCURRENCY: String(CONCURRENCY),
    'INPUT_WAIT-FOR-HEALTHY-SECONDS': '0',
  };
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', CPU_PROBE, join(root, 'dist/smoke-test/index.js')], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => (stderr += text));
    child.on('error', fail);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      rmSync(temp, { recursive: true, force: true });
      const cpu = /cpu-ms (\d+)/.exec(stderr);
      if (code !== 0 || !cpu) fail(new Error(`the bundle exited with ${code}: ${stderr}`));
      else done({ wallMs, cpuMs: Number(cpu[1]) });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Wall-time median and spread, and the median CPU time, in whole milliseconds. */
function summarise(samples: Sample[]): SampleSummary {
  const wall = samples.map((s) => s.wallMs);
  return {
    medianMs: Math.round(median(wall)),
    minMs: Math.round(Math.min(...wall)),
    maxMs: Math.round(Math.max(...wall)),
    cpuMs: Math.round(median(samples.map((s) => s.cpuMs))),
    runs: samples.length,
  };
}

function describe(summary: SampleSummary): string {
  return (
    `median ${summary.medianMs} ms (min ${summary.minMs}, max ${summary.maxMs}), ` +
    `CPU ${summary.cpuMs} ms, ${summary.runs} runs`
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
