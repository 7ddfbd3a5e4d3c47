// The sandbox as a user runs it: started by its CLI, driven by the AWS CLI (botocore, written by nobody here) with
// --endpoint-url. Covers the query protocol (RDS XML), AWS-shaped errors, and faults the CLI's own retries ride out.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { violationsError, type ModelViolation } from '@ecs-ship/sandbox';

const cli = fileURLToPath(new URL('../../packages/sandbox/src/cli.ts', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'sandbox-awscli-'));
const scenarioFile = join(home, 'scenario.yaml');
const envFile = join(home, 'sandbox.env');

let child: ChildProcess;
let env: Record<string, string> = {};
let awsBinary: string | undefined;

function findAws(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', 'command -v aws'], (error, stdout) =>
      resolve(error ? undefined : stdout.trim() || undefined),
    );
  });
}

function aws(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!awsBinary) {
    throw new Error(
      'The AWS CLI is not installed: apt-get install -y awscli (.ci/run does it), then run the interop suite again.',
    );
  }
  const cliEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID ?? '',
    AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY ?? '',
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const argv = [
    ...args,
    '--endpoint-url',
    env.AWS_ENDPOINT_URL ?? '',
    '--region',
    env.AWS_REGION ?? '',
    '--output',
    'json',
  ];
  return new Promise((resolve) => {
    execFile(awsBinary!, argv, { env: cliEnv, timeout: 100_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

async function awsJson(...args: string[]): Promise<any> {
  const result = await aws(...args);
  if (result.code !== 0) throw new Error(`aws ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout);
}

async function control(path: string, init?: RequestInit): Promise<any> {
  const response = await fetch(`${env.AWS_ENDPOINT_URL}/_sandbox/${path}`, init);
  return response.json();
}

beforeAll(async () => {
  awsBinary = await findAws();
  writeFileSync(
    scenarioFile,
    [
      'region: eu-west-1',
      'timeScale: 0.1',
      'ecs:',
      '  clusters: [prod]',
      'rds:',
      '  instances:',
      '    - { identifier: shop-db, snapshotSeconds: 5 }',
      '',
    ].join('\n'),
  );
  child = spawn(process.execPath, ['--import', 'tsx', cli, '--scenario', scenarioFile, '--env-out', envFile], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (!existsSync(envFile) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  env = Object.fromEntries(
    readFileSync(envFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => /^export ([A-Z0-9_]+)=(.*)$/.exec(line)?.slice(1) ?? [])
      .map(([name = '', value = '']) => [name, value.replace(/^'|'$/g, '')]),
  );
});

// The sandbox runs in its own process, with the API-model check on (it inherits ECS_SHIP_SANDBOX_CHECK from Jest's
// setup): each test asks it for what the check found.
afterEach(async () => {
  const { violations } = (await control('violations')) as { violations: ModelViolation[] };
  if (violations.length > 0) throw violationsError(violations);
});

afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  }
});

describe('the AWS CLI against the sandbox CLI', () => {
  it('creates an RDS snapshot and reads it back over the query protocol (XML)', async () => {
    const created = await awsJson(
      'rds',
      'create-db-snapshot',
      '--db-instance-identifier',
      'shop-db',
      '--db-snapshot-identifier',
      'before-release-42',
    );
    expect(created.DBSnapshot).toMatchObject({ DBSnapshotIdentifier: 'before-release-42', Status: 'creating' });
    let status = '';
    const deadline = Date.now() + 30_000;
    while (status !== 'available' && Date.now() < deadline) {
      const described = await awsJson('rds', 'describe-db-snapshots', '--db-snapshot-identifier', 'before-release-42');
      status = described.DBSnapshots[0].Status;
    }
    expect(status).toBe('available');
  });

  it('reports AWS error codes the CLI understands', async () => {
    const missing = await aws('rds', 'describe-db-snapshots', '--db-snapshot-identifier', 'no-such-snapshot');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('DBSnapshotNotFound');
    const invalid = await aws(
      'rds',
      'create-db-snapshot',
      '--db-instance-identifier',
      'shop-db',
      '--db-snapshot-identifier',
      'bad--name',
    );
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toMatch(/InvalidParameterValue/);
  });

  it('throttles and fails on demand; the CLI retries through both', async () => {
    await control('calls', { method: 'DELETE' });
    await control('faults', {
      method: 'POST',
      body: JSON.stringify([
        { kind: 'throttle', service: 'ecs', operation: 'ListClusters', count: 1 },
        { kind: 'error', service: 'rds', operation: 'DescribeDBSnapshots', status: 503, count: 1 },
      ]),
    });
    const clusters = await awsJson('ecs', 'list-clusters');
    expect(clusters.clusterArns).toEqual(['arn:aws:ecs:eu-west-1:123456789012:cluster/prod']);
    await awsJson('rds', 'describe-db-snapshots');
    const { calls } = await control('calls');
    expect(calls.map((c: { operation: string; status: number }) => [c.operation, c.status])).toEqual([
      ['ListClusters', 400],
      ['ListClusters', 200],
      ['DescribeDBSnapshots', 503],
      ['DescribeDBSnapshots', 200],
    ]);
    expect(calls[0]).toMatchObject({ errorCode: 'ThrottlingException', region: 'eu-west-1', fault: 'throttle' });
  });
});
