// The RDS actions' results as the AWS CLI (botocore, written by nobody here) reads them from the sandbox: the bundles
// restore, swap and prune; `aws rds describe-*` and botocore's own waiters then see what a person would see.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, jest, test } from '@jest/globals';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { PRE_MIGRATION, SCENARIO, runRds } from '../rds/helpers.js';

jest.setTimeout(120_000);

const home = mkdtempSync(join(tmpdir(), 'rds-awscli-'));
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: SCENARIO });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(SCENARIO));

function aws(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = sandbox.env();
  const cliEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID!,
    AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY!,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const argv = ['rds', ...args, '--endpoint-url', sandbox.url, '--region', 'eu-west-1', '--output', 'json'];
  return new Promise((resolve) => {
    execFile('aws', argv, { env: cliEnv, timeout: 100_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

async function awsJson(...args: string[]): Promise<any> {
  const result = await aws(...args);
  if (result.code !== 0) throw new Error(`aws rds ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return result.stdout.trim() ? JSON.parse(result.stdout) : {};
}

const describe = async (id: string) =>
  (await awsJson('describe-db-instances', '--db-instance-identifier', id)).DBInstances[0];

test('after a restore with a swap, the AWS CLI finds the restored instance under the original name and the original as -old', async () => {
  const original = await describe('shop-production');
  const run = await runRds(sandbox, 'rds-restore', {
    'db-instance': 'shop-production',
    'snapshot-id': PRE_MIGRATION,
    swap: 'true',
    confirm: 'shop-production-restored replaces shop-production',
    'poll-interval-seconds': '0.1',
  });
  expect([run.exitCode, run.errors]).toEqual([0, []]);

  const now = await describe('shop-production');
  const old = await describe('shop-production-old');
  expect(now).toMatchObject({
    DBInstanceIdentifier: 'shop-production',
    DBInstanceStatus: 'available',
    DBInstanceClass: 'db.r6g.large',
    DBSubnetGroup: { DBSubnetGroupName: 'shop-private' },
    VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0123456789abcdef0' }, { VpcSecurityGroupId: 'sg-0fedcba9876543210' }],
    DBParameterGroups: [{ DBParameterGroupName: 'shop-postgres16' }],
    Endpoint: { Address: run.outputs.endpoint, Port: 5432 },
  });
  expect(now.TagList).toContainEqual({ Key: 'ecs-ship:restored-from', Value: PRE_MIGRATION });
  expect(now.DbiResourceId).not.toBe(original.DbiResourceId);
  expect(old.DbiResourceId).toBe(original.DbiResourceId);
  const gone = await aws('describe-db-instances', '--db-instance-identifier', 'shop-production-restored');
  expect(gone.code).not.toBe(0);
  expect(gone.stderr).toContain('DBInstanceNotFound');
  // botocore's own waiter (its acceptors: every DBInstanceStatus "available") agrees, at once.
  expect((await aws('wait', 'db-instance-available', '--db-instance-identifier', 'shop-production')).code).toBe(0);
});

test('a restore of an Aurora cluster, as describe-db-clusters shows it', async () => {
  const run = await runRds(sandbox, 'rds-restore', {
    'db-cluster': 'shop-aurora',
    'snapshot-id': 'aurora-pre-release-2',
    confirm: 'shop-aurora-restored',
    'poll-interval-seconds': '0.1',
  });
  expect([run.exitCode, run.errors]).toEqual([0, []]);
  const { DBClusters } = await awsJson('describe-db-clusters', '--db-cluster-identifier', 'shop-aurora-restored');
  expect(DBClusters[0]).toMatchObject({
    Status: 'available',
    Endpoint: run.outputs.endpoint,
    DBClusterParameterGroup: 'shop-aurora-cluster-pg',
    DBClusterMembers: [{ DBInstanceIdentifier: 'shop-aurora-restored-instance-1', IsClusterWriter: true }],
  });
  expect((await aws('wait', 'db-cluster-available', '--db-cluster-identifier', 'shop-aurora-restored')).code).toBe(0);
});

test('after a prune, the AWS CLI lists the person’s snapshot and the automated backup, and the suite’s recent ones only', async () => {
  const run = await runRds(sandbox, 'rds-snapshot', {
    mode: 'prune',
    'db-instance': 'shop-production',
    'delete-older-than-days': '15',
  });
  expect([run.exitCode, run.errors]).toEqual([0, []]);
  const { DBSnapshots } = await awsJson('describe-db-snapshots', '--db-instance-identifier', 'shop-production');
  expect(DBSnapshots.map((s: { DBSnapshotIdentifier: string }) => s.DBSnapshotIdentifier).sort()).toEqual([
    'before-the-big-import',
    PRE_MIGRATION,
    'pre-release-3',
    'pre-release-4',
    'rds:shop-production-2026-06-01-03-10',
    'still-copying',
  ]);
});

test('a snapshot taken by rds-snapshot passes botocore’s snapshot waiter', async () => {
  const run = await runRds(sandbox, 'rds-snapshot', {
    'db-instance': 'shop-production',
    'snapshot-id': 'cli-checked',
    'poll-interval-seconds': '0.1',
  });
  expect([run.exitCode, run.errors]).toEqual([0, []]);
  expect((await aws('wait', 'db-snapshot-available', '--db-snapshot-identifier', 'cli-checked')).code).toBe(0);
});
