// rds-snapshot, mode prune: retention deletes only the suite's own old snapshots, never anybody else's or RDS's
// automated backups; a dry run lists and changes nothing. The bundle against the sandbox, under its IAM policy.
import { REGION, rdsWorld, runRds } from './helpers.js';

const world = rdsWorld();

const remaining = (kind: 'instance' | 'cluster' = 'instance') =>
  world.sandbox
    .state('rds')
    .list(kind, REGION)
    .map((s) => s.identifier)
    .sort();

const ALL = [
  'before-the-big-import',
  'billing-nightly',
  'pre-migration-production-20261123-150405-4f6a0e1',
  'pre-release-1',
  'pre-release-2',
  'pre-release-3',
  'pre-release-4',
  'rds:shop-production-2026-06-01-03-10',
  'still-copying',
];

test('a dry run lists what would be deleted and why, and changes nothing', async () => {
  const run = await runRds(world.sandbox, 'rds-snapshot', {
    mode: 'prune',
    'db-instance': 'shop-production',
    'delete-older-than-days': '30',
    'keep-newest': '3',
    'dry-run': 'true',
  });
  expect([run.exitCode, run.errors]).toEqual([0, []]);
  expect(JSON.parse(run.outputs['selected-snapshot-ids']!)).toEqual(['pre-release-2', 'pre-release-1']);
  expect(run.outputs['deleted-count']).toBe('0');
  expect(run.lines).toContainEqual(
    expect.stringMatching(/^Would delete pre-release-1 \(taken .*\): 45 days old, older than 30$/),
  );
  expect(run.lines).toContainEqual(
    expect.stringMatching(/^Would delete pre-release-2 \(taken .*\): beyond the newest 3$/),
  );
  expect(run.summary).toContain('Dry run: 2 snapshot(s) of shop-production would be deleted');
  expect(run.summary).toContain('| `still-copying` |');
  expect(world.sandbox.recorder.mutatingCalls()).toEqual([]);
  expect(remaining()).toEqual(ALL);
});

test("deletes only the suite's own: never a person's snapshot, an automated backup, another database's or one in progress", async () => {
  const run = await runRds(world.sandbox, 'rds-snapshot', {
    mode: 'prune',
    'db-instance': 'shop-production',
    'delete-older-than-days': '7',
  });
  expect([run.exitCode, run.errors]).toEqual([0, []]);
  expect(JSON.parse(run.outputs['selected-snapshot-ids']!).sort()).toEqual([
    'pre-release-1',
    'pre-release-2',
    'pre-release-3',
  ]);
  expect(run.outputs['deleted-count']).toBe('3');
  expect(
    world.sandbox.recorder
      .mutatingCalls()
      .map((c) => [c.operation, (c.params as Record<string, string>).DBSnapshotIdentifier]),
  ).toEqual([
    ['DeleteDBSnapshot', 'pre-release-3'],
    ['DeleteDBSnapshot', 'pre-release-2'],
    ['DeleteDBSnapshot', 'pre-release-1'],
  ]);
  expect(remaining()).toEqual(ALL.filter((id) => !['pre-release-1', 'pre-release-2', 'pre-release-3'].includes(id)));
  expect(run.summary).toContain('1 manual snapshot(s) made otherwise were left alone');
});

test('Aurora cluster snapshots, beyond the newest one', async () => {
  const run = await runRds(world.sandbox, 'rds-snapshot', {
    mode: 'prune',
    'db-cluster': 'shop-aurora',
    'keep-newest': '1',
  });
  expect([run.exitCode, run.errors]).toEqual([0, []]);
  expect(world.sandbox.recorder.mutatingCalls().map((c) => c.operation)).toEqual(['DeleteDBClusterSnapshot']);
  expect(remaining('cluster')).toEqual(['aurora-pre-release-2']);
});

test('a deletion whose answer is lost is not an error the second time: the snapshot is gone either way', async () => {
  world.sandbox.faults.inject({
    kind: 'error',
    service: 'rds',
    operation: 'DeleteDBSnapshot',
    status: 503,
    count: 1,
    after: true,
  });
  const run = await runRds(world.sandbox, 'rds-snapshot', {
    mode: 'prune',
    'db-instance': 'shop-production',
    'delete-older-than-days': '30',
  });
  expect([run.exitCode, run.errors]).toEqual([0, []]);
  expect(run.outputs['deleted-count']).toBe('1');
  expect(world.sandbox.recorder.calls({ operation: 'DeleteDBSnapshot' }).map((c) => c.errorCode ?? 'ok')).toEqual([
    'ServiceUnavailable',
    'DBSnapshotNotFound',
  ]);
  expect(remaining()).not.toContain('pre-release-1');
});
