/**
 * Speed of the smoke test: 200 checks against endpoints that answer in 50 ms, with concurrency 20, must finish in
 * under 1 s. Measures the engine alone and the whole bundle as the runner starts it (process start included).
 * Usage: npx tsx bench/smoke.ts [runs]
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger, systemClock } from '@ecs-ship/action-kit';
import { runChecks, validateChecks, type ProbeSettings } from '@ecs-ship/probe';

const CHECKS = 200;
const ENDPOINT_MS = 50;
const CONCURRENCY = 20;
const TARGET_MS = 1000;
const runs = Number(process.argv[2] ?? 5);
const root = resolve(fileURLToPath(import.meta.url), '..', '..');

async function main(): Promise<void> {
  const server = http.createServer((_, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    }, ENDPOINT_MS);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const specs = Array.from({ length: CHECKS }, (_, i) => ({
    name: `check-${i}`,
    url: `${base}/c/${i}`,
    expect: { json: { status: 'ok' } },
  }));

  const engine: number[] = [];
  const bundle: number[] = [];
  try {
    for (let i = 0; i < runs; i++) engine.push(await timeEngine(specs));
    for (let i = 0; i < runs; i++) bundle.push(await timeBundle(specs));
  } finally {
    server.closeAllConnections();
    server.close();
  }

  const floor = Math.ceil(CHECKS / CONCURRENCY) * ENDPOINT_MS;
  console.log(`smoke-test: ${CHECKS} checks, endpoints answering in ${ENDPOINT_MS} ms, concurrency ${CONCURRENCY}`);
  console.log(`  lower bound (${CHECKS / CONCURRENCY} waves × ${ENDPOINT_MS} ms): ${floor} ms`);
  console.log(`  engine (runChecks):              ${describe(engine)}`);
  console.log(
    `  bundle (node dist/smoke-test):   ${describe(bundle)}  (process start, input parsing, outputs, summary)`,
  );
  const worst = Math.max(median(engine), median(bundle));
  console.log(`  target < ${TARGET_MS} ms: ${worst < TARGET_MS ? 'met' : 'NOT MET'} (median ${Math.round(worst)} ms)`);
  if (worst >= TARGET_MS) process.exitCode = 1;
}

async function timeEngine(specs: Record<string, unknown>[]): Promise<number> {
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
  const started = performance.now();
  const report = await runChecks(checks, settings, { logger: silentLogger, clock: systemClock });
  const elapsed = performance.now() - started;
  if (report.result !== 'passed') throw new Error('a check failed in the benchmark');
  return elapsed;
}

function timeBundle(specs: Record<string, unknown>[]): Promise<number> {
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
    const child = spawn(process.execPath, [join(root, 'dist/smoke-test/index.js')], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', fail);
    child.on('close', (code) => {
      const elapsed = performance.now() - started;
      rmSync(temp, { recursive: true, force: true });
      if (code !== 0) fail(new Error(`the bundle exited with ${code}`));
      else done(elapsed);
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function describe(values: number[]): string {
  return `median ${Math.round(median(values))} ms (min ${Math.round(Math.min(...values))}, max ${Math.round(Math.max(...values))}, ${values.length} runs)`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
