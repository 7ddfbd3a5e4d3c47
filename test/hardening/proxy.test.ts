/**
 * Every action's every request goes through the proxy the runner names (HTTPS_PROXY / HTTP_PROXY, upper- or
 * lower-case), and none does when NO_PROXY names the host.
 *
 * A real forward proxy runs on loopback (./forward-proxy.ts) and is the only thing that can resolve
 * `sandbox.proxy.test`; the sandbox is addressed by that name, over https through a TLS front with a private CA
 * (NODE_EXTRA_CA_CERTS), so AWS, GitHub and Slack traffic takes a CONNECT tunnel as it would to the real services,
 * and the smoke checks use http://, which the proxy forwards. A bundle whose request reached the sandbox can only
 * have come through the proxy. With NO_PROXY naming the host, the bundle looks the name up itself and fails: the
 * proxy sees nothing and the sandbox records no call.
 *
 * @runs-long: every action, each through the proxy.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { jest } from '@jest/globals';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { makeCertificates, type TestCertificates } from '@ecs-ship/testing/servers';
import { ACTION_NAMES, repoRoot, runAction, type ActionName, type ActionRun } from '@ecs-ship/testing';
import { startForwardProxy, startTlsFront, type ForwardProxy } from './forward-proxy.js';

jest.setTimeout(300_000);

const SCENARIO = resolve(repoRoot, 'demo/scenario.yaml');
const SHA = '8f2b6c41d3e5a7b9c0d2e4f6a8b0c1d3e5f7a9b2';
const IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:${SHA}`;
const HOST = 'sandbox.proxy.test';
const PROXY_PASSWORD = 'proxy-pass-8841';

let sandbox: Sandbox;
let proxy: ForwardProxy;
let front: { port: number; close(): Promise<void> };
let certificates: TestCertificates;
let workspace: string;

beforeAll(async () => {
  certificates = makeCertificates([`DNS:${HOST}`]);
  sandbox = await startSandbox({ scenario: SCENARIO });
  front = await startTlsFront(Number(new URL(sandbox.url).port), certificates);
  proxy = await startForwardProxy({ hosts: { [HOST]: '127.0.0.1' }, user: 'deploy-bot', password: PROXY_PASSWORD });
  workspace = mkdtempSync(join(tmpdir(), 'proxy-release-'));
  mkdirSync(join(workspace, '.github'));
  writeFileSync(
    join(workspace, '.github/ecs-release.yml'),
    readFileSync(resolve(repoRoot, 'demo/ecs-release.yml'), 'utf8').replaceAll('${SANDBOX_URL}', plainUrl()),
  );
});
afterAll(async () => {
  await Promise.all([proxy?.close(), front?.close(), sandbox?.stop()]);
  rmSync(workspace, { recursive: true, force: true });
  rmSync(certificates.dir, { recursive: true, force: true });
});
beforeEach(() => {
  sandbox.load(SCENARIO);
  proxy.entries.length = 0;
});

/** The sandbox by the name only the proxy resolves: https through the TLS front, and plain http for smoke checks. */
const secureUrl = () => `https://${HOST}:${front.port}`;
const plainUrl = () => `http://${HOST}:${new URL(sandbox.url).port}`;

/** The sandbox's variables with every loopback address replaced by the proxy-only name. */
function sandboxEnvByName(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(sandbox.env()).map(([key, value]) => [key, value.replaceAll(sandbox.url, secureUrl())]),
  );
}

function inputsFor(name: ActionName): Record<string, string> {
  switch (name) {
    case 'build-push-ecr':
      return { mode: 'promote', repository: 'shop', 'source-tag': SHA, tags: 'proxy-proof' };
    case 'run-migration-task':
      return {
        cluster: 'shop-production',
        'task-definition': 'shop-production-migrate',
        container: 'app',
        image: IMAGE,
        command: 'npm run migrate',
        'launch-type': 'FARGATE',
        subnets: 'subnet-0b1c2d3e4f5a60718',
        'security-groups': 'sg-0b1c2d3e4f5a60718',
        'snapshot-db-instance': 'shop-production',
        'poll-interval-seconds': '250ms',
      };
    case 'rds-snapshot':
      return { 'db-instance': 'shop-production', 'poll-interval-seconds': '250ms' };
    case 'rds-restore':
      return {
        'db-instance': 'shop-production',
        'snapshot-id': 'nightly-production',
        confirm: 'shop-production-restored',
        'poll-interval-seconds': '250ms',
      };
    case 'ecs-deploy-with-circuit-breaker':
      return {
        cluster: 'shop-staging',
        services: 'web',
        image: IMAGE,
        container: 'app',
        'poll-interval-seconds': '250ms',
      };
    case 'smoke-test':
      return {
        checks: `- name: web health\n  url: ${plainUrl()}/apps/shop-staging/web/health`,
        'wait-for-healthy-seconds': '0',
      };
    case 'tag-release':
      return { sha: SHA, tag: 'proxy-proof', 'create-release': 'true', 'deployment-environment': 'staging' };
    case 'notify-slack':
      return { 'webhook-url': sandboxEnvByName().SLACK_WEBHOOK_URL!, status: 'success', 'fail-on-error': 'true' };
    case 'release':
      return { environment: 'production', sha: SHA };
  }
}

/** Half the actions get the upper-case variables, half the lower-case ones: the runner may set either. */
function proxyVariables(name: ActionName, noProxy?: string): Record<string, string> {
  const lower = ACTION_NAMES.indexOf(name) % 2 === 1;
  const names = lower ? ['https_proxy', 'http_proxy', 'no_proxy'] : ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY'];
  return {
    [names[0]!]: proxy.url,
    [names[1]!]: proxy.url,
    ...(noProxy ? { [names[2]!]: noProxy } : {}),
    NODE_EXTRA_CA_CERTS: certificates.caFile,
  };
}

function run(name: ActionName, noProxy?: string): Promise<ActionRun> {
  return runAction(name, {
    inputs: inputsFor(name),
    env: { ...sandboxEnvByName(), ...proxyVariables(name, noProxy) },
    ...(name === 'release' ? { cwd: workspace } : {}),
    timeoutMs: 180_000,
  });
}

describe.each(ACTION_NAMES.map((name) => [name]))('%s', (name) => {
  test('every request goes through the proxy', async () => {
    const result = await run(name);
    if (result.exitCode !== 0) throw new Error(`${name} failed behind the proxy:\n${result.stdout}\n${result.stderr}`);
    const calls = sandbox.recorder.calls();
    expect(calls.length).toBeGreaterThan(0);
    // Nothing else was asked for, and every tunnel and forwarded request was to the sandbox's name.
    expect(proxy.entries.length).toBeGreaterThan(0);
    for (const entry of proxy.entries) {
      expect(entry.target).toMatch(entry.method === 'CONNECT' ? `${HOST}:${front.port}` : `http://${HOST}:`);
    }
    const services = new Set(calls.map((call) => call.service));
    const tunnels = proxy.entries.filter((entry) => entry.method === 'CONNECT');
    const forwarded = proxy.entries.filter((entry) => entry.method !== 'CONNECT');
    if (name === 'smoke-test') {
      expect(forwarded.map((entry) => `${entry.method} ${new URL(entry.target).pathname}`)).toContain(
        'GET /apps/shop-staging/web/health',
      );
    } else {
      expect(tunnels.length).toBeGreaterThan(0);
    }
    const expectedServices: Record<ActionName, string[]> = {
      'build-push-ecr': ['ecr'],
      'run-migration-task': ['rds', 'ecs', 'logs'],
      'rds-snapshot': ['rds'],
      'rds-restore': ['rds'],
      'ecs-deploy-with-circuit-breaker': ['ecs'],
      'smoke-test': ['apps'],
      'tag-release': ['github'],
      'notify-slack': ['slack'],
      release: ['slack', 'ecr', 'rds', 'ecs', 'logs', 'apps', 'github'],
    };
    for (const service of expectedServices[name]) expect(services).toContain(service);
    if (name === 'release') expect(forwarded.length).toBeGreaterThan(0); // its smoke checks use http://
    expect(result.visibleText).not.toContain(PROXY_PASSWORD);
  });

  test('with NO_PROXY naming the host, nothing goes through the proxy (the name does not resolve without it)', async () => {
    const result = await run(name, HOST);
    expect(result.exitCode).not.toBe(0);
    expect(proxy.entries).toEqual([]);
    expect(sandbox.recorder.calls()).toEqual([]);
    expect(`${result.stdout}\n${result.stderr}`).toMatch(/ENOTFOUND|EAI_AGAIN|could not be resolved|DNS/);
    expect(result.visibleText).not.toContain(PROXY_PASSWORD);
  });
});
