// A restore: a new DB instance (RestoreDBInstanceFromDBSnapshot) or a new Aurora cluster
// (RestoreDBClusterFromSnapshot, then CreateDBInstance for its writer) from a snapshot, under a new identifier, with
// the settings the plan worked out; waited for until `available`. The original is never deleted or renamed here: a
// swap, when asked for, comes after and on its own (swap.ts).
import {
  CreateDBInstanceCommand,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
  type RDSClient,
  type Tag,
} from '@aws-sdk/client-rds';
import { randomUUID } from 'node:crypto';
import { UserError, abortReason, formatDuration, type Clock, type Logger } from '@ecs-ship/action-kit';
import {
  assessDatabase,
  databaseName,
  findDatabase,
  lookUp,
  type DatabaseKind,
  type DatabaseView,
} from './databases.js';
import { describeError, isAlreadyExists } from './errors.js';
import { capitalise, planRestore, type RestorePlan, type RestoreSettings } from './restore-plan.js';
import { swapDatabases } from './swap.js';
import { REQUEST_TAG_KEY, tagList } from './tags.js';
import { Deadline, waitFor, type WaitTools } from './wait.js';

export interface RestoreContext {
  logger: Logger;
  clock: Clock;
  signal?: AbortSignal;
}

export interface RestoreResult {
  kind: DatabaseKind;
  /** The restored database's identifier now: the target, or after a swap the source's. */
  identifier: string;
  /** The identifier it was restored under. */
  restoredAs: string;
  snapshotId: string;
  endpoint?: string;
  readerEndpoint?: string;
  port?: number;
  arn?: string;
  /** Clusters: the instance the restored cluster got. */
  clusterInstance?: string;
  /** After a swap: the original's new identifier. */
  previousIdentifier?: string;
  plan: RestorePlan;
  /** An earlier run had made the database already; this one waited for it. */
  resumed: boolean;
  durationMs: number;
}

export async function restoreFromSnapshot(
  client: RDSClient,
  settings: RestoreSettings,
  { logger, clock, signal }: RestoreContext,
): Promise<RestoreResult> {
  const deadline = new Deadline(clock, settings.timeoutMs, 'timeout-minutes');
  const tools: WaitTools = { logger, clock, signal, deadline, pollIntervalMs: settings.pollIntervalMs };
  const { kind, target, snapshotId } = settings;
  const plan = await planRestore(client, settings, signal);
  logger.info(describePlan(plan));

  const resumed = plan.existing !== undefined;
  if (resumed) {
    logger.info(
      `${capitalise(databaseName(kind, target))} was restored from ${snapshotId} by an earlier run: waiting for it instead of restoring again.`,
    );
  } else {
    await startOnce(
      client,
      kind,
      target,
      `restore snapshot ${snapshotId} as ${databaseName(kind, target)}`,
      signal,
      (Tags) =>
        kind === 'instance' ? restoreInstance(client, plan, Tags, signal) : restoreCluster(client, plan, Tags, signal),
    );
  }
  const consequence = `${databaseName(kind, settings.source)} is untouched`;
  let restored = await waitUntilAvailable(client, kind, target, { ...tools, consequence });

  let clusterInstance: string | undefined;
  if (kind === 'cluster') {
    clusterInstance = settings.clusterInstanceId ?? `${target}-instance-1`;
    if (!restored.members.includes(clusterInstance)) {
      await startOnce(
        client,
        'instance',
        clusterInstance,
        `add DB instance ${clusterInstance} to ${target}`,
        signal,
        (Tags) => addClusterInstance(client, plan, clusterInstance!, Tags, signal),
      );
    }
    await waitUntilAvailable(client, 'instance', clusterInstance, { ...tools, consequence });
    restored = (await lookUp(client, 'cluster', target, signal)) ?? restored;
  }
  logger.info(
    `${capitalise(databaseName(kind, target))} is available after ${formatDuration(deadline.elapsed())}: ${restored.endpoint ?? 'no endpoint'}${restored.port ? `:${restored.port}` : ''}`,
  );

  const result: RestoreResult = {
    kind,
    identifier: restored.identifier,
    restoredAs: restored.identifier,
    snapshotId,
    endpoint: restored.endpoint,
    readerEndpoint: restored.readerEndpoint,
    port: restored.port,
    arn: restored.arn,
    clusterInstance,
    plan,
    resumed,
    durationMs: deadline.elapsed(),
  };
  if (!settings.swap) return result;

  const swapped = await swapDatabases(
    client,
    { kind, original: plan.original!, restored },
    { ...tools, consequence: undefined },
  );
  return {
    ...result,
    identifier: swapped.current.identifier,
    endpoint: swapped.current.endpoint,
    readerEndpoint: swapped.current.readerEndpoint,
    port: swapped.current.port,
    arn: swapped.current.arn,
    previousIdentifier: swapped.previousIdentifier,
    durationMs: deadline.elapsed(),
  };
}

/** One line: what is restored, as what, with which settings, and where they came from. */
function describePlan({ settings, applied }: RestorePlan): string {
  const parts = [
    applied.instanceClass && `class ${applied.instanceClass}`,
    applied.subnetGroup && `subnet group ${applied.subnetGroup}`,
    applied.securityGroups.length > 0 && `security groups ${applied.securityGroups.join(', ')}`,
    applied.parameterGroup && `parameter group ${applied.parameterGroup}`,
    `${Object.keys(applied.tags).length} tags`,
  ].filter(Boolean);
  const from = applied.copiedFrom ? `copied from ${applied.copiedFrom}` : 'as given';
  const overridden = applied.overridden.length > 0 ? `; given: ${applied.overridden.join(', ')}` : '';
  return `Restoring snapshot ${settings.snapshotId} as new ${databaseName(settings.kind, settings.target)}: ${parts.join(', ')} (${from}${overridden})`;
}

/**
 * Runs a create-type call once, tagged with a value unique to this request. RDS takes no client token: when the
 * answer is lost and the SDK's retry is told the database already exists, that tag shows it is this request's own.
 */
async function startOnce(
  client: RDSClient,
  kind: DatabaseKind,
  identifier: string,
  doing: string,
  signal: AbortSignal | undefined,
  start: (requestTags: Tag[]) => Promise<unknown>,
): Promise<void> {
  const requestId = randomUUID();
  try {
    await start([{ Key: REQUEST_TAG_KEY, Value: requestId }]);
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    if (isAlreadyExists(error)) {
      const existing = await findDatabase(client, kind, identifier, signal).catch(() => undefined);
      if (existing?.tags[REQUEST_TAG_KEY] === requestId) return;
    }
    throw new UserError(`Could not ${doing}: ${describeError(error)}`, { title: 'Restore failed', cause: error });
  }
}

function restoreInstance(client: RDSClient, plan: RestorePlan, requestTags: Tag[], signal?: AbortSignal) {
  const { settings, applied } = plan;
  return client.send(
    new RestoreDBInstanceFromDBSnapshotCommand({
      DBInstanceIdentifier: settings.target,
      DBSnapshotIdentifier: settings.snapshotId,
      DBInstanceClass: applied.instanceClass,
      DBSubnetGroupName: applied.subnetGroup,
      VpcSecurityGroupIds: applied.securityGroups.length > 0 ? applied.securityGroups : undefined,
      DBParameterGroupName: applied.parameterGroup,
      MultiAZ: applied.multiAZ,
      PubliclyAccessible: applied.publiclyAccessible,
      DeletionProtection: applied.deletionProtection,
      Tags: [...tagList(applied.tags), ...requestTags],
    }),
    { abortSignal: signal },
  );
}

function restoreCluster(client: RDSClient, plan: RestorePlan, requestTags: Tag[], signal?: AbortSignal) {
  const { settings, applied } = plan;
  return client.send(
    new RestoreDBClusterFromSnapshotCommand({
      DBClusterIdentifier: settings.target,
      SnapshotIdentifier: settings.snapshotId,
      Engine: plan.engine ?? plan.original?.engine,
      DBSubnetGroupName: applied.subnetGroup,
      VpcSecurityGroupIds: applied.securityGroups.length > 0 ? applied.securityGroups : undefined,
      DBClusterParameterGroupName: applied.parameterGroup,
      DeletionProtection: applied.deletionProtection,
      Tags: [...tagList(applied.tags), ...requestTags],
    }),
    { abortSignal: signal },
  );
}

function addClusterInstance(
  client: RDSClient,
  plan: RestorePlan,
  identifier: string,
  requestTags: Tag[],
  signal?: AbortSignal,
) {
  const { settings, applied } = plan;
  return client.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: identifier,
      DBClusterIdentifier: settings.target,
      DBInstanceClass: applied.instanceClass,
      Engine: plan.engine ?? plan.original?.engine,
      DBParameterGroupName: applied.instanceParameterGroup,
      PubliclyAccessible: applied.publiclyAccessible,
      Tags: [...tagList(applied.tags), ...requestTags],
    }),
    { abortSignal: signal },
  );
}

/** Polls the database until it is `available`; a status it cannot leave by itself fails the wait. */
export function waitUntilAvailable(
  client: RDSClient,
  kind: DatabaseKind,
  identifier: string,
  tools: WaitTools,
): Promise<DatabaseView> {
  const name = databaseName(kind, identifier);
  return waitFor(
    {
      what: `${name} to be available`,
      title: 'Restore',
      look: () => lookUp(client, kind, identifier, tools.signal),
      assess: (view) => {
        if (!view) return { state: 'waiting', status: 'not listed yet' };
        const assessment = assessDatabase(view.status);
        if (assessment.state === 'available') return { state: 'done' };
        if (assessment.state === 'failed')
          return { state: 'failed', reason: `${capitalise(name)} ended in status "${view.status}"` };
        return { state: 'waiting', status: view.status };
      },
    },
    tools,
  ) as Promise<DatabaseView>;
}
