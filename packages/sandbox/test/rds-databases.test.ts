// The sandbox's RDS instances, clusters, restores, renames and snapshot deletion through the real AWS SDK client,
// with every request and answer checked against botocore's RDS model (written by AWS, not here).
import {
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  DBInstanceAlreadyExistsFault,
  DBInstanceNotFoundFault,
  DBParameterGroupNotFoundFault,
  DBSnapshotNotFoundFault,
  DBSubnetGroupNotFoundFault,
  DeleteDBClusterSnapshotCommand,
  DeleteDBSnapshotCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  InvalidDBClusterStateFault,
  InvalidDBInstanceStateFault,
  InvalidDBSnapshotStateFault,
  ModifyDBClusterCommand,
  ModifyDBInstanceCommand,
  type RDSClient,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
  paginateDescribeDBSnapshots,
} from '@aws-sdk/client-rds';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '../src/index.js';
import { rdsClientFor } from './support/rds-client.js';
import { botocoreModel, checkAnswer, checkRequest } from './support/query-model.js';

const scenario = {
  region: 'eu-west-1',
  timeScale: 0.01,
  rds: {
    timings: {
      restoreSeconds: 60,
      backupSeconds: 40,
      clusterInstanceSeconds: 50,
      renameSeconds: 60,
      rebootSeconds: 40,
    },
    parameterGroups: ['shop-spare-params'],
    instances: [
      {
        identifier: 'shop-db',
        instanceClass: 'db.r6g.large',
        subnetGroup: 'shop-private',
        securityGroups: ['sg-0123456789abcdef0'],
        parameterGroup: 'shop-postgres16',
        multiAZ: true,
        tags: { team: 'shop' },
        snapshotSeconds: 1,
      },
      { identifier: 'legacy-db', restoreEndsIn: 'incompatible-restore' },
      { identifier: 'shop-aurora-1', cluster: 'shop-aurora', instanceClass: 'db.r6g.xlarge' },
    ],
    clusters: [{ identifier: 'shop-aurora', subnetGroup: 'shop-private', parameterGroup: 'shop-aurora-params' }],
    snapshots: [
      { identifier: 'nightly', source: 'shop-db' },
      { identifier: 'legacy-before', source: 'legacy-db' },
      { identifier: 'stuck', source: 'shop-db', status: 'creating' },
      { identifier: 'rds:shop-db-2026-11-22-03-10', source: 'shop-db', type: 'automated', ageDays: 1 },
      { identifier: 'aurora-nightly', source: 'shop-aurora', cluster: true },
    ],
  },
};

const model = botocoreModel('rds', '2014-10-31');
let sandbox: Sandbox;
let rds: RDSClient;
let problems: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ scenario });
  sandbox.observe(({ protocol, call, answer }) => {
    if (protocol !== 'query' || !answer) return;
    problems.push(...checkRequest(model, call.operation, call.params as Record<string, string>));
    problems.push(...checkAnswer(model, call.operation, answer.status, answer.body.toString()));
  });
  rds = rdsClientFor(sandbox);
});
afterAll(() => sandbox.stop());
beforeEach(() => {
  sandbox.load(scenario);
  problems = [];
});
afterEach(() => expect(problems).toEqual([]));

const instance = async (id: string) =>
  (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances![0]!;
const cluster = async (id: string) =>
  (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0]!;
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );

/** Status changes seen while polling until `done` (each status once, in order). */
async function statusesUntil(read: () => Promise<string | undefined>, done: string): Promise<string[]> {
  const seen: string[] = [];
  await sandbox.waitFor(
    async () => {
      const status = (await read()) ?? 'missing';
      if (seen.at(-1) !== status) seen.push(status);
      return status === done;
    },
    { timeoutMs: 10_000, intervalMs: 20, description: `status ${done}` },
  );
  return seen;
}

describe('DB instances', () => {
  it('are described with the settings a restore copies', async () => {
    const db = await instance('shop-db');
    expect(db).toMatchObject({
      DBInstanceIdentifier: 'shop-db',
      DBInstanceClass: 'db.r6g.large',
      DBInstanceStatus: 'available',
      DBSubnetGroup: { DBSubnetGroupName: 'shop-private' },
      VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0123456789abcdef0', Status: 'active' }],
      DBParameterGroups: [{ DBParameterGroupName: 'shop-postgres16' }],
      MultiAZ: true,
      TagList: [{ Key: 'team', Value: 'shop' }],
      DBInstanceArn: 'arn:aws:rds:eu-west-1:123456789012:db:shop-db',
    });
    expect(db.Endpoint?.Address).toMatch(/^shop-db\.c[0-9a-f]{11}\.eu-west-1\.rds\.amazonaws\.com$/);
    expect(db.Endpoint?.Port).toBe(5432);
    expect(await failure(instance('nope'))).toBeInstanceOf(DBInstanceNotFoundFault);
    const members = await rds.send(
      new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: ['shop-aurora'] }] }),
    );
    expect(members.DBInstances?.map((i) => i.DBInstanceIdentifier)).toEqual(['shop-aurora-1']);
  });

  it('restored from a snapshot: creating, backing-up, then available, with what the request named', async () => {
    const { DBInstance } = await rds.send(
      new RestoreDBInstanceFromDBSnapshotCommand({
        DBInstanceIdentifier: 'Shop-DB-Restored',
        DBSnapshotIdentifier: 'nightly',
        DBInstanceClass: 'db.r6g.large',
        DBSubnetGroupName: 'shop-private',
        VpcSecurityGroupIds: ['sg-0123456789abcdef0'],
        DBParameterGroupName: 'shop-postgres16',
        MultiAZ: true,
        Tags: [{ Key: 'team', Value: 'shop' }],
      }),
    );
    expect(DBInstance).toMatchObject({ DBInstanceIdentifier: 'shop-db-restored', DBInstanceStatus: 'creating' });
    expect(DBInstance?.Endpoint).toBeUndefined();
    const seen = await statusesUntil(async () => (await instance('shop-db-restored')).DBInstanceStatus, 'available');
    expect(seen).toEqual(['creating', 'backing-up', 'available']);
    expect(await instance('shop-db-restored')).toMatchObject({
      DBInstanceClass: 'db.r6g.large',
      DBSubnetGroup: { DBSubnetGroupName: 'shop-private' },
      VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0123456789abcdef0' }],
      DBParameterGroups: [{ DBParameterGroupName: 'shop-postgres16' }],
      MultiAZ: true,
      TagList: [{ Key: 'team', Value: 'shop' }],
      Endpoint: { Address: expect.stringMatching(/^shop-db-restored\./), Port: 5432 },
    });
    // The original is untouched.
    expect(await instance('shop-db')).toMatchObject({ DBInstanceStatus: 'available', DBInstanceClass: 'db.r6g.large' });
  });

  it('restored without settings: the original class, the default subnet group, security group and parameters', async () => {
    await rds.send(
      new RestoreDBInstanceFromDBSnapshotCommand({ DBInstanceIdentifier: 'bare', DBSnapshotIdentifier: 'nightly' }),
    );
    expect(await instance('bare')).toMatchObject({
      DBInstanceClass: 'db.r6g.large',
      DBSubnetGroup: { DBSubnetGroupName: 'default' },
      VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0a0b0c0d0e0f10203' }],
      DBParameterGroups: [{ DBParameterGroupName: 'default.postgres16' }],
      MultiAZ: false,
      TagList: [],
    });
  });

  it('a restore RDS cannot complete ends in its failure status', async () => {
    await rds.send(
      new RestoreDBInstanceFromDBSnapshotCommand({
        DBInstanceIdentifier: 'legacy-2',
        DBSnapshotIdentifier: 'legacy-before',
      }),
    );
    const seen = await statusesUntil(async () => (await instance('legacy-2')).DBInstanceStatus, 'incompatible-restore');
    expect(seen).toEqual(['creating', 'incompatible-restore']);
  });

  it.each([
    ['a snapshot still creating', { DBSnapshotIdentifier: 'stuck' }, InvalidDBSnapshotStateFault],
    ['an unknown snapshot', { DBSnapshotIdentifier: 'nope' }, DBSnapshotNotFoundFault],
    ['a target that exists', { DBInstanceIdentifier: 'shop-db' }, DBInstanceAlreadyExistsFault],
    ['an unknown subnet group', { DBSubnetGroupName: 'elsewhere' }, DBSubnetGroupNotFoundFault],
    ['an unknown parameter group', { DBParameterGroupName: 'no-such-params' }, DBParameterGroupNotFoundFault],
  ])('a restore is refused for %s', async (_, change, fault) => {
    const error = await failure(
      rds.send(
        new RestoreDBInstanceFromDBSnapshotCommand({
          DBInstanceIdentifier: 'target',
          DBSnapshotIdentifier: 'nightly',
          ...change,
        }),
      ),
    );
    expect(error).toBeInstanceOf(fault);
    expect(sandbox.state('rds').instance('eu-west-1', 'target')).toBeUndefined();
  });

  it('renamed with ApplyImmediately: pending, renaming, then the new name rebooting, then available', async () => {
    const { DBInstance } = await rds.send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: 'shop-db',
        NewDBInstanceIdentifier: 'shop-db-old',
        ApplyImmediately: true,
      }),
    );
    expect(DBInstance).toMatchObject({
      DBInstanceIdentifier: 'shop-db',
      DBInstanceStatus: 'available',
      PendingModifiedValues: { DBInstanceIdentifier: 'shop-db-old' },
    });
    // The new name is promised: nobody else may take it now.
    const taken = await failure(
      rds.send(
        new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'legacy-db', NewDBInstanceIdentifier: 'shop-db-old' }),
      ),
    );
    expect(taken).toBeInstanceOf(DBInstanceAlreadyExistsFault);
    const read = async () => {
      for (const id of ['shop-db', 'shop-db-old']) {
        const found = await instance(id).catch(() => undefined);
        if (found) return `${found.DBInstanceIdentifier} ${found.DBInstanceStatus}`;
      }
      return 'neither';
    };
    const seen = await statusesUntil(read, 'shop-db-old available');
    // The answer above showed it still available; `renaming` follows within a second.
    expect(seen.filter((step) => step !== 'shop-db available')).toEqual([
      'shop-db renaming',
      'shop-db-old rebooting',
      'shop-db-old available',
    ]);
    expect(await failure(instance('shop-db'))).toBeInstanceOf(DBInstanceNotFoundFault);
    expect((await instance('shop-db-old')).Endpoint?.Address).toMatch(/^shop-db-old\./);
  });

  it('a rename is refused while another is under way, to a name in use, and for what is not modelled', async () => {
    await rds.send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: 'shop-db',
        NewDBInstanceIdentifier: 'x1',
        ApplyImmediately: true,
      }),
    );
    expect(
      await failure(
        rds.send(
          new ModifyDBInstanceCommand({
            DBInstanceIdentifier: 'shop-db',
            NewDBInstanceIdentifier: 'x2',
            ApplyImmediately: true,
          }),
        ),
      ),
    ).toBeInstanceOf(InvalidDBInstanceStateFault);
    expect(
      await failure(
        rds.send(
          new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'legacy-db', NewDBInstanceIdentifier: 'shop-db' }),
        ),
      ),
    ).toBeInstanceOf(DBInstanceAlreadyExistsFault);
    const unmodelled = await failure(
      rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'legacy-db', DBInstanceClass: 'db.r6g.large' })),
    );
    expect(unmodelled).toMatchObject({ name: 'InvalidParameterCombination' });
    expect(unmodelled?.message).toMatch(/models only renaming .* DBInstanceClass is not modelled/);
  });

  it('a rename without ApplyImmediately waits for a maintenance window: only pending', async () => {
    await rds.send(
      new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'legacy-db', NewDBInstanceIdentifier: 'legacy-2' }),
    );
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await instance('legacy-db')).toMatchObject({
      DBInstanceStatus: 'available',
      PendingModifiedValues: { DBInstanceIdentifier: 'legacy-2' },
    });
  });
});

describe('Aurora clusters', () => {
  it('restored from a cluster snapshot, then given an instance once available', async () => {
    const { DBCluster } = await rds.send(
      new RestoreDBClusterFromSnapshotCommand({
        DBClusterIdentifier: 'shop-aurora-restored',
        SnapshotIdentifier: 'arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:aurora-nightly',
        Engine: 'aurora-postgresql',
        DBSubnetGroupName: 'shop-private',
        DBClusterParameterGroupName: 'shop-aurora-params',
        VpcSecurityGroupIds: ['sg-0123456789abcdef0'],
      }),
    );
    expect(DBCluster).toMatchObject({
      DBClusterIdentifier: 'shop-aurora-restored',
      Status: 'creating',
      DBClusterMembers: [],
    });
    const early = await failure(
      rds.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: 'shop-aurora-restored-instance-1',
          DBClusterIdentifier: 'shop-aurora-restored',
          DBInstanceClass: 'db.r6g.xlarge',
          Engine: 'aurora-postgresql',
        }),
      ),
    );
    expect(early).toBeInstanceOf(InvalidDBClusterStateFault);
    await statusesUntil(async () => (await cluster('shop-aurora-restored')).Status, 'available');
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'shop-aurora-restored-instance-1',
        DBClusterIdentifier: 'shop-aurora-restored',
        DBInstanceClass: 'db.r6g.xlarge',
        Engine: 'aurora-postgresql',
      }),
    );
    const seen = await statusesUntil(
      async () => (await instance('shop-aurora-restored-instance-1')).DBInstanceStatus,
      'available',
    );
    expect(seen).toEqual(['creating', 'available']);
    expect(await cluster('shop-aurora-restored')).toMatchObject({
      DBClusterMembers: [{ DBInstanceIdentifier: 'shop-aurora-restored-instance-1', IsClusterWriter: true }],
      DBClusterParameterGroup: 'shop-aurora-params',
      Endpoint: expect.stringMatching(/^shop-aurora-restored\.cluster-c[0-9a-f]{11}\.eu-west-1\.rds\.amazonaws\.com$/),
    });
  });

  it('renamed: renaming, then available under the new name, members following', async () => {
    await rds.send(
      new ModifyDBClusterCommand({
        DBClusterIdentifier: 'shop-aurora',
        NewDBClusterIdentifier: 'shop-aurora-old',
        ApplyImmediately: true,
      }),
    );
    const read = async () => {
      for (const id of ['shop-aurora', 'shop-aurora-old']) {
        const found = await cluster(id).catch(() => undefined);
        if (found) return `${found.DBClusterIdentifier} ${found.Status}`;
      }
      return 'neither';
    };
    const seen = await statusesUntil(read, 'shop-aurora-old available');
    expect(seen.filter((step) => step !== 'shop-aurora available')).toEqual([
      'shop-aurora renaming',
      'shop-aurora-old available',
    ]);
    expect((await instance('shop-aurora-1')).DBClusterIdentifier).toBe('shop-aurora-old');
  });
});

describe('snapshots', () => {
  it('manual ones are deleted; automated and creating ones are refused', async () => {
    const { DBSnapshot } = await rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'nightly' }));
    expect(DBSnapshot).toMatchObject({ DBSnapshotIdentifier: 'nightly', Status: 'deleted' });
    expect(await failure(rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'nightly' })))).toBeInstanceOf(
      DBSnapshotNotFoundFault,
    );
    for (const id of ['rds:shop-db-2026-11-22-03-10', 'stuck']) {
      expect(await failure(rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: id })))).toBeInstanceOf(
        InvalidDBSnapshotStateFault,
      );
    }
    expect(await failure(rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'nightly' })))).toBeInstanceOf(
      DBSnapshotNotFoundFault,
    );
    const cluster = await rds.send(
      new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: 'aurora-nightly' }),
    );
    expect(cluster.DBClusterSnapshot?.Status).toBe('deleted');
  });

  it('are listed by type and filter, in pages of MaxRecords', async () => {
    for (let n = 1; n <= 45; n++) {
      await rds.send(
        new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'shop-db', DBSnapshotIdentifier: `many-${n}` }),
      );
    }
    const ids: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeDBSnapshots(
      { client: rds, pageSize: 20 },
      { DBInstanceIdentifier: 'shop-db', SnapshotType: 'manual' },
    )) {
      pages++;
      ids.push(...(page.DBSnapshots ?? []).map((s) => s.DBSnapshotIdentifier!));
    }
    expect(pages).toBe(3);
    expect(ids).toHaveLength(47); // 45, the nightly and the one still creating; not the automated one
    expect(new Set(ids).size).toBe(47);
    const automated = await rds.send(
      new DescribeDBSnapshotsCommand({ Filters: [{ Name: 'snapshot-type', Values: ['automated'] }] }),
    );
    expect(automated.DBSnapshots?.map((s) => s.DBSnapshotIdentifier)).toEqual(['rds:shop-db-2026-11-22-03-10']);
    const bad = await failure(rds.send(new DescribeDBSnapshotsCommand({ MaxRecords: 5 })));
    expect(bad).toMatchObject({ name: 'InvalidParameterValue' });
  });
});
