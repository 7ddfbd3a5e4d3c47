import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delay, freePort, json } from '@ecs-ship/testing/servers';
import { startAction } from '@ecs-ship/testing';
import { closeServers, DEFAULT_SHA, inputIds, report, server, smoke } from './helpers.js';

/**
 * The smoke-test bundle run as the runner runs it, against local HTTP servers: outputs, job summary, annotations
 * and exit code for each behaviour of the issue.
 */

const SHORT_SHA = DEFAULT_SHA.slice(0, 7);
const OLD_SHA = '0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e';

afterEach(closeServers);

describe('smoke-test action', () => {
  it('passes a healthy service that shows the expected version, and reports it', async () => {
    const s = await server((req, res) =>
      json(res, 200, { status: 'ok', path: req.url }, { 'X-App-Version': SHORT_SHA }),
    );
    const run = await smoke({
      checks: `- name: api\n  url: ${s.url}/health\n  expect: { json: { status: ok } }\n- name: home\n  url: ${s.url}/`,
      'expect-version': DEFAULT_SHA,
      'version-header': 'X-App-Version',
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe('passed');
    expect(run.outputs['failed-checks']).toBe('[]');
    expect(run.outputs['failed-count']).toBe('0');
    expect(run.outputs['version-seen']).toBe(SHORT_SHA);
    const r = report(run);
    expect(r.checks.map((c) => [c.name, c.result, c.attempts, c.statusCodes])).toEqual([
      ['api', 'passed', 1, { '200': 1 }],
      ['home', 'passed', 1, { '200': 1 }],
    ]);
    expect(r.expectedVersion).toBe(DEFAULT_SHA);
    expect(run.summary).toContain('Smoke test passed: 2 checks');
    expect(run.summary).toContain(`**Version seen:** \`${SHORT_SHA}\``);
    expect(run.summary).toMatch(/\| api<br>`GET http:\/\/127\.0\.0\.1:\d+\/health` \| ✅ passed \| 1 \| 200 \|/);
    // Every input of action.yml is read on every run.
    expect([...run.inputsRead].sort()).toEqual(inputIds().sort());
  });

  it('rides out a flapping start inside the warm-up window', async () => {
    const s = await server((_, res, i) => (i < 3 ? json(res, i % 2 ? 502 : 503, {}) : json(res, 200, { ok: true })));
    const run = await smoke({ checks: `- name: api\n  url: ${s.url}/health`, 'wait-for-healthy-seconds': '30' });
    expect(run.exitCode).toBe(0);
    expect(report(run).checks[0]).toMatchObject({
      result: 'passed',
      attempts: 4,
      statusCodes: { '503': 2, '502': 1, '200': 1 },
    });
    expect(run.lines.some((l) => /^api: status 503, expected 2xx \(body: \{\}\); retrying for up to/.test(l))).toBe(
      true,
    );
    expect(run.summary).toContain('| ✅ passed | 4 | 200, 502, 503 ×2 |');
    // Passing after retries hides nothing: what failed in the warm-up stays in the report and the summary.
    expect(report(run).checks[0]!.failedBeforeHealthy).toEqual([
      { failure: 'status 503, expected 2xx (body: {})', count: 2 },
      { failure: 'status 502, expected 2xx (body: {})', count: 1 },
    ]);
    expect(run.summary).toContain(
      '_before healthy:_ status 503, expected 2xx (body: {}) (×2); status 502, expected 2xx (body: {}) |',
    );
  });

  it('fails with detail when a check never becomes healthy in the warm-up', async () => {
    const s = await server((_, res) => json(res, 503, { status: 'starting' }));
    const run = await smoke({ checks: `- name: api\n  url: ${s.url}/health`, 'wait-for-healthy-seconds': '1' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe('failed');
    expect(run.outputs['failed-checks']).toBe('["api"]');
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^api: not healthy within wait-for-healthy-seconds \(1 s; gave up after 1(\.\d)? s and \d+ attempts\); last failure: status 503, expected 2xx \(body: \{"status":"starting"\}\)$/,
      ),
    ]);
    expect(report(run).checks[0]!.attempts).toBeGreaterThanOrEqual(2);
    expect(run.summary).toContain('Smoke test failed: 1 of 1 check');
    expect(run.summary).toContain('❌ failed');
  });

  it('fails a check slower than max-latency-ms', async () => {
    const s = await server(async (_, res) => {
      await delay(250);
      json(res, 200, {});
    });
    const run = await smoke({ checks: `- name: slow\n  url: ${s.url}\n  expect: { max-latency-ms: 100 }` });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(/^slow: took (2[5-9]\d|[3-9]\d\d) ms, over max-latency-ms 100$/),
    ]);
  });

  it('fails on a JSON path mismatch and names both values', async () => {
    const s = await server((_, res) => json(res, 200, { checks: { db: 'down' }, status: 'degraded' }));
    const run = await smoke({
      checks: `- name: api\n  url: ${s.url}\n  expect:\n    json: { status: ok, "checks.db": up }`,
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      'api: JSON status is "degraded", expected "ok"; JSON checks.db is "down", expected "up"',
    ]);
  });

  it('fails when the old version is still answering, and says which version it saw', async () => {
    const s = await server((_, res) => json(res, 200, { build: { sha: OLD_SHA } }));
    const run = await smoke({
      checks: `- name: api\n  url: ${s.url}/version`,
      'expect-version': DEFAULT_SHA,
      'version-json-path': 'build.sha',
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['version-seen']).toBe(OLD_SHA);
    expect(run.errors[0]).toBe(
      `api: version "${OLD_SHA}" (JSON build.sha) is not the expected "${DEFAULT_SHA}": an older or other version is answering`,
    );
    expect(run.summary).toContain(`**Version seen:** \`${OLD_SHA}\` — **expected:** \`${DEFAULT_SHA}\``);
  });

  it('reports a redirect loop', async () => {
    const s = await server((req, res) => {
      res.writeHead(301, { location: req.url === '/a' ? '/b' : '/a' });
      res.end();
    });
    const run = await smoke({ checks: `- name: loop\n  url: ${s.url}/a` });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([`loop: redirect loop: ${s.url}/a → ${s.url}/b → ${s.url}/a`]);
  });

  it('reports connection refused in plain words', async () => {
    const port = await freePort();
    const run = await smoke({ checks: `- name: down\n  url: http://127.0.0.1:${port}/health` });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([`down: connection refused by 127.0.0.1:${port} (nothing is listening there)`]);
    expect(report(run).checks[0]!.statusCodes).toEqual({ error: 1 });
  });

  it('runs 200 checks with at most 20 requests in flight', async () => {
    const s = await server(async (_, res) => {
      await delay(50);
      json(res, 200, { ok: true });
    });
    const checks = Array.from({ length: 200 }, (_, i) => `- name: c${i}\n  url: ${s.url}/c/${i}`).join('\n');
    const run = await smoke({ checks, concurrency: '20' });
    expect(run.exitCode).toBe(0);
    expect(s.requests).toHaveLength(200);
    expect(new Set(s.requests.map((r) => r.url)).size).toBe(200);
    expect(s.maxInFlight).toBe(20);
    expect(report(run).checks).toHaveLength(200);
  });

  it('never prints a secret header value: not in the log, the outputs or the summary', async () => {
    const token = 'tok-9f8e7d6c5b4a-SECRET';
    const s = await server((req, res) => {
      // A careless service echoes the credential back, in a header and in the body.
      res.writeHead(500, { 'X-Echo': String(req.headers.authorization) });
      res.end(`denied for ${String(req.headers.authorization)}`);
    });
    const run = await smoke(
      {
        checks: [
          `- name: api`,
          `  url: ${s.url}/private`,
          `  headers: { Authorization: { env: API_TOKEN, prefix: "Bearer " } }`,
          `  expect: { json: { ok: true }, headers: { X-Echo: nope } }`,
        ].join('\n'),
        samples: '3',
      },
      { env: { API_TOKEN: token } },
    );
    expect(s.requests[0]!.headers.authorization).toBe(`Bearer ${token}`);
    expect(run.exitCode).toBe(1);
    expect(run.masks).toEqual(expect.arrayContaining([token, `Bearer ${token}`]));
    expect(run.visibleText).not.toContain(token);
    expect(run.visibleText).not.toContain('9f8e7d6c5b4a');
    expect(run.errors[0]).toContain('***');
  });

  it('samples latency and draws a chart in the summary', async () => {
    const s = await server(async (_, res) => {
      await delay(5);
      json(res, 200, {});
    });
    const run = await smoke({ checks: `- name: api\n  url: ${s.url}\n- name: web\n  url: ${s.url}/web`, samples: '5' });
    expect(run.exitCode).toBe(0);
    expect(s.requests).toHaveLength(2 + 10);
    const r = report(run);
    expect(r.checks[0]!.samples).toMatchObject({ count: 5, failed: 0 });
    expect(r.checks[0]!.latencyMs!.p95).toBeGreaterThanOrEqual(r.checks[0]!.latencyMs!.p50);
    expect(run.summary).toContain('```mermaid\nxychart-beta');
    expect(run.summary).toMatch(/x-axis \["(api|web)", "(api|web)"\]/);
  });

  it('with fail-on-error false, passes the step and reports the failure in its outputs', async () => {
    const s = await server((_, res) => json(res, 404, {}));
    const run = await smoke({ checks: `- name: api\n  url: ${s.url}`, 'fail-on-error': 'false' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe('failed');
    expect(run.warnings).toEqual(['api: status 404, expected 2xx (body: {})']);
  });

  it('reads checks from a file relative to the workspace, resolving paths against base-url', async () => {
    const s = await server((req, res) => json(res, 200, { path: req.url }));
    const workspace = mkdtempSync(join(tmpdir(), 'smoke-ws-'));
    writeFileSync(
      join(workspace, 'checks.yml'),
      '- name: health\n  url: /health\n  expect: { json: { path: /health } }\n',
    );
    const run = await smoke({ 'checks-file': 'checks.yml', 'base-url': s.url }, { cwd: workspace });
    expect(run.exitCode).toBe(0);
    expect(s.requests.map((r) => r.url)).toEqual(['/health']);
    expect(readFileSync(join(workspace, 'checks.yml'), 'utf8')).toContain('health');
  });

  it('stops promptly when the job is cancelled during the warm-up', async () => {
    const s = await server((_, res) => json(res, 503, {}));
    const handle = startAction('smoke-test', {
      inputs: { checks: `- name: api\n  url: ${s.url}`, 'wait-for-healthy-seconds': '600' },
    });
    await handle.waitForLine(/^api: status 503, expected 2xx \(body: \{\}\); retrying/);
    handle.kill('SIGINT');
    const run = await handle.result;
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(['The job was cancelled (SIGINT).']);
  });
});
