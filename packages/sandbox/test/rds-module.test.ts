// The sandbox's RDS module through the real AWS SDK client (awsQuery over HTTP) and as raw XML.
import {
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DBClusterNotFoundFault,
  DBInstanceNotFoundFault,
  DBSnapshotAlreadyExistsFault,
  DBSnapshotNotFoundFault,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotsCommand,
  InvalidDBInstanceStateFault,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '../src/index.js';
import { rdsClientFor } from './support/rds-client.js';

const scenario = {
  region: 'eu-west-1',
  timeScale: 0.01,
  rds: {
    instances: [
      { identifier: 'shop-db', snapshotSeconds: 100 }, // creating for 1 s: long enough to be seen on a busy machine
      { identifier: 'broken-db', snapshotSeconds: 10, snapshotFails: true },
      { identifier: 'busy-db', status: 'modifying' },
    ],
    clusters: [{ identifier: 'shop-aurora', snapshotSeconds: 10 }],
    snapshots: [{ identifier: 'nightly-1', source: 'shop-db' }],
  },
};

let sandbox: Sandbox;
let rds: RDSClient;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario });
  rds = rdsClientFor(sandbox);
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(scenario));

async function statusOf(id: string): Promise<string | undefined> {
  const { DBSnapshots } = await rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id }));
  return DBSnapshots?.[0]?.Status;
}

describe('DB instance snapshots', () => {
  it('is creating, then available after the scenario duration', async () => {
    const { DBSnapshot } = await rds.send(
      new CreateDBSnapshotCommand({
        DBInstanceIdentifier: 'shop-db',
        DBSnapshotIdentifier: 'Pre-Migration-1',
        Tags: [{ Key: 'github-run-id', Value: '7' }],
      }),
    );
    expect(DBSnapshot).toMatchObject({
      DBSnapshotIdentifier: 'pre-migration-1',
      DBInstanceIdentifier: 'shop-db',
      Status: 'creating',
      SnapshotType: 'manual',
      DBSnapshotArn: 'arn:aws:rds:eu-west-1:123456789012:snapshot:pre-migration-1',
      TagList: [{ Key: 'github-run-id', Value: '7' }],
    });
    expect(await statusOf('pre-migration-1')).toBe('creating');
    await sandbox.waitFor(async () => (await statusOf('pre-migration-1')) === 'available', {
      description: 'snapshot available',
    });
    const { DBSnapshots } = await rds.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: 'shop-db' }));
    expect(DBSnapshots?.map((s) => s.DBSnapshotIdentifier).sort()).toEqual(['nightly-1', 'pre-migration-1']);
    expect(DBSnapshots?.find((s) => s.DBSnapshotIdentifier === 'pre-migration-1')?.PercentProgress).toBe(100);
    expect(DBSnapshots?.[0]?.SnapshotCreateTime).toBeInstanceOf(Date);
  });

  it('ends in failed when the scenario says so', async () => {
    await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'broken-db', DBSnapshotIdentifier: 'doomed' }));
    await sandbox.waitFor(async () => (await statusOf('doomed')) !== 'creating', { description: 'snapshot done' });
    expect(await statusOf('doomed')).toBe('failed');
  });

  it.each([
    ['pre--migration', 'two hyphens in a row'],
    ['pre-migration-', 'a hyphen at the end'],
    ['1-pre-migration', 'a digit first'],
    ['pre_migration', 'an underscore'],
    ['p'.repeat(256), 'more than 255 characters'],
  ])('refuses the identifier %s (%s)', async (id) => {
    const error = await rds
      .send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'shop-db', DBSnapshotIdentifier: id }))
      .catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ name: 'InvalidParameterValue' });
    expect((error as Error).message).toMatch(/^The parameter DBSnapshotIdentifier is not a valid identifier\./);
  });

  it('accepts an identifier of 255 characters', async () => {
    const id = `a${'b'.repeat(254)}`;
    await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'shop-db', DBSnapshotIdentifier: id }));
    expect(await statusOf(id)).toBe('creating');
  });

  it('answers with the modelled errors', async () => {
    await expect(
      rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'nope', DBSnapshotIdentifier: 'x1' })),
    ).rejects.toBeInstanceOf(DBInstanceNotFoundFault);
    await expect(
      rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'shop-db', DBSnapshotIdentifier: 'nightly-1' })),
    ).rejects.toBeInstanceOf(DBSnapshotAlreadyExistsFault);
    await expect(
      rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'busy-db', DBSnapshotIdentifier: 'x2' })),
    ).rejects.toBeInstanceOf(InvalidDBInstanceStateFault);
    await expect(rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'nope' }))).rejects.toBeInstanceOf(
      DBSnapshotNotFoundFault,
    );
    expect(sandbox.recorder.calls({ operation: 'CreateDBSnapshot' }).map((c) => c.mutating)).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('writes errors as awsQuery XML', async () => {
    const response = await fetch(sandbox.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261123/eu-west-1/rds/aws4_request, SignedHeaders=host, Signature=abc',
      },
      body: 'Action=CreateDBSnapshot&Version=2014-10-31&DBInstanceIdentifier=nope&DBSnapshotIdentifier=x',
    });
    expect(response.status).toBe(404);
    const xml = await response.text();
    expect(xml).toContain('<ErrorResponse');
    expect(xml).toContain(
      '<Type>Sender</Type><Code>DBInstanceNotFound</Code><Message>DBInstance nope not found.</Message>',
    );
  });
});

describe('DB cluster snapshots', () => {
  it('is creating, then available', async () => {
    const { DBClusterSnapshot } = await rds.send(
      new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'shop-aurora', DBClusterSnapshotIdentifier: 'pre-1' }),
    );
    expect(DBClusterSnapshot).toMatchObject({
      DBClusterSnapshotIdentifier: 'pre-1',
      DBClusterIdentifier: 'shop-aurora',
      Status: 'creating',
      DBClusterSnapshotArn: 'arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:pre-1',
      AvailabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    });
    await sandbox.waitFor(
      async () => {
        const { DBClusterSnapshots } = await rds.send(
          new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: 'pre-1' }),
        );
        return DBClusterSnapshots?.[0]?.Status === 'available';
      },
      { description: 'cluster snapshot available' },
    );
  });

  it('knows no cluster that the scenario does not declare, and no instance snapshot by that name', async () => {
    await expect(
      rds.send(
        new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'shop-db', DBClusterSnapshotIdentifier: 'c' }),
      ),
    ).rejects.toBeInstanceOf(DBClusterNotFoundFault);
  });

  it('is throttled with the RDS code when a fault says so', async () => {
    sandbox.faults.inject({ kind: 'throttle', service: 'rds', operation: 'DescribeDBClusterSnapshots', count: 1 });
    await expect(rds.send(new DescribeDBClusterSnapshotsCommand({}))).rejects.toMatchObject({ name: 'Throttling' });
  });
});
