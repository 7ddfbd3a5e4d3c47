// A snapshot before a migration: create it, then poll until RDS reports it `available`. Anything else (a failed
// snapshot, a timeout, an error from RDS) is an error, so that the migration never runs without its snapshot.
import {
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotsCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { randomUUID } from 'node:crypto';
import { Heartbeat, UserError, abortReason, formatDuration, type Clock, type Logger } from '@ecs-ship/action-kit';

export type SnapshotSource = { kind: 'instance' | 'cluster'; identifier: string };

export interface SnapshotRequest {
  source: SnapshotSource;
  snapshotId: string;
  timeoutMs: number;
  pollIntervalMs: number;
  /** Tags recorded on the snapshot (who took it and why). */
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
  /** The longest the log stays quiet while the snapshot is taken (default 30 s). */
  progressIntervalMs?: number;
}

/** What one look at the snapshot found. */
export interface SnapshotView {
  status: string;
  progress?: number;
  arn?: string;
  tags?: Record<string, string>;
}

/**
 * A tag with a value unique to one request. CreateDBSnapshot takes no client token: when RDS takes the snapshot and
 * the answer is lost, the SDK's retry is refused with "already exists" for the snapshot the first attempt made. The
 * tag tells that snapshot (ours: wait for it) from one somebody else took under the same name (an error).
 */
export const REQUEST_TAG_KEY = 'ecs-ship:request-id';

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
  const { clock, signal } = context;
  const { source, snapshotId } = request;
  const what = sourceName(source);
  const started = clock.now();
  context.logger.info(`Creating snapshot ${snapshotId} of ${what}`);
  let view = await createOrFindOwn(client, request, signal);
  if (view.foundEarlierAttempt) {
    context.logger.info(
      `The answer to the first request was lost; snapshot ${snapshotId} is the one that request started.`,
    );
  }

  let lastReported = '';
  // Each status change is printed at once; while none comes, a heartbeat says where the snapshot stands.
  const heartbeat = new Heartbeat(context, () => ({
    what: `Snapshot ${snapshotId}: ${lastReported}`,
    startedAt: started,
    deadline: started + request.timeoutMs,
  }));
  const logger = heartbeat.logger;
  for (;;) {
    const assessment = assessSnapshot(view.status);
    const report = `${view.status}${view.progress !== undefined ? ` (${view.progress}%)` : ''}`;
    if (report !== lastReported) {
      logger.info(`Snapshot ${snapshotId}: ${report}`);
      lastReported = report;
    }
    if (assessment.state === 'available') {
      const durationMs = clock.now() - started;
      logger.info(`Snapshot ${snapshotId} is available after ${formatDuration(durationMs)}`);
      return { snapshotId, arn: view.arn, status: view.status, durationMs };
    }
    if (assessment.state === 'failed') {
      throw new UserError(
        `Snapshot ${snapshotId} of ${what} ended in status "${assessment.status}"; the migration was not run.`,
        { title: 'Snapshot failed' },
      );
    }
    const elapsed = clock.now() - started;
    if (elapsed >= request.timeoutMs) {
      throw new UserError(
        `Snapshot ${snapshotId} of ${what} was still "${view.status}" after ${formatDuration(elapsed)}; the migration was not run. Raise "snapshot-timeout-minutes" if the database needs longer.`,
        { title: 'Snapshot timed out' },
      );
    }
    await heartbeat.sleep(Math.min(request.pollIntervalMs, request.timeoutMs - elapsed), signal);
    try {
      view = await describe(client, source.kind, snapshotId, signal);
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      throw new UserError(`Could not read snapshot ${snapshotId}: ${describeError(error)}`, {
        title: 'Snapshot failed',
        cause: error,
      });
    }
  }
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
      const existing = await describe(client, source.kind, snapshotId, signal).catch(() => undefined);
      if (existing?.tags?.[REQUEST_TAG_KEY] === requestId) return { ...existing, foundEarlierAttempt: true };
    }
    const what = sourceName(source);
    throw new UserError(`Could not create snapshot ${snapshotId} of ${what}: ${describeError(error)}`, {
      title: 'Snapshot failed',
      cause: error,
    });
  }
}

function sourceName(source: SnapshotSource): string {
  return `DB ${source.kind} ${source.identifier}`;
}

/** DBSnapshotAlreadyExists (instances) or DBClusterSnapshotAlreadyExistsFault (clusters), by code or class name. */
function isAlreadyExists(error: unknown): boolean {
  return error instanceof Error && /SnapshotAlreadyExists/.test(error.name);
}

async function create(
  client: RDSClient,
  request: SnapshotRequest,
  requestId: string,
  signal?: AbortSignal,
): Promise<SnapshotView> {
  const Tags = [
    ...Object.entries(request.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    { Key: REQUEST_TAG_KEY, Value: requestId },
  ];
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

async function describe(
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
  };
}

function tagMap(list: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
}

/** An AWS error as one line: its code and message. */
function describeError(error: unknown): string {
  if (error instanceof Error) {
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return `${name}${error.message}`;
  }
  return String(error);
}
