// A manual snapshot of a DB instance or an Aurora cluster: create it, then poll until RDS reports it `available`.
// Anything else (a failed snapshot, a timeout, an error from RDS) is an error, so that whatever the snapshot protects
// (a migration, a release) never goes ahead without it.
import {
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotsCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { randomUUID } from 'node:crypto';
import { UserError, abortReason, formatDuration, type Clock, type Logger } from '@ecs-ship/action-kit';
import { describeError, isAlreadyExists } from './errors.js';
import { REQUEST_TAG_KEY, tagList, tagMap } from './tags.js';
import { Deadline, waitFor } from './wait.js';

export { REQUEST_TAG_KEY } from './tags.js';

export type SnapshotSource = { kind: 'instance' | 'cluster'; identifier: string };

export interface SnapshotRequest {
  source: SnapshotSource;
  snapshotId: string;
  timeoutMs: number;
  pollIntervalMs: number;
  /** Tags recorded on the snapshot (who took it and why: see suiteTags). */
  tags?: Record<string, string>;
}

export interface SnapshotResult {
  snapshotId: string;
  arn?: string;
  status: string;
  durationMs: number;
}

export interface SnapshotContext {
  logger: Logger;
  clock: Clock;
  signal?: AbortSignal;
  /** What a failed or late snapshot means for the rest of the step (default: "the migration was not run"). */
  consequence?: string;
  /** The input or config key that sets the timeout (default `snapshot-timeout-minutes`). */
  timeoutInput?: string;
  /** The longest the log stays quiet while the snapshot is taken (the step's progress-interval-seconds). */
  progressIntervalMs?: number;
}

/** What one look at the snapshot found. */
export interface SnapshotView {
  status: string;
  progress?: number;
  arn?: string;
  tags?: Record<string, string>;
  /** The instance or cluster it was taken of. */
  source?: string;
  createdAt?: Date;
  engine?: string;
}

/** Statuses from which a snapshot can still become available. */
const IN_PROGRESS = new Set(['creating', 'pending', 'copying', 'modifying', 'upgrading', 'backing-up']);

export type SnapshotAssessment = { state: 'waiting' } | { state: 'available' } | { state: 'failed'; status: string };

/** What a snapshot status means for the wait. */
export function assessSnapshot(status: string): SnapshotAssessment {
  if (status === 'available') return { state: 'available' };
  if (IN_PROGRESS.has(status)) return { state: 'waiting' };
  return { state: 'failed', status };
}

export async function createSnapshotAndWait(
  client: RDSClient,
  request: SnapshotRequest,
  context: SnapshotContext,
): Promise<SnapshotResult> {
  const { logger, clock, signal } = context;
  const { source, snapshotId } = request;
  const what = `Snapshot ${snapshotId} of ${sourceName(source)}`;
  const deadline = new Deadline(clock, request.timeoutMs, context.timeoutInput ?? 'snapshot-timeout-minutes');
  logger.info(`Creating snapshot ${snapshotId} of ${sourceName(source)}`);
  const created = await createOrFindOwn(client, request, signal);
  if (created.foundEarlierAttempt) {
    logger.info(`The answer to the first request was lost; snapshot ${snapshotId} is the one that request started.`);
  }
  const view = await waitFor(
    {
      what: `snapshot ${snapshotId} to be available`,
      title: 'Snapshot',
      look: async () => {
        try {
          return await describeSnapshot(client, source.kind, snapshotId, signal);
        } catch (error) {
          if (signal?.aborted) throw abortReason(signal);
          throw new UserError(`Could not read snapshot ${snapshotId}: ${describeError(error)}`, {
            title: 'Snapshot failed',
            cause: error,
          });
        }
      },
      assess: (seen) => {
        const assessment = assessSnapshot(seen.status);
        if (assessment.state === 'available') return { state: 'done' };
        if (assessment.state === 'failed')
          return { state: 'failed', reason: `${what} ended in status "${seen.status}"` };
        return {
          state: 'waiting',
          status: `${seen.status}${seen.progress !== undefined ? ` (${seen.progress}%)` : ''}`,
        };
      },
      timedOut: (status, elapsed) => `${what} was still "${status.replace(/ \(\d+%\)$/, '')}" after ${elapsed}`,
    },
    {
      logger,
      clock,
      signal,
      deadline,
      pollIntervalMs: request.pollIntervalMs,
      progressIntervalMs: context.progressIntervalMs,
      consequence: context.consequence ?? 'the migration was not run',
    },
    created,
  );
  const durationMs = deadline.elapsed();
  logger.info(`Snapshot ${snapshotId} is available after ${formatDuration(durationMs)}`);
  return { snapshotId, arn: view.arn, status: view.status, durationMs };
}

/** Creates the snapshot, or finds the one this request's lost first attempt created; anything else is an error. */
async function createOrFindOwn(
  client: RDSClient,
  request: SnapshotRequest,
  signal?: AbortSignal,
): Promise<SnapshotView & { foundEarlierAttempt?: boolean }> {
  const { source, snapshotId } = request;
  const requestId = randomUUID();
  try {
    return await create(client, request, requestId, signal);
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    if (isAlreadyExists(error)) {
      const existing = await describeSnapshot(client, source.kind, snapshotId, signal).catch(() => undefined);
      if (existing?.tags?.[REQUEST_TAG_KEY] === requestId) return { ...existing, foundEarlierAttempt: true };
    }
    throw new UserError(`Could not create snapshot ${snapshotId} of ${sourceName(source)}: ${describeError(error)}`, {
      title: 'Snapshot failed',
      cause: error,
    });
  }
}

export function sourceName(source: SnapshotSource): string {
  return `DB ${source.kind} ${source.identifier}`;
}

async function create(
  client: RDSClient,
  request: SnapshotRequest,
  requestId: string,
  signal?: AbortSignal,
): Promise<SnapshotView> {
  const Tags = tagList({ ...request.tags, [REQUEST_TAG_KEY]: requestId });
  if (request.source.kind === 'instance') {
    const { DBSnapshot } = await client.send(
      new CreateDBSnapshotCommand({
        DBInstanceIdentifier: request.source.identifier,
        DBSnapshotIdentifier: request.snapshotId,
        Tags,
      }),
      { abortSignal: signal },
    );
    return {
      status: DBSnapshot?.Status ?? 'creating',
      progress: DBSnapshot?.PercentProgress,
      arn: DBSnapshot?.DBSnapshotArn,
    };
  }
  const { DBClusterSnapshot } = await client.send(
    new CreateDBClusterSnapshotCommand({
      DBClusterIdentifier: request.source.identifier,
      DBClusterSnapshotIdentifier: request.snapshotId,
      Tags,
    }),
    { abortSignal: signal },
  );
  return {
    status: DBClusterSnapshot?.Status ?? 'creating',
    progress: DBClusterSnapshot?.PercentProgress,
    arn: DBClusterSnapshot?.DBClusterSnapshotArn,
  };
}

/** One snapshot by name; status `missing` when RDS lists none. Errors (DBSnapshotNotFound, …) are the caller's. */
export async function describeSnapshot(
  client: RDSClient,
  kind: SnapshotSource['kind'],
  snapshotId: string,
  signal?: AbortSignal,
): Promise<SnapshotView> {
  if (kind === 'instance') {
    const { DBSnapshots } = await client.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: snapshotId }), {
      abortSignal: signal,
    });
    const snapshot = DBSnapshots?.[0];
    return {
      status: snapshot?.Status ?? 'missing',
      progress: snapshot?.PercentProgress,
      arn: snapshot?.DBSnapshotArn,
      tags: tagMap(snapshot?.TagList),
      source: snapshot?.DBInstanceIdentifier,
      createdAt: snapshot?.SnapshotCreateTime,
      engine: snapshot?.Engine,
    };
  }
  const { DBClusterSnapshots } = await client.send(
    new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: snapshotId }),
    { abortSignal: signal },
  );
  const snapshot = DBClusterSnapshots?.[0];
  return {
    status: snapshot?.Status ?? 'missing',
    progress: snapshot?.PercentProgress,
    arn: snapshot?.DBClusterSnapshotArn,
    tags: tagMap(snapshot?.TagList),
    source: snapshot?.DBClusterIdentifier,
    createdAt: snapshot?.SnapshotCreateTime,
    engine: snapshot?.Engine,
  };
}
