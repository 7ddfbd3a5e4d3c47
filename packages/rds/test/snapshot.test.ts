import { mockClient } from 'aws-sdk-client-mock';
import {
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DBInstanceNotFoundFault,
  DBSnapshotAlreadyExistsFault,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { CancelledError, MemoryLogger, UserError } from '@ecs-ship/action-kit';
import { REQUEST_TAG_KEY, assessSnapshot, createSnapshotAndWait } from '../src/snapshot.js';
import { renderSnapshotId } from '../src/snapshot-id.js';
import { steppingClock } from '@ecs-ship/testing/clock';

const rds = mockClient(RDSClient);
const client = new RDSClient({ region: 'eu-west-1' });

beforeEach(() => rds.reset());

describe('createSnapshotAndWait', () => {
  it('creates an instance snapshot and polls until it is available', async () => {
    rds.on(CreateDBSnapshotCommand).resolves({ DBSnapshot: { Status: 'creating', PercentProgress: 0 } });
    rds
      .on(DescribeDBSnapshotsCommand)
      .resolvesOnce({ DBSnapshots: [{ Status: 'creating', PercentProgress: 40 }] })
      .resolves({ DBSnapshots: [{ Status: 'available', PercentProgress: 100, DBSnapshotArn: 'arn:x' }] });
    const logger = new MemoryLogger();
    const clock = steppingClock();
    const result = await createSnapshotAndWait(
      client,
      {
        source: { kind: 'instance', identifier: 'shop-db' },
        snapshotId: 'pre-migration-1',
        timeoutMs: 60_000,
        pollIntervalMs: 5000,
        tags: { 'github-run': '7' },
      },
      { logger, clock },
    );
    expect(result).toMatchObject({
      snapshotId: 'pre-migration-1',
      status: 'available',
      arn: 'arn:x',
      durationMs: 10_000,
    });
    expect(rds.commandCalls(CreateDBSnapshotCommand)[0]!.args[0].input).toEqual({
      DBInstanceIdentifier: 'shop-db',
      DBSnapshotIdentifier: 'pre-migration-1',
      Tags: [
        { Key: 'github-run', Value: '7' },
        { Key: REQUEST_TAG_KEY, Value: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      ],
    });
    expect(rds.commandCalls(DescribeDBSnapshotsCommand)).toHaveLength(2);
    expect(logger.lines).toContain('Waiting for snapshot pre-migration-1 to be available: creating (40%)');
  });

  it('uses the cluster operations for an Aurora cluster', async () => {
    rds.on(CreateDBClusterSnapshotCommand).resolves({ DBClusterSnapshot: { Status: 'creating' } });
    rds.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [{ Status: 'available' }] });
    const result = await createSnapshotAndWait(
      client,
      { source: { kind: 'cluster', identifier: 'aurora' }, snapshotId: 's1', timeoutMs: 60_000, pollIntervalMs: 1000 },
      { logger: new MemoryLogger(), clock: steppingClock() },
    );
    expect(result.status).toBe('available');
    expect(rds.commandCalls(CreateDBClusterSnapshotCommand)[0]!.args[0].input).toEqual({
      DBClusterIdentifier: 'aurora',
      DBClusterSnapshotIdentifier: 's1',
      Tags: [{ Key: REQUEST_TAG_KEY, Value: expect.any(String) }],
    });
    expect(rds.commandCalls(CreateDBSnapshotCommand)).toHaveLength(0);
  });

  // CreateDBSnapshot takes no client token: a retry whose first attempt took effect is told "already exists".
  describe('a snapshot that already exists', () => {
    const request = {
      source: { kind: 'instance' as const, identifier: 'shop-db' },
      snapshotId: 'pre-migration-1',
      timeoutMs: 60_000,
      pollIntervalMs: 1000,
    };
    const alreadyExists = new DBSnapshotAlreadyExistsFault({ message: 'already exists', $metadata: {} });

    it("is waited for when it carries this request's tag (its first attempt made it)", async () => {
      let requestId = '';
      rds.on(CreateDBSnapshotCommand).callsFake((input: { Tags: { Key: string; Value: string }[] }) => {
        requestId = input.Tags.find((tag) => tag.Key === REQUEST_TAG_KEY)!.Value;
        throw alreadyExists;
      });
      rds.on(DescribeDBSnapshotsCommand).callsFake(() => ({
        DBSnapshots: [{ Status: 'available', TagList: [{ Key: REQUEST_TAG_KEY, Value: requestId }] }],
      }));
      const logger = new MemoryLogger();
      const result = await createSnapshotAndWait(client, request, { logger, clock: steppingClock() });
      expect(result.status).toBe('available');
      expect(logger.lines).toContain(
        'The answer to the first request was lost; snapshot pre-migration-1 is the one that request started.',
      );
    });

    it('is an error when somebody else took it (another request id, or none)', async () => {
      rds.on(CreateDBSnapshotCommand).rejects(alreadyExists);
      for (const TagList of [[{ Key: REQUEST_TAG_KEY, Value: 'an-earlier-run' }], []]) {
        rds.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [{ Status: 'available', TagList }] });
        await expect(
          createSnapshotAndWait(client, request, { logger: new MemoryLogger(), clock: steppingClock() }),
        ).rejects.toThrow(
          'Could not create snapshot pre-migration-1 of DB instance shop-db: DBSnapshotAlreadyExistsFault: already exists',
        );
      }
    });
  });

  it('fails when the snapshot ends in failed', async () => {
    rds.on(CreateDBSnapshotCommand).resolves({ DBSnapshot: { Status: 'creating' } });
    rds.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [{ Status: 'failed' }] });
    await expect(
      createSnapshotAndWait(
        client,
        { source: { kind: 'instance', identifier: 'db' }, snapshotId: 's', timeoutMs: 60_000, pollIntervalMs: 1000 },
        { logger: new MemoryLogger(), clock: steppingClock() },
      ),
    ).rejects.toThrow(/ended in status "failed"; the migration was not run/);
  });

  it('times out while the snapshot is still creating', async () => {
    rds.on(CreateDBSnapshotCommand).resolves({ DBSnapshot: { Status: 'creating' } });
    rds.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [{ Status: 'creating' }] });
    const clock = steppingClock();
    const error = await createSnapshotAndWait(
      client,
      { source: { kind: 'instance', identifier: 'db' }, snapshotId: 's', timeoutMs: 12_000, pollIntervalMs: 5000 },
      { logger: new MemoryLogger(), clock },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/still "creating" after 12\.0 s.*snapshot-timeout-minutes/);
    expect(clock.slept).toEqual([5000, 5000, 2000]);
  });

  it('reports an error from RDS with its code', async () => {
    rds
      .on(CreateDBSnapshotCommand)
      .rejects(new DBInstanceNotFoundFault({ message: 'DBInstance nope not found.', $metadata: {} }));
    await expect(
      createSnapshotAndWait(
        client,
        { source: { kind: 'instance', identifier: 'nope' }, snapshotId: 's', timeoutMs: 1000, pollIntervalMs: 100 },
        { logger: new MemoryLogger(), clock: steppingClock() },
      ),
    ).rejects.toThrow(
      'Could not create snapshot s of DB instance nope: DBInstanceNotFoundFault: DBInstance nope not found.',
    );
  });

  it('stops waiting when cancelled', async () => {
    rds.on(CreateDBSnapshotCommand).resolves({ DBSnapshot: { Status: 'creating' } });
    const controller = new AbortController();
    controller.abort(new CancelledError('cancelled'));
    await expect(
      createSnapshotAndWait(
        client,
        { source: { kind: 'instance', identifier: 'db' }, snapshotId: 's', timeoutMs: 60_000, pollIntervalMs: 100 },
        { logger: new MemoryLogger(), clock: steppingClock(), signal: controller.signal },
      ),
    ).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('assessSnapshot', () => {
  it.each([
    ['available', 'available'],
    ['creating', 'waiting'],
    ['copying', 'waiting'],
    ['failed', 'failed'],
    ['incompatible-restore', 'failed'],
  ])('%s is %s', (status, state) => expect(assessSnapshot(status).state).toBe(state));
});

describe('renderSnapshotId', () => {
  const now = Date.UTC(2026, 10, 23, 15, 4, 5);
  it('fills every placeholder', () => {
    expect(
      renderSnapshotId('{env}-{date}-{time}-{sha7}-{run}', {
        environment: 'Production EU',
        now,
        sha: '4f6a0e1c9b2d8a7f3e5c1b0d9a8f7e6d5c4b3a21',
        runId: '7001',
      }),
    ).toBe('production-eu-20261123-150405-4f6a0e1-7001');
  });
  it('refuses an unknown placeholder and an empty one', () => {
    expect(() => renderSnapshotId('x-{branch}', { now })).toThrow('{branch} is not a placeholder');
    expect(() => renderSnapshotId('x-{env}', { now })).toThrow('{env} has no value in this run');
  });
});
