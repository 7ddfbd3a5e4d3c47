import { mockClient } from 'aws-sdk-client-mock';
import {
  CreateDBInstanceCommand,
  DBInstanceAlreadyExistsFault,
  DBInstanceNotFoundFault,
  DBSnapshotNotFoundFault,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  ModifyDBInstanceCommand,
  RDSClient,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
  type DBCluster,
  type DBInstance,
  type DBSnapshot,
} from '@aws-sdk/client-rds';
import { MemoryLogger } from '@ecs-ship/action-kit';
import { RESTORED_FROM_TAG_KEY, type RestoreSettings } from '../src/restore-plan.js';
import { restoreFromSnapshot } from '../src/restore.js';
import { REQUEST_TAG_KEY } from '../src/tags.js';
import { steppingClock } from '@ecs-ship/testing/clock';

const rds = mockClient(RDSClient);
const client = new RDSClient({ region: 'eu-west-1' });

/** A tiny RDS: instances and clusters by identifier; describe answers what is there. */
let instances: Map<string, DBInstance>;
let clusters: Map<string, DBCluster>;
let snapshot: DBSnapshot;

const SHOP_DB: DBInstance = {
  DBInstanceIdentifier: 'shop-db',
  DBInstanceStatus: 'available',
  DbiResourceId: 'db-ORIGINAL',
  DBInstanceClass: 'db.r6g.large',
  DBSubnetGroup: { DBSubnetGroupName: 'shop-private' },
  VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0123456789abcdef0' }],
  DBParameterGroups: [{ DBParameterGroupName: 'shop-postgres16' }],
  MultiAZ: true,
  PubliclyAccessible: false,
  DeletionProtection: true,
  TagList: [
    { Key: 'team', Value: 'shop' },
    { Key: 'aws:cloudformation:stack-name', Value: 'shop' },
    { Key: 'ecs-ship:request-id', Value: 'an-earlier-restore' },
  ],
  Endpoint: { Address: 'shop-db.c0.eu-west-1.rds.amazonaws.com', Port: 5432 },
};

function settings(overrides: Partial<RestoreSettings> = {}): RestoreSettings {
  return {
    kind: 'instance',
    source: 'shop-db',
    snapshotId: 'pre-migration-1',
    target: 'shop-db-restored',
    allowOtherSource: false,
    overrides: {},
    suiteTags: { 'ecs-ship:created-by': 'rds-restore' },
    swap: false,
    timeoutMs: 3_600_000,
    pollIntervalMs: 15_000,
    ...overrides,
  };
}

const notFound = (id: string) => new DBInstanceNotFoundFault({ message: `DBInstance ${id} not found.`, $metadata: {} });

beforeEach(() => {
  rds.reset();
  instances = new Map([['shop-db', structuredClone(SHOP_DB)]]);
  clusters = new Map();
  snapshot = {
    DBSnapshotIdentifier: 'pre-migration-1',
    DBInstanceIdentifier: 'shop-db',
    Status: 'available',
    Engine: 'postgres',
  };
  rds.on(DescribeDBSnapshotsCommand).callsFake(() => ({ DBSnapshots: [snapshot] }));
  rds.on(DescribeDBInstancesCommand).callsFake((input: { DBInstanceIdentifier: string }) => {
    const found = instances.get(input.DBInstanceIdentifier);
    if (!found) throw notFound(input.DBInstanceIdentifier);
    return { DBInstances: [found] };
  });
  rds.on(DescribeDBClustersCommand).callsFake((input: { DBClusterIdentifier: string }) => {
    const found = clusters.get(input.DBClusterIdentifier);
    if (!found)
      throw Object.assign(new Error(`DBCluster ${input.DBClusterIdentifier} not found.`), {
        name: 'DBClusterNotFoundFault',
      });
    return { DBClusters: [found] };
  });
});

/** RestoreDBInstanceFromDBSnapshot makes the instance, which becomes available after `looks` describes. */
function restoresInstance(looks = 2) {
  rds.on(RestoreDBInstanceFromDBSnapshotCommand).callsFake((input: Record<string, any>) => {
    let seen = 0;
    const made: DBInstance = {
      DBInstanceIdentifier: input.DBInstanceIdentifier,
      DbiResourceId: 'db-RESTORED',
      DBInstanceClass: input.DBInstanceClass,
      TagList: input.Tags,
      get DBInstanceStatus() {
        return seen++ < looks ? 'creating' : 'available';
      },
      Endpoint: { Address: `${input.DBInstanceIdentifier}.c0.eu-west-1.rds.amazonaws.com`, Port: 5432 },
    } as DBInstance;
    instances.set(input.DBInstanceIdentifier, made);
    return { DBInstance: made };
  });
}

test("restores to a new identifier with the source's settings and tags, waits, and leaves the original alone", async () => {
  restoresInstance();
  const logger = new MemoryLogger();
  const result = await restoreFromSnapshot(client, settings(), { logger, clock: steppingClock() });
  const input = rds.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)[0]!.args[0].input;
  expect(input).toEqual({
    DBInstanceIdentifier: 'shop-db-restored',
    DBSnapshotIdentifier: 'pre-migration-1',
    DBInstanceClass: 'db.r6g.large',
    DBSubnetGroupName: 'shop-private',
    VpcSecurityGroupIds: ['sg-0123456789abcdef0'],
    DBParameterGroupName: 'shop-postgres16',
    MultiAZ: true,
    PubliclyAccessible: false,
    DeletionProtection: true,
    Tags: [
      { Key: 'team', Value: 'shop' },
      { Key: 'ecs-ship:created-by', Value: 'rds-restore' },
      { Key: RESTORED_FROM_TAG_KEY, Value: 'pre-migration-1' },
      { Key: REQUEST_TAG_KEY, Value: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    ],
  });
  expect(result).toMatchObject({
    identifier: 'shop-db-restored',
    endpoint: 'shop-db-restored.c0.eu-west-1.rds.amazonaws.com',
    port: 5432,
    resumed: false,
  });
  expect(logger.lines[0]).toBe(
    'Restoring snapshot pre-migration-1 as new DB instance shop-db-restored: class db.r6g.large, subnet group shop-private, security groups sg-0123456789abcdef0, parameter group shop-postgres16, 3 tags (copied from shop-db)',
  );
  expect(logger.lines).toContain('Waiting for DB instance shop-db-restored to be available: creating');
  expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
});

test('overrides replace what is copied, and say so', async () => {
  restoresInstance(0);
  const logger = new MemoryLogger();
  await restoreFromSnapshot(
    client,
    settings({ overrides: { instanceClass: 'db.t4g.medium', tags: { purpose: 'incident-42' } } }),
    { logger, clock: steppingClock() },
  );
  const input = rds.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)[0]!.args[0].input;
  expect(input.DBInstanceClass).toBe('db.t4g.medium');
  expect(input.Tags).toContainEqual({ Key: 'purpose', Value: 'incident-42' });
  expect(logger.lines[0]).toMatch(/\(copied from shop-db; given: instanceClass, tags\)$/);
});

describe('refusals before anything changes', () => {
  const refused = async (change: Partial<RestoreSettings>, before?: () => void) => {
    before?.();
    restoresInstance();
    const error = await restoreFromSnapshot(client, settings(change), {
      logger: new MemoryLogger(),
      clock: steppingClock(),
    }).catch((e: unknown) => e as Error);
    expect(rds.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)).toHaveLength(0);
    return (error as Error).message;
  };

  test('a snapshot that is not available', async () => {
    expect(await refused({}, () => (snapshot.Status = 'creating'))).toBe(
      'Snapshot pre-migration-1 is creating, not available: RDS restores only an available snapshot. Wait until it is available, or choose another one; nothing was changed.',
    );
  });

  test('a snapshot of another database, unless asked', async () => {
    snapshot.DBInstanceIdentifier = 'billing-db';
    expect(await refused({})).toBe(
      'Snapshot pre-migration-1 is of DB instance billing-db, not of shop-db. Choose a snapshot of shop-db, or set "allow-other-source: true" to restore it anyway; nothing was changed.',
    );
    restoresInstance(0);
    await restoreFromSnapshot(client, settings({ allowOtherSource: true }), {
      logger: new MemoryLogger(),
      clock: steppingClock(),
    });
    expect(rds.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)).toHaveLength(1);
  });

  test('an unknown snapshot', async () => {
    rds
      .on(DescribeDBSnapshotsCommand)
      .rejects(new DBSnapshotNotFoundFault({ message: 'DBSnapshot nope not found.', $metadata: {} }));
    expect(await refused({ snapshotId: 'nope' })).toBe(
      'There is no snapshot nope (DBSnapshotNotFoundFault: DBSnapshot nope not found.). Check "snapshot-id"; nothing was changed.',
    );
  });

  test('a target that exists and is not this restore', async () => {
    expect(await refused({ target: 'shop-db' })).toBe(
      'DB instance shop-db already exists. Choose another "target-id"; nothing was changed.',
    );
  });

  test('a swap whose <id>-old exists', async () => {
    instances.set('shop-db-old', { DBInstanceIdentifier: 'shop-db-old', DBInstanceStatus: 'available' });
    expect(await refused({ swap: true })).toMatch(
      /^DB instance shop-db-old already exists, so shop-db cannot be renamed/,
    );
  });

  test('a source that no longer exists, unless the network settings are given', async () => {
    instances.delete('shop-db');
    expect(await refused({})).toBe(
      'DB instance shop-db no longer exists, so its settings cannot be copied: set "subnet-group" and "security-groups" for the restore; nothing was changed.',
    );
    restoresInstance(0);
    await restoreFromSnapshot(
      client,
      settings({ overrides: { subnetGroup: 'shop-private', securityGroups: ['sg-0123456789abcdef0'] } }),
      { logger: new MemoryLogger(), clock: steppingClock() },
    );
    expect(rds.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)[0]!.args[0].input.DBInstanceClass).toBeUndefined();
  });
});

test('a lost answer: the retry is told the instance exists, and its request tag shows it is this restore', async () => {
  rds.on(RestoreDBInstanceFromDBSnapshotCommand).callsFake((input: Record<string, any>) => {
    // The first attempt took effect; only its answer was lost, and the SDK's retry got "already exists".
    instances.set(input.DBInstanceIdentifier, {
      DBInstanceIdentifier: input.DBInstanceIdentifier,
      DBInstanceStatus: 'available',
      TagList: input.Tags,
    });
    throw new DBInstanceAlreadyExistsFault({ message: 'DB instance already exists', $metadata: {} });
  });
  const result = await restoreFromSnapshot(client, settings(), { logger: new MemoryLogger(), clock: steppingClock() });
  expect(result.identifier).toBe('shop-db-restored');
  expect(rds.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)).toHaveLength(1);
});

test('a re-run finds the restore an earlier run started from the same snapshot, and waits for it', async () => {
  instances.set('shop-db-restored', {
    DBInstanceIdentifier: 'shop-db-restored',
    DBInstanceStatus: 'backing-up',
    TagList: [{ Key: RESTORED_FROM_TAG_KEY, Value: 'pre-migration-1' }],
  });
  let looks = 0;
  rds.on(DescribeDBInstancesCommand).callsFake((input: { DBInstanceIdentifier: string }) => {
    const found = instances.get(input.DBInstanceIdentifier);
    if (!found) throw notFound(input.DBInstanceIdentifier);
    if (input.DBInstanceIdentifier === 'shop-db-restored' && ++looks > 2) found.DBInstanceStatus = 'available';
    return { DBInstances: [found] };
  });
  const logger = new MemoryLogger();
  const result = await restoreFromSnapshot(client, settings(), { logger, clock: steppingClock() });
  expect(result.resumed).toBe(true);
  expect(rds.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)).toHaveLength(0);
  expect(logger.lines).toContain(
    'DB instance shop-db-restored was restored from pre-migration-1 by an earlier run: waiting for it instead of restoring again.',
  );
});

test('a restore that ends in incompatible-restore fails, saying the original is untouched', async () => {
  rds.on(RestoreDBInstanceFromDBSnapshotCommand).callsFake((input: Record<string, any>) => {
    instances.set(input.DBInstanceIdentifier, {
      DBInstanceIdentifier: input.DBInstanceIdentifier,
      DBInstanceStatus: 'incompatible-restore',
    });
    return {};
  });
  await expect(
    restoreFromSnapshot(client, settings(), { logger: new MemoryLogger(), clock: steppingClock() }),
  ).rejects.toThrow(
    'DB instance shop-db-restored ended in status "incompatible-restore"; DB instance shop-db is untouched.',
  );
});

test("an Aurora cluster: the cluster from its snapshot, then an instance of the writer's class and parameters", async () => {
  clusters.set('shop-aurora', {
    DBClusterIdentifier: 'shop-aurora',
    Status: 'available',
    Engine: 'aurora-postgresql',
    DBSubnetGroup: 'shop-private',
    VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0123456789abcdef0' }],
    DBClusterParameterGroup: 'shop-aurora-params',
    DBClusterMembers: [
      { DBInstanceIdentifier: 'shop-aurora-2', IsClusterWriter: false },
      { DBInstanceIdentifier: 'shop-aurora-1', IsClusterWriter: true },
    ],
    TagList: [{ Key: 'team', Value: 'shop' }],
  });
  instances.set('shop-aurora-1', {
    DBInstanceIdentifier: 'shop-aurora-1',
    DBInstanceClass: 'db.r6g.xlarge',
    DBParameterGroups: [{ DBParameterGroupName: 'shop-aurora-instance-params' }],
    PubliclyAccessible: false,
  });
  rds.on(DescribeDBClusterSnapshotsCommand).resolves({
    DBClusterSnapshots: [
      {
        DBClusterSnapshotIdentifier: 'nightly',
        DBClusterIdentifier: 'shop-aurora',
        Status: 'available',
        Engine: 'aurora-postgresql',
      },
    ],
  });
  rds.on(RestoreDBClusterFromSnapshotCommand).callsFake((input: Record<string, any>) => {
    clusters.set(input.DBClusterIdentifier, {
      DBClusterIdentifier: input.DBClusterIdentifier,
      Status: 'available',
      DBClusterMembers: [],
      Endpoint: `${input.DBClusterIdentifier}.cluster-c0.eu-west-1.rds.amazonaws.com`,
      Port: 5432,
    });
    return {};
  });
  rds.on(CreateDBInstanceCommand).callsFake((input: Record<string, any>) => {
    instances.set(input.DBInstanceIdentifier, {
      DBInstanceIdentifier: input.DBInstanceIdentifier,
      DBInstanceStatus: 'available',
    });
    clusters.get(input.DBClusterIdentifier)!.DBClusterMembers = [
      { DBInstanceIdentifier: input.DBInstanceIdentifier, IsClusterWriter: true },
    ];
    return {};
  });
  const result = await restoreFromSnapshot(
    client,
    settings({ kind: 'cluster', source: 'shop-aurora', snapshotId: 'nightly', target: 'shop-aurora-restored' }),
    { logger: new MemoryLogger(), clock: steppingClock() },
  );
  expect(rds.commandCalls(RestoreDBClusterFromSnapshotCommand)[0]!.args[0].input).toMatchObject({
    DBClusterIdentifier: 'shop-aurora-restored',
    SnapshotIdentifier: 'nightly',
    Engine: 'aurora-postgresql',
    DBSubnetGroupName: 'shop-private',
    VpcSecurityGroupIds: ['sg-0123456789abcdef0'],
    DBClusterParameterGroupName: 'shop-aurora-params',
  });
  expect(rds.commandCalls(CreateDBInstanceCommand)[0]!.args[0].input).toMatchObject({
    DBInstanceIdentifier: 'shop-aurora-restored-instance-1',
    DBClusterIdentifier: 'shop-aurora-restored',
    DBInstanceClass: 'db.r6g.xlarge',
    Engine: 'aurora-postgresql',
    DBParameterGroupName: 'shop-aurora-instance-params',
  });
  expect(result).toMatchObject({
    identifier: 'shop-aurora-restored',
    clusterInstance: 'shop-aurora-restored-instance-1',
    endpoint: 'shop-aurora-restored.cluster-c0.eu-west-1.rds.amazonaws.com',
  });
});
