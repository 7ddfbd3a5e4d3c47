import { mockClient } from 'aws-sdk-client-mock';
import {
  DBSnapshotNotFoundFault,
  DeleteDBSnapshotCommand,
  DescribeDBSnapshotsCommand,
  InvalidDBSnapshotStateFault,
  RDSClient,
  type DBSnapshot,
} from '@aws-sdk/client-rds';
import { MemoryLogger } from '@ecs-ship/action-kit';
import { pruneSnapshots, selectForDeletion, type ListedSnapshot } from '../src/retention.js';
import { SUITE_TAG_KEY } from '../src/tags.js';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const DAY = 24 * 3_600_000;

function listed(identifier: string, ageDays: number, status = 'available'): ListedSnapshot {
  return { identifier, status, createdAt: new Date(NOW - ageDays * DAY), tags: { [SUITE_TAG_KEY]: 'release' } };
}

describe('selectForDeletion', () => {
  const snapshots = [
    listed('d40', 40),
    listed('d1', 1),
    listed('d10', 10),
    listed('d5', 5),
    listed('d31-failed', 31, 'failed'),
    listed('d2-failed', 2, 'failed'),
    listed('d0-creating', 0, 'creating'),
    listed('d60-copying', 60, 'copying'),
  ];
  const ids = (verdicts: { snapshot: ListedSnapshot }[]) => verdicts.map((v) => v.snapshot.identifier);

  test.each([
    ['older than 30 days', { olderThanDays: 30 }, ['d40', 'd31-failed']],
    ['beyond the newest 2 available', { keepNewest: 2 }, ['d10', 'd40']],
    ['either', { olderThanDays: 30, keepNewest: 2 }, ['d10', 'd31-failed', 'd40']],
    ['older than 365 days', { olderThanDays: 365 }, []],
  ])('%s', (_, rule, expected) => {
    const { remove, keep } = selectForDeletion(snapshots, rule, NOW);
    expect(ids(remove).sort()).toEqual([...expected].sort());
    // Snapshots still being made are never touched, whatever their age.
    expect(ids(keep)).toEqual(expect.arrayContaining(['d0-creating', 'd60-copying']));
    expect(ids(remove).length + ids(keep).length).toBe(snapshots.length);
  });

  test('says why each one goes', () => {
    const { remove } = selectForDeletion(snapshots, { olderThanDays: 30, keepNewest: 2 }, NOW);
    expect(remove.map((v) => `${v.snapshot.identifier}: ${v.reason}`)).toEqual([
      'd10: beyond the newest 2',
      'd31-failed: 31 days old, older than 30',
      'd40: 40 days old, older than 30',
    ]);
  });
});

describe('pruneSnapshots', () => {
  const rds = mockClient(RDSClient);
  const client = new RDSClient({ region: 'eu-west-1' });
  const snapshot = (id: string, ageDays: number, suite = true): DBSnapshot => ({
    DBSnapshotIdentifier: id,
    DBInstanceIdentifier: 'shop-db',
    Status: 'available',
    SnapshotType: 'manual',
    SnapshotCreateTime: new Date(NOW - ageDays * DAY),
    TagList: suite ? [{ Key: SUITE_TAG_KEY, Value: 'rds-snapshot' }] : [{ Key: 'created-by', Value: 'a person' }],
  });

  /** Two pages: RDS answers with a Marker until the last one. */
  const listsTwoPages = () =>
    rds
      .on(DescribeDBSnapshotsCommand)
      .resolvesOnce({ DBSnapshots: [snapshot('old-1', 50), snapshot('mine-by-hand', 80, false)], Marker: 'page-2' })
      .resolves({ DBSnapshots: [snapshot('old-2', 45), snapshot('recent', 2)] });

  beforeEach(() => {
    rds.reset();
    listsTwoPages();
  });

  test('a dry run lists what would go and deletes nothing', async () => {
    const logger = new MemoryLogger();
    const result = await pruneSnapshots(
      client,
      { kind: 'instance', source: 'shop-db', olderThanDays: 30, dryRun: true },
      { logger, now: NOW },
    );
    expect(result.selection.remove.map((v) => v.snapshot.identifier)).toEqual(['old-2', 'old-1']);
    expect(result.deleted).toEqual([]);
    expect(result.othersIgnored).toBe(1);
    expect(rds.commandCalls(DeleteDBSnapshotCommand)).toHaveLength(0);
    // Both pages read (the paginator passes the Marker on), manual snapshots of that database only.
    const listings = rds.commandCalls(DescribeDBSnapshotsCommand).map((c) => c.args[0].input);
    expect(listings).toHaveLength(2);
    expect(listings[1]).toMatchObject({ DBInstanceIdentifier: 'shop-db', SnapshotType: 'manual', Marker: 'page-2' });
    expect(logger.lines).toContain('Would delete old-1 (taken 2026-10-04 12:00 UTC): 50 days old, older than 30');
  });

  test("deletes only the suite's own; one already gone counts as deleted; a refusal stops and says what was done", async () => {
    rds
      .on(DeleteDBSnapshotCommand, { DBSnapshotIdentifier: 'old-2' })
      .rejects(new DBSnapshotNotFoundFault({ message: 'DBSnapshot old-2 not found.', $metadata: {} }));
    const result = await pruneSnapshots(
      client,
      { kind: 'instance', source: 'shop-db', olderThanDays: 30, dryRun: false },
      { logger: new MemoryLogger(), now: NOW },
    );
    expect(result.deleted).toEqual(['old-2', 'old-1']);
    expect(rds.commandCalls(DeleteDBSnapshotCommand).map((c) => c.args[0].input.DBSnapshotIdentifier)).toEqual([
      'old-2',
      'old-1',
    ]);

    rds.reset();
    listsTwoPages();
    rds
      .on(DeleteDBSnapshotCommand, { DBSnapshotIdentifier: 'old-1' })
      .rejects(new InvalidDBSnapshotStateFault({ message: 'Snapshot is being copied.', $metadata: {} }));
    await expect(
      pruneSnapshots(
        client,
        { kind: 'instance', source: 'shop-db', keepNewest: 1, dryRun: false },
        { logger: new MemoryLogger(), now: NOW },
      ),
    ).rejects.toThrow(
      'Could not delete snapshot old-1: InvalidDBSnapshotStateFault: Snapshot is being copied.. Deleted before it: old-2.',
    );
  });
});
