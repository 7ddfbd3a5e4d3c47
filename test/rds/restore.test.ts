// rds-restore: the bundle run as the runner runs it, against the sandbox, under its documented IAM policy. A restore
// goes to a new identifier and leaves the original untouched; a swap leaves `<id>` on the restored database and
// `<id>-old` on the original; nothing at all happens without the exact typed confirmation.
import { PRE_MIGRATION, instance, operations, rdsWorld, runRds } from './helpers.js';

const world = rdsWorld();

const restore = (inputs: Record<string, string>) =>
  runRds(world.sandbox, 'rds-restore', { 'poll-interval-seconds': '0.1', ...inputs });

test.each([
  ['no confirmation', {}, /^Input "confirm": it is required but was not given/],
  [
    'the original’s name',
    { confirm: 'shop-production' },
    /"shop-production" does not confirm this restore\. Type "shop-production-restored" exactly/,
  ],
  ['another case', { confirm: 'Shop-Production-Restored' }, /does not confirm this restore/],
  [
    'a swap confirmed like a plain restore',
    { swap: 'true', confirm: 'shop-production-restored' },
    /Type "shop-production-restored replaces shop-production" exactly to restore .* then rename shop-production to shop-production-old/,
  ],
])('refused with %s: one line naming "confirm", and not a single call to RDS', async (_, inputs, message) => {
  const run = await restore({ 'db-instance': 'shop-production', 'snapshot-id': PRE_MIGRATION, ...inputs });
  expect(run.exitCode).toBe(1);
  expect(run.errors.find((e) => e.startsWith('Input "confirm"'))).toMatch(message);
  expect(world.sandbox.recorder.calls()).toEqual([]);
});

test('with the exact confirmation: a new instance with the original’s settings, available, its endpoint; the original untouched', async () => {
  const before = await instance(world.sandbox, 'shop-production');
  world.sandbox.recorder.clear();
  const run = await restore({
    'db-instance': 'shop-production',
    'snapshot-id': PRE_MIGRATION,
    confirm: 'shop-production-restored',
  });
  expect([run.exitCode, run.errors]).toEqual([0, []]);
  const calls = operations(world.sandbox);

  const restored = await instance(world.sandbox, 'shop-production-restored');
  expect(restored).toMatchObject({
    DBInstanceStatus: 'available',
    DBInstanceClass: 'db.r6g.large',
    DBSubnetGroup: { DBSubnetGroupName: 'shop-private' },
    VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0123456789abcdef0' }, { VpcSecurityGroupId: 'sg-0fedcba9876543210' }],
    DBParameterGroups: [{ DBParameterGroupName: 'shop-postgres16' }],
    MultiAZ: true,
    DeletionProtection: true,
  });
  const tags = Object.fromEntries((restored?.TagList ?? []).map((t) => [t.Key, t.Value]));
  expect(tags).toMatchObject({
    team: 'shop',
    'cost-center': '4711',
    'ecs-ship:created-by': 'rds-restore',
    'ecs-ship:restored-from': PRE_MIGRATION,
  });
  expect(run.outputs).toEqual({
    identifier: 'shop-production-restored',
    endpoint: restored!.Endpoint!.Address,
    port: '5432',
    arn: 'arn:aws:rds:eu-west-1:123456789012:db:shop-production-restored',
    'reader-endpoint': '',
    'previous-identifier': '',
  });
  // The original: same resource, same name, same status, nothing renamed or modified.
  expect(await instance(world.sandbox, 'shop-production')).toEqual(before);
  expect(world.sandbox.recorder.calls({ operation: 'ModifyDBInstance' })).toEqual([]);
  expect(world.sandbox.recorder.mutatingCalls().map((c) => c.operation)).toEqual(['RestoreDBInstanceFromDBSnapshot']);
  // What it waited for, each change once.
  expect(run.lines).toContain('Waiting for DB instance shop-production-restored to be available: creating');
  expect(run.lines).toContain('Waiting for DB instance shop-production-restored to be available: backing-up');
  expect(run.summary).toContain('`shop-production`, untouched');
  expect(calls).toEqual([
    'DescribeDBSnapshots',
    'DescribeDBInstances',
    'RestoreDBInstanceFromDBSnapshot',
    'DescribeDBInstances',
  ]);
});

test('a swap: <id> is the restored instance and <id>-old the original, each by its resource id', async () => {
  const original = await instance(world.sandbox, 'shop-production');
  const run = await restore({
    'db-instance': 'shop-production',
    'snapshot-id': PRE_MIGRATION,
    swap: 'true',
    confirm: 'shop-production-restored replaces shop-production',
  });
  expect([run.exitCode, run.errors]).toEqual([0, []]);
  const now = await instance(world.sandbox, 'shop-production');
  const old = await instance(world.sandbox, 'shop-production-old');
  expect(await instance(world.sandbox, 'shop-production-restored')).toBeUndefined();
  expect(old?.DbiResourceId).toBe(original?.DbiResourceId);
  expect(now?.DbiResourceId).not.toBe(original?.DbiResourceId);
  expect(now?.TagList).toContainEqual({ Key: 'ecs-ship:restored-from', Value: PRE_MIGRATION });
  expect([now?.DBInstanceStatus, old?.DBInstanceStatus]).toEqual(['available', 'available']);
  expect(run.outputs).toMatchObject({
    identifier: 'shop-production',
    'previous-identifier': 'shop-production-old',
    endpoint: expect.stringMatching(/^shop-production\.c[0-9a-f]{11}\.eu-west-1\.rds\.amazonaws\.com$/),
  });
  expect(
    world.sandbox.recorder.calls({ operation: 'ModifyDBInstance' }).map((c) => {
      const p = c.params as Record<string, string>;
      return `${p.DBInstanceIdentifier} → ${p.NewDBInstanceIdentifier} (${p.ApplyImmediately})`;
    }),
  ).toEqual(['shop-production → shop-production-old (true)', 'shop-production-restored → shop-production (true)']);
  expect(run.lines).toContainEqual(
    expect.stringMatching(
      /^Waiting for DB instance shop-production-old \(was shop-production\) to be available: renaming/,
    ),
  );
  expect(run.lines).toContain(
    'Waiting for DB instance shop-production (was shop-production-restored) to be available: rebooting',
  );
});

test('an Aurora cluster: the cluster, then its writer of the original writer’s class; the cluster endpoint', async () => {
  const run = await restore({
    'db-cluster': 'shop-aurora',
    'snapshot-id': 'aurora-pre-release-2',
    confirm: 'shop-aurora-restored',
  });
  expect([run.exitCode, run.errors]).toEqual([0, []]);
  expect(run.outputs).toMatchObject({
    identifier: 'shop-aurora-restored',
    endpoint: expect.stringMatching(/^shop-aurora-restored\.cluster-c[0-9a-f]{11}\.eu-west-1\.rds\.amazonaws\.com$/),
    'reader-endpoint': expect.stringMatching(/^shop-aurora-restored\.cluster-ro-/),
  });
  expect(await instance(world.sandbox, 'shop-aurora-restored-instance-1')).toMatchObject({
    DBInstanceClass: 'db.r6g.xlarge',
    DBClusterIdentifier: 'shop-aurora-restored',
    DBParameterGroups: [{ DBParameterGroupName: 'shop-aurora-pg' }],
  });
  expect(world.sandbox.recorder.mutatingCalls().map((c) => c.operation)).toEqual([
    'RestoreDBClusterFromSnapshot',
    'CreateDBInstance',
  ]);
});

test('a lost answer to the restore: one restored instance, and the step carries on with it', async () => {
  world.sandbox.faults.inject({
    kind: 'error',
    service: 'rds',
    operation: 'RestoreDBInstanceFromDBSnapshot',
    status: 503,
    count: 1,
    after: true,
  });
  const run = await restore({
    'db-instance': 'shop-production',
    'snapshot-id': PRE_MIGRATION,
    confirm: 'shop-production-restored',
  });
  expect([run.exitCode, run.errors]).toEqual([0, []]);
  expect(
    world.sandbox.recorder.calls({ operation: 'RestoreDBInstanceFromDBSnapshot' }).map((c) => c.errorCode),
  ).toEqual(['ServiceUnavailable', 'DBInstanceAlreadyExists']);
  expect(
    world.sandbox
      .state('rds')
      .instances('eu-west-1')
      .filter((i) => i.identifier.startsWith('shop-production-restored')),
  ).toHaveLength(1);
});

test.each([
  [
    'a snapshot still being made',
    { 'snapshot-id': 'still-copying' },
    /^Snapshot still-copying is creating, not available/,
  ],
  [
    'a snapshot of another instance',
    { 'snapshot-id': 'billing-nightly' },
    /^Snapshot billing-nightly is of DB instance billing-db, not of shop-production\. .*allow-other-source/,
  ],
  [
    'a target that exists',
    { 'target-id': 'billing-db', confirm: 'billing-db' },
    /^DB instance billing-db already exists\. Choose another "target-id"/,
  ],
])('refused before anything changes: %s', async (_, inputs, message) => {
  const run = await restore({
    'db-instance': 'shop-production',
    'snapshot-id': PRE_MIGRATION,
    confirm: 'shop-production-restored',
    ...inputs,
  });
  expect(run.exitCode).toBe(1);
  expect(run.errors[0]).toMatch(message);
  expect(world.sandbox.recorder.mutatingCalls()).toEqual([]);
});

test('a snapshot of another instance, when asked for, restored with the named instance’s settings', async () => {
  const run = await restore({
    'db-instance': 'shop-production',
    'snapshot-id': 'billing-nightly',
    'allow-other-source': 'true',
    'target-id': 'billing-copy',
    confirm: 'billing-copy',
  });
  expect([run.exitCode, run.errors]).toEqual([0, []]);
  expect((await instance(world.sandbox, 'billing-copy'))?.DBSubnetGroup?.DBSubnetGroupName).toBe('shop-private');
});

test('a poll interval longer than the timeout is refused by name', async () => {
  const run = await restore({
    'db-instance': 'shop-production',
    'snapshot-id': PRE_MIGRATION,
    confirm: 'shop-production-restored',
    'timeout-minutes': '1',
    'poll-interval-seconds': '2m',
  });
  expect(run.exitCode).toBe(1);
  expect(run.errors).toEqual([
    'Input "poll-interval-seconds": 2 min 00 s is longer than "timeout-minutes" (1 min 00 s). Ask RDS more often than the step waits in all, or raise "timeout-minutes".',
  ]);
  expect(world.sandbox.recorder.calls()).toEqual([]);
});
