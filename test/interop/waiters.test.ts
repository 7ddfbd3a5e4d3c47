// AWS's own waiters as a second oracle: botocore runs the acceptors of waiters-2.json (what `aws <service> wait`
// runs) against the sandbox, with a short delay, and each waiter ends the way AWS documents: success, failure on a
// failure acceptor, or success after retrying while the resource is on its way. One of them also runs through the
// AWS CLI itself. The sandbox's answers along the way are checked against the API models too (the interop suite's
// Jest setup).
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDBSnapshotCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  DeleteServiceCommand,
  ECSClient,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { waiterModels } from '../../packages/sandbox/src/models/index.js';

const REGION = 'eu-west-1';
const NETWORK = { awsvpcConfiguration: { subnets: ['subnet-1'] } };
const fargate = (family: string, image: string) => ({
  family,
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  cpu: '256',
  memory: '512',
  containerDefinitions: [{ name: family, image, essential: true }],
});

// timeScale 0.02: 100 scenario seconds take 2 s. A task starting, a scan or a snapshot finishing take that long, and
// botocore's first call comes right after the test started them, so it sees them still on their way.
const scenario = {
  region: REGION,
  timeScale: 0.02,
  ecs: {
    clusters: ['shop'],
    images: {
      'web:1': { startDelay: 1 },
      'web:2': { startDelay: 100_000 },
      'job:slow': { startDelay: 100, duration: 100_000 },
      'job:long': { startDelay: 1, duration: 100_000 },
      'job:broken': { behaviour: 'fails-to-start', startDelay: 20 },
    },
    taskDefinitions: [
      fargate('web', 'web:1'),
      fargate('web', 'web:2'),
      fargate('slow', 'job:slow'),
      fargate('long', 'job:long'),
      fargate('broken', 'job:broken'),
    ],
    services: [
      { cluster: 'shop', serviceName: 'web', taskDefinition: 'web:1', desiredCount: 2 },
      { cluster: 'shop', serviceName: 'old', taskDefinition: 'web:1', desiredCount: 0 },
    ],
  },
  ecr: {
    repositories: [
      {
        name: 'shop/web',
        images: [
          { tags: ['scanned'], scan: { findings: { HIGH: 1 } } },
          { tags: ['scanning'], scan: { seconds: 100, findings: {} } },
          { tags: ['unscannable'], scan: { fails: true } },
        ],
      },
    ],
  },
  rds: {
    instances: [
      { identifier: 'shop-db', snapshotSeconds: 100 },
      { identifier: 'bad-db', snapshotFails: true },
    ],
  },
};

let sandbox: Sandbox;
let ecs: ECSClient;
let rds: RDSClient;
let env: Record<string, string>;
const home = mkdtempSync(join(tmpdir(), 'waiters-'));

beforeAll(async () => {
  sandbox = await startSandbox({ scenario });
  env = sandbox.env();
  const config = {
    region: REGION,
    endpoint: sandbox.url,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
  };
  ecs = new ECSClient(config);
  rds = new RDSClient(config);
});
afterAll(async () => {
  ecs.destroy();
  rds.destroy();
  await sandbox.stop();
});
beforeEach(() => sandbox.load(scenario));

// botocore's waiter, exactly as the AWS CLI runs it, with a short delay between attempts. Python and botocore take
// seconds to start on a busy machine, so the driver says `ready` first and waits for the waiter's parameters: the
// test then puts the resource in the state it wants the first call to see, and the first call follows at once.
const DRIVER = `
import json, sys, botocore, botocore.session
from botocore.exceptions import WaiterError
spec = json.loads(sys.argv[1])
client = botocore.session.get_session().create_client(
    spec['service'], region_name=spec['region'], endpoint_url=spec['endpoint'],
    aws_access_key_id=spec['key'], aws_secret_access_key=spec['secret'])
waiter = client.get_waiter(botocore.xform_name(spec['waiter']))
print('ready', flush=True)
params = json.loads(sys.stdin.readline())
try:
    waiter.wait(WaiterConfig={'Delay': 0.25, 'MaxAttempts': 400}, **params)
    print(json.dumps({'outcome': 'success'}))
except WaiterError as error:
    print(json.dumps({'outcome': 'failure', 'reason': error.kwargs.get('reason', str(error))}))
`;

/** The Python that imports botocore: the one on PATH (pip's AWS CLI), or Debian's with python3-botocore. */
const python = ['python3', '/usr/bin/python3'].find(
  (candidate) => spawnSync(candidate, ['-c', 'import botocore'], { stdio: 'ignore' }).status === 0,
);

interface WaitResult {
  outcome: 'success' | 'failure';
  reason?: string;
  /** Calls the waiter made. */
  attempts: number;
}

/**
 * Runs a botocore waiter. Once botocore is ready, `prepare` sets the scene and gives the waiter's parameters; the
 * optional `whilePolling` runs once the waiter has made its first call (to move the resource on through the API).
 */
async function wait(
  service: string,
  waiter: string,
  prepare: () => Promise<Record<string, unknown>> | Record<string, unknown>,
  whilePolling?: () => Promise<unknown>,
): Promise<WaitResult> {
  if (!python) throw new Error('No Python with botocore: pip install awscli (.ci/run does it), then run again.');
  const operation = waiterModels(service)[waiter]!.operation;
  const spec = {
    service,
    waiter,
    region: REGION,
    endpoint: sandbox.url,
    key: env.AWS_ACCESS_KEY_ID,
    secret: env.AWS_SECRET_ACCESS_KEY,
  };
  const child = spawn(python, ['-c', DRIVER, JSON.stringify(spec)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.startsWith('ready\n')) resolve();
    });
    void exited.then(() => reject(new Error(`botocore's waiter did not start:\n${stderr}`)));
  });
  const params = await prepare();
  const before = sandbox.recorder.calls({ operation }).length;
  child.stdin.end(`${JSON.stringify(params)}\n`);
  if (whilePolling) {
    await sandbox.waitFor(() => sandbox.recorder.calls({ operation }).length > before, {
      timeoutMs: 30_000,
      description: `the first ${operation} of ${waiter}`,
    });
    await whilePolling();
  }
  if ((await exited) !== 0) throw new Error(`botocore's waiter failed:\n${stderr}`);
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as Omit<WaitResult, 'attempts'>;
  return { ...result, attempts: sandbox.recorder.calls({ operation }).length - before };
}

async function runTask(taskDefinition: string): Promise<string> {
  const out = await ecs.send(
    new RunTaskCommand({ cluster: 'shop', taskDefinition, launchType: 'FARGATE', networkConfiguration: NETWORK }),
  );
  return out.tasks![0]!.taskArn!;
}

it('the waiters this suite relies on exist in the installed botocore, with the acceptors checked below', () => {
  const ecsWaiters = waiterModels('ecs');
  expect(ecsWaiters.ServicesStable!.acceptors.map((a) => [a.state, a.expected])).toEqual([
    ['failure', 'MISSING'],
    ['failure', 'DRAINING'],
    ['failure', 'INACTIVE'],
    ['success', true],
  ]);
  expect(ecsWaiters.TasksRunning!.acceptors.map((a) => a.state)).toEqual(['failure', 'failure', 'success']);
  expect(ecsWaiters.TasksStopped!.acceptors.map((a) => a.state)).toEqual(['success']);
  expect(waiterModels('ecr').ImageScanComplete!.acceptors.map((a) => [a.state, a.expected])).toEqual([
    ['success', 'COMPLETE'],
    ['failure', 'FAILED'],
  ]);
  expect(waiterModels('rds').DBSnapshotAvailable!.acceptors[0]).toMatchObject({
    state: 'success',
    expected: 'available',
  });
});

describe('ecs services-stable', () => {
  const web = { cluster: 'shop', services: ['web'] };

  it('succeeds at once for a steady service', async () => {
    expect(await wait('ecs', 'ServicesStable', () => web)).toEqual({ outcome: 'success', attempts: 1 });
  });

  it('retries while a deployment rolls out, then succeeds', async () => {
    const update = (taskDefinition: string) =>
      ecs.send(new UpdateServiceCommand({ cluster: 'shop', service: 'web', taskDefinition }));
    // web:2 never starts: the service stays unstable until a second update brings web:1 back.
    const result = await wait(
      'ecs',
      'ServicesStable',
      async () => (await update('web:2'), web),
      () => update('web:1'),
    );
    expect(result.outcome).toBe('success');
    expect(result.attempts).toBeGreaterThan(1);
  });

  it('fails on a MISSING service and on a DRAINING one', async () => {
    const missing = await wait('ecs', 'ServicesStable', () => ({ cluster: 'shop', services: ['nope'] }));
    expect([missing.outcome, missing.reason]).toEqual(['failure', expect.stringContaining('MISSING')]);
    const draining = await wait('ecs', 'ServicesStable', async () => {
      await ecs.send(new DeleteServiceCommand({ cluster: 'shop', service: 'old' }));
      return { cluster: 'shop', services: ['old'] };
    });
    expect([draining.outcome, draining.reason]).toEqual(['failure', expect.stringMatching(/DRAINING|INACTIVE/)]);
  });
});

describe('ecs tasks-running and tasks-stopped', () => {
  const tasks = async (taskDefinition: string) => ({ cluster: 'shop', tasks: [await runTask(taskDefinition)] });

  it('tasks-running retries while the task is PENDING, then succeeds', async () => {
    const result = await wait('ecs', 'TasksRunning', () => tasks('slow'));
    expect(result.outcome).toBe('success');
    expect(result.attempts).toBeGreaterThan(1);
  });

  it('tasks-running fails when the task stops instead (it never started)', async () => {
    const result = await wait('ecs', 'TasksRunning', () => tasks('broken'));
    expect([result.outcome, result.reason]).toEqual(['failure', expect.stringContaining('STOPPED')]);
  });

  it('tasks-running fails on a MISSING task', async () => {
    const result = await wait('ecs', 'TasksRunning', () => ({
      cluster: 'shop',
      tasks: ['0123456789abcdef0123456789abcdef'],
    }));
    expect([result.outcome, result.reason]).toEqual(['failure', expect.stringContaining('MISSING')]);
  });

  it('tasks-stopped retries until the task has stopped', async () => {
    let params: { cluster: string; tasks: string[] } | undefined;
    const result = await wait(
      'ecs',
      'TasksStopped',
      async () => (params = await tasks('long')),
      () => ecs.send(new StopTaskCommand({ cluster: 'shop', task: params!.tasks[0], reason: 'the test is done' })),
    );
    expect(result.outcome).toBe('success');
    expect(result.attempts).toBeGreaterThan(1);
  });
});

describe('ecr image-scan-complete', () => {
  const scan = (tag: string, prepare?: () => void) =>
    wait('ecr', 'ImageScanComplete', () => {
      prepare?.();
      return { repositoryName: 'shop/web', imageId: { imageTag: tag } };
    });

  it('succeeds on a finished scan, retries on one in progress, fails on a failed one', async () => {
    expect(await scan('scanned')).toEqual({ outcome: 'success', attempts: 1 });
    // The scenario's scans start when it loads: load it again so this one is still running.
    const running = await scan('scanning', () => sandbox.load(scenario));
    expect([running.outcome, running.attempts > 1]).toEqual(['success', true]);
    const failed = await scan('unscannable');
    expect([failed.outcome, failed.reason]).toEqual(['failure', expect.stringContaining('FAILED')]);
  });
});

describe('rds db-snapshot-available', () => {
  const snapshot = (instance: string, id: string) => async () => {
    await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: instance, DBSnapshotIdentifier: id }));
    return { DBSnapshotIdentifier: id };
  };

  it('retries while the snapshot is creating, then succeeds; fails when the snapshot fails', async () => {
    const created = await wait('rds', 'DBSnapshotAvailable', snapshot('shop-db', 'before'));
    expect([created.outcome, created.attempts > 1]).toEqual(['success', true]);
    const failed = await wait('rds', 'DBSnapshotAvailable', snapshot('bad-db', 'doomed'));
    expect([failed.outcome, failed.reason]).toEqual(['failure', expect.stringContaining('failed')]);
  });

  it('through the AWS CLI itself: aws rds wait db-snapshot-available', async () => {
    await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'shop-db', DBSnapshotIdentifier: 'cli' }));
    // The CLI waits 30 s between attempts: ask once the snapshot is available (2 s), so its first attempt succeeds.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const cli = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(
        'aws',
        ['rds', 'wait', 'db-snapshot-available', '--db-snapshot-identifier', 'cli', '--endpoint-url', sandbox.url],
        {
          env: {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            HOME: home,
            AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID,
            AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY,
            AWS_DEFAULT_REGION: REGION,
            AWS_CONFIG_FILE: join(home, 'config'),
            AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
          },
          timeout: 100_000,
        },
        (error, _out, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
      ),
    );
    expect(cli).toEqual({ code: 0, stderr: '' });
  });
});
