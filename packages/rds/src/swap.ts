// The swap after a restore: the original is renamed `<id>-old`, then the restored database takes `<id>`, so that
// everything addressing `<id>` (its endpoint) reaches the restored data. Two ModifyDBInstance (ModifyDBCluster) calls
// with ApplyImmediately, each waited for until the database answers under its new name, by its immutable resource id:
// RDS shows a renamed database `available` under its old name before `renaming` starts, and under neither name for a
// moment, so neither name's status alone says the rename is done.
import { ModifyDBClusterCommand, ModifyDBInstanceCommand, type RDSClient } from '@aws-sdk/client-rds';
import { UserError, abortReason } from '@ecs-ship/action-kit';
import {
  assessDatabase,
  databaseName,
  findDatabase,
  lookUp,
  type DatabaseKind,
  type DatabaseView,
} from './databases.js';
import { describeError } from './errors.js';
import { capitalise, swappedName } from './restore-plan.js';
import { waitFor, type WaitTools } from './wait.js';

export interface SwapRequest {
  kind: DatabaseKind;
  original: DatabaseView;
  restored: DatabaseView;
}

export interface SwapResult {
  /** The restored database, now under the original's identifier. */
  current: DatabaseView;
  /** Where the original is now: `<id>-old`. */
  previousIdentifier: string;
}

export async function swapDatabases(client: RDSClient, request: SwapRequest, tools: WaitTools): Promise<SwapResult> {
  const { kind, original, restored } = request;
  const id = original.identifier;
  const old = swappedName(id);
  const cli =
    kind === 'instance' ? 'modify-db-instance --db-instance-identifier' : 'modify-db-cluster --db-cluster-identifier';
  const newFlag = kind === 'instance' ? '--new-db-instance-identifier' : '--new-db-cluster-identifier';
  const command = (from: string, to: string) => `aws rds ${cli} ${from} ${newFlag} ${to} --apply-immediately`;

  const untouched = `${databaseName(kind, restored.identifier)} is available and ${id} is untouched`;
  await rename(client, kind, original, old, untouched, {
    ...tools,
    consequence: `${databaseName(kind, restored.identifier)} is available; nothing may answer as ${id} until ${old} is renamed back (${command(old, id)}) or ${restored.identifier} takes its name (${command(restored.identifier, id)})`,
  });
  try {
    const current = await rename(client, kind, restored, id, undefined, tools);
    tools.logger.info(
      `Swapped: ${databaseName(kind, id)} is the restored database (${current.endpoint ?? 'no endpoint'}); the original is ${old}.`,
    );
    return { current, previousIdentifier: old };
  } catch (error) {
    if (tools.signal?.aborted) throw abortReason(tools.signal);
    throw new UserError(
      `The swap stopped half way: the original is now ${old} and the restored database is still ${restored.identifier}, so nothing may answer as ${id}. Finish it with \`${command(restored.identifier, id)}\`, or undo it with \`${command(old, id)}\`. Cause: ${describeError(error)}`,
      { title: 'Swap failed', cause: error },
    );
  }
}

/** Renames a database and waits until it answers, available, under the new name. */
async function rename(
  client: RDSClient,
  kind: DatabaseKind,
  db: DatabaseView,
  to: string,
  /** What is true when RDS refuses the rename, said after the refusal. */
  whenRefused: string | undefined,
  tools: WaitTools,
): Promise<DatabaseView> {
  const { logger, signal } = tools;
  const from = db.identifier;
  logger.info(`Renaming ${databaseName(kind, from)} to ${to}`);
  try {
    if (kind === 'instance') {
      const input = { DBInstanceIdentifier: from, NewDBInstanceIdentifier: to, ApplyImmediately: true };
      await client.send(new ModifyDBInstanceCommand(input), { abortSignal: signal });
    } else {
      const input = { DBClusterIdentifier: from, NewDBClusterIdentifier: to, ApplyImmediately: true };
      await client.send(new ModifyDBClusterCommand(input), { abortSignal: signal });
    }
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    // The answer may have been lost after RDS took the request: then the retry finds the rename under way or done.
    if (!(await renameUnderWay(client, kind, db, from, to, tools))) {
      const state = whenRefused ? `; ${whenRefused}` : '';
      throw new UserError(`Could not rename ${databaseName(kind, from)} to ${to}: ${describeError(error)}${state}`, {
        title: 'Swap failed',
        cause: error,
      });
    }
    logger.info(`The answer to the rename was lost; RDS is renaming ${from} to ${to}.`);
  }
  return (await waitFor(
    {
      what: `${databaseName(kind, to)} (was ${from}) to be available`,
      title: 'Swap',
      look: () => lookUp(client, kind, to, signal),
      assess: (view) => {
        if (!view) return { state: 'waiting', status: `renaming (${to} not in effect yet)` };
        if (db.resourceId && view.resourceId && view.resourceId !== db.resourceId) {
          return { state: 'failed', reason: `Another database (${view.resourceId}) answers as ${to}, not ${from}` };
        }
        const assessment = assessDatabase(view.status);
        if (assessment.state === 'available') return { state: 'done' };
        if (assessment.state === 'failed') {
          return { state: 'failed', reason: `${capitalise(databaseName(kind, to))} ended in status "${view.status}"` };
        }
        return { state: 'waiting', status: view.status };
      },
    },
    tools,
  )) as DatabaseView;
}

/**
 * Whether RDS took a rename whose answer was lost: the database answers under the new name, or shows the rename
 * pending or `renaming` under the old one. Looked at a few times, a poll interval apart: right after the request the
 * database can still look untouched.
 */
async function renameUnderWay(
  client: RDSClient,
  kind: DatabaseKind,
  db: DatabaseView,
  from: string,
  to: string,
  tools: WaitTools,
): Promise<boolean> {
  const { signal, clock, deadline, pollIntervalMs } = tools;
  const same = (view: DatabaseView | undefined): view is DatabaseView =>
    view !== undefined && (db.resourceId === undefined || view.resourceId === db.resourceId);
  for (let look = 1; ; look++) {
    if (same(await findDatabase(client, kind, to, signal).catch(() => undefined))) return true;
    const atOld = await findDatabase(client, kind, from, signal).catch(() => undefined);
    if (same(atOld) && (atOld.pendingIdentifier === to || atOld.status === 'renaming')) return true;
    if (look === LOOKS_AFTER_A_LOST_RENAME || deadline.left() <= 0) return false;
    await clock.sleep(Math.min(pollIntervalMs, deadline.left()), signal);
  }
}

const LOOKS_AFTER_A_LOST_RENAME = 3;
