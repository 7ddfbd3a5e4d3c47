// The OCI registry push behind a proxy: build-push-ecr `push-archive` to Debian's docker-registry (a real registry
// with basic auth) through the loopback forward proxy of the proxy suite, which alone resolves the names the sandbox
// and the registry are given. Every ECR API call and every registry request goes through it; with NO_PROXY naming
// the hosts, none does. skopeo, a client nobody here wrote, then reads the image straight from the registry.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { DEFAULT_SHA, runAction, type ActionRun } from '@ecs-ship/testing';
import { startLocalRegistry, requireTools, type LocalRegistry } from '@ecs-ship/testing/local-registry';
import { writeOciFixture, type OciFixture } from '@ecs-ship/testing/oci-fixture';
import { PASSWORD } from '../build-push-ecr/scenario.js';
import { startForwardProxy, type ForwardProxy } from '../hardening/forward-proxy.js';

let registry: LocalRegistry;
let sandbox: Sandbox;
let proxy: ForwardProxy;
let fixture: OciFixture;
let work: string;

const registryPort = () => registry.host.split(':')[1]!;
const registryByName = () => `http://registry.proxy.test:${registryPort()}`;

beforeAll(async () => {
  requireTools();
  work = mkdtempSync(join(tmpdir(), 'proxy-registry-'));
  registry = await startLocalRegistry('AWS', PASSWORD);
  sandbox = await startSandbox({
    scenario: { region: 'eu-west-1', ecr: { registry: registryByName(), password: PASSWORD, repositories: [] } },
  });
  proxy = await startForwardProxy({
    hosts: { 'registry.proxy.test': '127.0.0.1', 'sandbox.proxy.test': '127.0.0.1' },
    user: 'runner',
    password: 'proxy-secret-5531',
  });
  fixture = await writeOciFixture(work, DEFAULT_SHA);
}, 60_000);

afterAll(async () => {
  await Promise.all([sandbox?.stop(), registry?.stop(), proxy?.close()]);
  rmSync(work, { recursive: true, force: true });
});

function pushArchive(tag: string, noProxy?: string): Promise<ActionRun> {
  const env = {
    ...sandbox.env(),
    AWS_ENDPOINT_URL: sandbox.url.replace('127.0.0.1', 'sandbox.proxy.test'),
    GITHUB_SHA: DEFAULT_SHA,
    HTTP_PROXY: proxy.url,
    HTTPS_PROXY: proxy.url,
    ...(noProxy ? { NO_PROXY: noProxy } : {}),
  };
  return runAction('build-push-ecr', {
    inputs: { repository: 'shop/web', 'create-repository': 'true', archive: fixture.tar, tags: tag },
    env,
    timeoutMs: 120_000,
  });
}

it('every ECR API call and registry request goes through the proxy; skopeo sees the image', async () => {
  proxy.entries.length = 0;
  const run = await pushArchive('through-proxy');
  if (run.exitCode !== 0) throw new Error(`push-archive failed behind the proxy:\n${run.stdout}\n${run.stderr}`);
  const targets = proxy.entries.map((entry) => `${entry.method} ${entry.target}`);
  expect(targets.some((t) => t.startsWith('POST http://sandbox.proxy.test:'))).toBe(true);
  expect(
    targets.some((t) => /^PUT http:\/\/registry\.proxy\.test:\d+\/v2\/shop\/web\/manifests\/through-proxy$/.test(t)),
  ).toBe(true);
  expect(targets.some((t) => /\/v2\/shop\/web\/blobs\//.test(t))).toBe(true);
  for (const entry of proxy.entries) expect(entry.target).toMatch(/^http:\/\/(registry|sandbox)\.proxy\.test:\d+\//);
  expect(run.visibleText).not.toContain('proxy-secret-5531');

  const inspect = spawnSync(
    'skopeo',
    [
      'inspect',
      '--raw',
      '--tls-verify=false',
      '--creds',
      `AWS:${PASSWORD}`,
      `docker://${registry.host}/shop/web:through-proxy`,
    ],
    { encoding: 'utf8' },
  );
  expect(inspect.status).toBe(0);
  expect(JSON.parse(inspect.stdout)).toHaveProperty('schemaVersion', 2);
});

it('with NO_PROXY naming the hosts, nothing goes through the proxy and the names do not resolve', async () => {
  proxy.entries.length = 0;
  const run = await pushArchive('bypassed', 'registry.proxy.test,sandbox.proxy.test');
  expect(run.exitCode).not.toBe(0);
  expect(proxy.entries).toEqual([]);
  expect(`${run.stdout}\n${run.stderr}`).toMatch(/ENOTFOUND|EAI_AGAIN/);
  expect(sandbox.recorder.calls({ operation: 'GetAuthorizationToken' })).toHaveLength(1); // from the first test only
});
