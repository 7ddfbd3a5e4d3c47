import { DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import * as z from 'zod';
import { startSandbox, type Sandbox, type SandboxRequest, type SandboxResponse } from '../src/index.js';
import { fakeEcs, fakeRds } from './support/test-modules.js';

let sandbox: Sandbox;
let ecs: ECSClient;
const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' };

beforeAll(async () => {
  sandbox = await startSandbox({ services: [fakeEcs, fakeRds] });
  ecs = new ECSClient({ region: 'us-east-1', endpoint: sandbox.url, credentials, retryMode: 'adaptive' });
});
afterAll(async () => {
  ecs.destroy();
  await sandbox.stop();
});
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.recorder.clear();
});

const attempts = () =>
  sandbox.recorder.calls({ operation: 'ListClusters' }).map((c) => [c.status, c.errorCode ?? null]);

describe('faults, applied before the handler, per (service, operation)', () => {
  it('throttles the next N calls; the SDK rides the storm out with adaptive retry', async () => {
    sandbox.faults.inject({ kind: 'throttle', service: 'ecs', operation: 'ListClusters', count: 2 });
    const out = await ecs.send(new ListClustersCommand({}));
    expect(out.clusterArns).toHaveLength(1);
    expect(out.$metadata.attempts).toBe(3);
    expect(attempts()).toEqual([
      [400, 'ThrottlingException'],
      [400, 'ThrottlingException'],
      [200, null],
    ]);
    expect(sandbox.faults.list()).toEqual([]);
  });

  it('gives up with ThrottlingException when the storm outlasts the retries', async () => {
    sandbox.faults.inject({ kind: 'throttle', service: 'ecs', count: 10 });
    const error = await ecs.send(new ListClustersCommand({})).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400, attempts: 3 } });
  });

  it('throttles RDS with the query protocol code Throttling', async () => {
    sandbox.faults.inject({ kind: 'throttle', service: 'rds', count: 5 });
    const rds = new RDSClient({ region: 'us-east-1', endpoint: sandbox.url, credentials, maxAttempts: 1 });
    const error = await rds.send(new DescribeDBSnapshotsCommand({})).catch((e: unknown) => e);
    rds.destroy();
    expect(error).toMatchObject({ name: 'Throttling', $metadata: { httpStatusCode: 400 } });
  });

  it('imposes a rate limit: calls beyond the bucket are throttled', async () => {
    sandbox.faults.inject({ kind: 'rateLimit', service: 'ecs', perSecond: 0.001, burst: 2 });
    const single = new ECSClient({ region: 'us-east-1', endpoint: sandbox.url, credentials, maxAttempts: 1 });
    const results = [];
    for (let i = 0; i < 4; i++) {
      results.push(
        await single.send(new ListClustersCommand({})).then(
          () => 'ok',
          (e: Error) => e.name,
        ),
      );
    }
    single.destroy();
    expect(results).toEqual(['ok', 'ok', 'ThrottlingException', 'ThrottlingException']);
    expect(sandbox.recorder.calls({ failed: true }).map((c) => c.fault)).toEqual(['rateLimit', 'rateLimit']);
  });

  it('answers 5xx; one is retried away, a lasting one reaches the caller', async () => {
    sandbox.faults.inject({ kind: 'error', service: 'ecs', count: 1 });
    await expect(ecs.send(new ListClustersCommand({}))).resolves.toMatchObject({ $metadata: { attempts: 2 } });
    expect(attempts()).toEqual([
      [503, 'ServiceUnavailable'],
      [200, null],
    ]);

    sandbox.faults.inject({ kind: 'error', service: 'ecs', status: 500, code: 'ServerException', message: 'boom' });
    const error = await ecs.send(new ListClustersCommand({})).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ServerException', message: 'boom', $metadata: { httpStatusCode: 500 } });
  });

  it('resets the connection; the SDK retries on a new one', async () => {
    sandbox.faults.inject({ kind: 'reset', service: 'ecs', operation: 'ListClusters', count: 1 });
    const out = await ecs.send(new ListClustersCommand({}));
    expect(out.clusterArns).toHaveLength(1);
    expect(attempts()).toEqual([
      [0, 'ConnectionReset'],
      [200, null],
    ]);
  });

  it('adds latency without changing the answer', async () => {
    sandbox.faults.inject({ kind: 'latency', service: '*', ms: 50, count: 1 });
    await expect(ecs.send(new ListClustersCommand({}))).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
    expect(sandbox.faults.list()).toEqual([]);
  });

  it('does not touch other services or operations', async () => {
    sandbox.faults.inject(
      { kind: 'error', service: 'rds', count: 5 },
      { kind: 'throttle', service: 'ecs', operation: 'RunTask' },
    );
    await expect(ecs.send(new ListClustersCommand({}))).resolves.toMatchObject({ $metadata: { attempts: 1 } });
    expect(sandbox.faults.list()).toHaveLength(2);
  });

  it('accepts faults over HTTP at /_sandbox/faults and refuses malformed ones', async () => {
    const posted = await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'throttle', service: 'ecs', count: 4 }),
    });
    expect(posted.status).toBe(200);
    expect(sandbox.faults.list()).toEqual([{ kind: 'throttle', service: 'ecs', operation: '*', count: 4 }]);
    const bad = await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'meteor' }),
    });
    expect(bad.status).toBe(400);
    await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' });
    expect(sandbox.faults.list()).toEqual([]);
  });

  it('starts with the faults a scenario declares', async () => {
    const other = await startSandbox({
      services: [fakeEcs],
      scenario: { faults: [{ kind: 'error', service: 'ecs' }] },
    });
    try {
      expect(other.faults.list()).toEqual([{ kind: 'error', service: 'ecs', operation: '*', status: 503 }]);
    } finally {
      await other.stop();
    }
  });
});

// One pipeline records a fault the same way whatever the protocol: the status, the error code and the fault's name.
describe('faults are recorded alike on every protocol', () => {
  const slack = {
    key: 'hook',
    schema: z.object({}),
    create: () => ({
      protocol: 'http' as const,
      name: 'hook',
      describe: (req: SandboxRequest) =>
        req.url.pathname === '/hook' ? { operation: 'post', mutating: true, params: {} } : undefined,
      handle: (_req: SandboxRequest, res: SandboxResponse) => res.send(200, 'ok'),
    }),
  };
  const requests: Record<string, (url: string) => Promise<unknown>> = {
    ecs: (url) => signed(url, { 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters' }, 'ecs', '{}'),
    rds: (url) =>
      signed(url, { 'content-type': 'application/x-www-form-urlencoded' }, 'rds', 'Action=DescribeDBSnapshots'),
    hook: (url) => fetch(`${url}/hook`, { method: 'POST', body: '{}' }).catch(() => undefined),
  };

  it.each([
    ['reset', { kind: 'reset' }, [0, 'ConnectionReset', 'reset']],
    ['reset after the effect', { kind: 'reset', after: true }, [0, 'ConnectionReset', 'reset after']],
    ['error', { kind: 'error', status: 500, code: 'InternalFailure' }, [500, 'InternalFailure', 'error']],
    ['error after the effect', { kind: 'error', after: true }, [503, 'ServiceUnavailable', 'error after']],
  ] as const)('%s', async (_label, fault, expected) => {
    const other = await startSandbox({ services: [fakeEcs, fakeRds, slack] });
    try {
      const recorded: Record<string, unknown[]> = {};
      for (const [service, send] of Object.entries(requests)) {
        other.faults.inject({ ...fault, service, count: 1 });
        await send(other.url);
        const call = other.recorder.calls({ service }).at(-1)!;
        recorded[service] = [call.status, call.errorCode, call.fault];
      }
      expect(recorded).toEqual({ ecs: expected, rds: expected, hook: expected });
    } finally {
      await other.stop();
    }
  });
});

async function signed(url: string, headers: Record<string, string>, service: string, body: string) {
  const authorization = `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;
  return fetch(url, { method: 'POST', headers: { ...headers, authorization }, body }).catch(() => undefined);
}
