// Retention of the suite's own snapshots of one database: manual snapshots carrying the suite's tag, never anybody
// else's and never RDS's automated backups, are deleted when they are older than N days or beyond the newest K
// available ones. A dry run lists what would go and changes nothing.
import {
  DeleteDBClusterSnapshotCommand,
  DeleteDBSnapshotCommand,
  paginateDescribeDBClusterSnapshots,
  paginateDescribeDBSnapshots,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { UserError, abortReason, type Logger } from '@ecs-ship/action-kit';
import { databaseName, type DatabaseKind } from './databases.js';
import { describeError, isNotFound } from './errors.js';
import { SUITE_TAG_KEY, tagMap } from './tags.js';

const DAY_MS = 24 * 3_600_000;

export interface RetentionRule {
  /** Delete snapshots taken more than this many days ago. */
  olderThanDays?: number;
  /** Delete the available snapshots beyond the newest this many. */
  keepNewest?: number;
}

export interface RetentionSettings extends RetentionRule {
  kind: DatabaseKind;
  /** The database whose snapshots are looked at. */
  source: string;
  dryRun: boolean;
}

export interface ListedSnapshot {
  identifier: string;
  status: string;
  createdAt?: Date;
  tags: Record<string, string>;
}

export interface Verdict {
  snapshot: ListedSnapshot;
  /** Why it goes, or why it stays. */
  reason: string;
}

export interface RetentionSelection {
  remove: Verdict[];
  keep: Verdict[];
}

/** Which of the suite's snapshots the rule deletes, and why each one goes or stays. Pure: no RDS involved. */
export function selectForDeletion(snapshots: ListedSnapshot[], rule: RetentionRule, now: number): RetentionSelection {
  const newestFirst = [...snapshots].sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
  const remove: Verdict[] = [];
  const keep: Verdict[] = [];
  let availableSeen = 0;
  for (const snapshot of newestFirst) {
    // A snapshot still being made (or copied) is left alone: it may be the one a release is waiting for.
    if (snapshot.status !== 'available' && snapshot.status !== 'failed') {
      keep.push({ snapshot, reason: `${snapshot.status}: left alone until it is done` });
      continue;
    }
    if (snapshot.status === 'available') availableSeen++;
    const ageDays = snapshot.createdAt ? (now - snapshot.createdAt.getTime()) / DAY_MS : undefined;
    if (rule.olderThanDays !== undefined && ageDays !== undefined && ageDays > rule.olderThanDays) {
      remove.push({ snapshot, reason: `${Math.floor(ageDays)} days old, older than ${rule.olderThanDays}` });
    } else if (rule.keepNewest !== undefined && snapshot.status === 'available' && availableSeen > rule.keepNewest) {
      remove.push({ snapshot, reason: `beyond the newest ${rule.keepNewest}` });
    } else {
      keep.push({ snapshot, reason: snapshot.status === 'failed' ? 'failed, but not old enough' : 'kept' });
    }
  }
  return { remove, keep };
}

export interface PruneResult {
  selection: RetentionSelection;
  /** Manual snapshots of the database the suite did not make: never touched. */
  othersIgnored: number;
  deleted: string[];
  dryRun: boolean;
}

export async function pruneSnapshots(
  client: RDSClient,
  settings: RetentionSettings,
  { logger, now, signal }: { logger: Logger; now: number; signal?: AbortSignal },
): Promise<PruneResult> {
  const { kind, source, dryRun } = settings;
  const name = databaseName(kind, source);
  let listed: { suite: ListedSnapshot[]; others: number };
  try {
    listed = await listManualSnapshots(client, kind, source, signal);
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    throw new UserError(`Could not list the snapshots of ${name}: ${describeError(error)}`, { cause: error });
  }
  const selection = selectForDeletion(listed.suite, settings, now);
  logger.info(
    `${listed.suite.length} manual snapshot(s) of ${name} made by ecs-ship (${listed.others} made otherwise, never touched): ${selection.remove.length} to delete, ${selection.keep.length} to keep.`,
  );
  for (const { snapshot, reason } of selection.remove) {
    logger.info(`${dryRun ? 'Would delete' : 'Deleting'} ${snapshot.identifier} (${formatTaken(snapshot)}): ${reason}`);
  }
  const deleted: string[] = [];
  if (!dryRun) {
    for (const { snapshot } of selection.remove) {
      await deleteSnapshot(client, kind, snapshot.identifier, signal, deleted);
    }
  }
  return { selection, othersIgnored: listed.others, deleted, dryRun };
}

function formatTaken(snapshot: ListedSnapshot): string {
  return snapshot.createdAt
    ? `taken ${snapshot.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`
    : 'no date';
}

/** Every manual snapshot of the database, page by page: the suite's (by its tag) and how many others there are. */
async function listManualSnapshots(
  client: RDSClient,
  kind: DatabaseKind,
  source: string,
  signal?: AbortSignal,
): Promise<{ suite: ListedSnapshot[]; others: number }> {
  const all: ListedSnapshot[] = [];
  if (kind === 'instance') {
    const pages = paginateDescribeDBSnapshots(
      { client },
      { DBInstanceIdentifier: source, SnapshotType: 'manual' },
      { abortSignal: signal },
    );
    for await (const page of pages) {
      for (const s of page.DBSnapshots ?? []) {
        all.push({
          identifier: s.DBSnapshotIdentifier ?? '',
          status: s.Status ?? 'unknown',
          createdAt: s.SnapshotCreateTime,
          tags: tagMap(s.TagList),
        });
      }
    }
  } else {
    const pages = paginateDescribeDBClusterSnapshots(
      { client },
      { DBClusterIdentifier: source, SnapshotType: 'manual' },
      { abortSignal: signal },
    );
    for await (const page of pages) {
      for (const s of page.DBClusterSnapshots ?? []) {
        all.push({
          identifier: s.DBClusterSnapshotIdentifier ?? '',
          status: s.Status ?? 'unknown',
          createdAt: s.SnapshotCreateTime,
          tags: tagMap(s.TagList),
        });
      }
    }
  }
  const suite = all.filter((s) => s.tags[SUITE_TAG_KEY] !== undefined);
  return { suite, others: all.length - suite.length };
}

/** Deletes one snapshot; one already gone (a lost answer's first attempt, or someone else) counts as deleted. */
async function deleteSnapshot(
  client: RDSClient,
  kind: DatabaseKind,
  identifier: string,
  signal: AbortSignal | undefined,
  deleted: string[],
): Promise<void> {
  try {
    if (kind === 'instance') {
      await client.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: identifier }), { abortSignal: signal });
    } else {
      await client.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: identifier }), {
        abortSignal: signal,
      });
    }
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    if (!isNotFound(error)) {
      const done = deleted.length > 0 ? ` Deleted before it: ${deleted.join(', ')}.` : ' Nothing was deleted.';
      throw new UserError(`Could not delete snapshot ${identifier}: ${describeError(error)}.${done}`, { cause: error });
    }
  }
  deleted.push(identifier);
}
