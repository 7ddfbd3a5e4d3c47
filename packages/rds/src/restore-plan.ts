// Before a restore changes anything: the snapshot must exist, be `available` and be of the database named (unless
// the caller accepts another's); the new identifier must be free (or hold this very restore from an earlier run);
// for a swap, `<id>-old` must be free too; and the settings the new database gets are worked out: the source's
// instance class, subnet group, security groups, parameter group and tags, unless the caller overrides them.
import type { RDSClient } from '@aws-sdk/client-rds';
import { UserError, abortReason } from '@ecs-ship/action-kit';
import { databaseName, findDatabase, type DatabaseKind, type DatabaseView } from './databases.js';
import { describeError, isNotFound } from './errors.js';
import { describeSnapshot } from './snapshot.js';
import { isSuiteTag } from './tags.js';

/** On a restored database: the snapshot it came from (how a re-run recognises a restore it may carry on with). */
export const RESTORED_FROM_TAG_KEY = 'ecs-ship:restored-from';

export interface RestoreOverrides {
  instanceClass?: string;
  subnetGroup?: string;
  securityGroups?: string[];
  /** The DB parameter group (instances) or DB cluster parameter group (clusters). */
  parameterGroup?: string;
  /** Added to (and over) the tags copied from the source. */
  tags?: Record<string, string>;
}

export interface RestoreSettings {
  kind: DatabaseKind;
  /** The database the snapshot must be of, whose settings are copied, and (with `swap`) whose name it takes. */
  source: string;
  snapshotId: string;
  /** The new database's identifier. */
  target: string;
  /** Clusters: the identifier of the instance the restored cluster gets. */
  clusterInstanceId?: string;
  /** Restore a snapshot of another database than `source`. */
  allowOtherSource: boolean;
  overrides: RestoreOverrides;
  /** The suite's tags (suiteTags), put on the new database. */
  suiteTags: Record<string, string>;
  /** Then rename `source` → `<source>-old` and the restored database → `source`. */
  swap: boolean;
  timeoutMs: number;
  pollIntervalMs: number;
}

/** What the new database gets, and where each setting came from. */
export interface RestoreSettingsApplied {
  instanceClass?: string;
  subnetGroup?: string;
  securityGroups: string[];
  parameterGroup?: string;
  /** Clusters: the DB parameter group of the new instance (the source writer's). */
  instanceParameterGroup?: string;
  multiAZ?: boolean;
  publiclyAccessible?: boolean;
  deletionProtection?: boolean;
  tags: Record<string, string>;
  /** The database the settings were copied from (undefined when it no longer exists). */
  copiedFrom?: string;
  /** The settings given by the caller rather than copied. */
  overridden: string[];
}

export interface RestorePlan {
  settings: RestoreSettings;
  engine?: string;
  applied: RestoreSettingsApplied;
  /** The source as it is now (undefined when it no longer exists). */
  original?: DatabaseView;
  /** The target, when an earlier run of this restore already made it (then it is waited for, not made again). */
  existing?: DatabaseView;
}

/** The name a swap gives the original. */
export function swappedName(source: string): string {
  return `${source}-old`;
}

export async function planRestore(
  client: RDSClient,
  settings: RestoreSettings,
  signal?: AbortSignal,
): Promise<RestorePlan> {
  const { kind, source, snapshotId, target } = settings;
  const read = async <T>(doing: string, look: () => Promise<T>): Promise<T> => {
    try {
      return await look();
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      if (error instanceof UserError) throw error;
      throw new UserError(`Could not ${doing}: ${describeError(error)}`, { cause: error });
    }
  };

  const snapshot = await read(`read snapshot ${snapshotId}`, () =>
    describeSnapshot(client, kind, snapshotId, signal).catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
      throw new UserError(
        `There is no ${kind === 'cluster' ? 'DB cluster ' : ''}snapshot ${snapshotId} (${describeError(error)}). Check "snapshot-id"; nothing was changed.`,
      );
    }),
  );
  if (snapshot.status !== 'available') {
    throw new UserError(
      `Snapshot ${snapshotId} is ${snapshot.status}, not available: RDS restores only an available snapshot. Wait until it is available, or choose another one; nothing was changed.`,
    );
  }
  if (snapshot.source && snapshot.source.toLowerCase() !== source.toLowerCase() && !settings.allowOtherSource) {
    throw new UserError(
      `Snapshot ${snapshotId} is of ${databaseName(kind, snapshot.source)}, not of ${source}. Choose a snapshot of ${source}, or set "allow-other-source: true" to restore it anyway; nothing was changed.`,
    );
  }

  const original = await read(`read ${databaseName(kind, source)}`, () => findDatabase(client, kind, source, signal));
  const writer =
    kind === 'cluster' && original?.members[0]
      ? await read(`read DB instance ${original.members[0]}`, () =>
          findDatabase(client, 'instance', original.members[0]!, signal),
        )
      : undefined;
  const applied = settingsFor(settings, original, writer);

  const existing = await read(`read ${databaseName(kind, target)}`, () => findDatabase(client, kind, target, signal));
  if (existing && existing.tags[RESTORED_FROM_TAG_KEY] !== snapshotId.toLowerCase()) {
    throw new UserError(
      `${capitalise(databaseName(kind, target))} already exists. Choose another "target-id"; nothing was changed.`,
    );
  }
  if (settings.swap) {
    if (!original) {
      throw new UserError(
        `There is no ${databaseName(kind, source)} to swap with. Restore without "swap", then point the service at the new database; nothing was changed.`,
      );
    }
    const old = swappedName(original.identifier);
    if (await read(`read ${databaseName(kind, old)}`, () => findDatabase(client, kind, old, signal))) {
      throw new UserError(
        `${capitalise(databaseName(kind, old))} already exists, so ${source} cannot be renamed to it for the swap. Rename or delete ${old} first; nothing was changed.`,
      );
    }
  }
  return { settings, engine: snapshot.engine, applied, original, existing };
}

/** The source's settings, under the caller's overrides; an error when neither says where the database goes. */
function settingsFor(
  settings: RestoreSettings,
  original: DatabaseView | undefined,
  writer: DatabaseView | undefined,
): RestoreSettingsApplied {
  const { overrides, kind, source } = settings;
  const needed: [keyof RestoreOverrides, string][] = [
    ['subnetGroup', 'subnet-group'],
    ['securityGroups', 'security-groups'],
  ];
  if (kind === 'cluster') needed.push(['instanceClass', 'instance-class']);
  const classFrom = kind === 'cluster' ? writer : original;
  const missing = needed.filter(([key]) => overrides[key] === undefined).map(([, input]) => `"${input}"`);
  if ((!original || (kind === 'cluster' && !classFrom)) && missing.length > 0) {
    const why = original
      ? `${databaseName(kind, source)} has no instance to copy the instance class from`
      : `${databaseName(kind, source)} no longer exists, so its settings cannot be copied`;
    throw new UserError(`${capitalise(why)}: set ${missing.join(' and ')} for the restore; nothing was changed.`);
  }
  const copiedTags = Object.fromEntries(
    Object.entries(original?.tags ?? {}).filter(([key]) => !isSuiteTag(key) && !key.startsWith('aws:')),
  );
  return {
    instanceClass: overrides.instanceClass ?? classFrom?.instanceClass,
    subnetGroup: overrides.subnetGroup ?? original?.subnetGroup,
    securityGroups: overrides.securityGroups ?? original?.securityGroups ?? [],
    parameterGroup: overrides.parameterGroup ?? original?.parameterGroup,
    instanceParameterGroup: kind === 'cluster' ? writer?.parameterGroup : undefined,
    multiAZ: original?.multiAZ,
    publiclyAccessible: kind === 'cluster' ? writer?.publiclyAccessible : original?.publiclyAccessible,
    deletionProtection: original?.deletionProtection,
    tags: {
      ...copiedTags,
      ...overrides.tags,
      ...settings.suiteTags,
      [RESTORED_FROM_TAG_KEY]: settings.snapshotId.toLowerCase(),
    },
    copiedFrom: original?.identifier,
    overridden: (Object.keys(overrides) as (keyof RestoreOverrides)[]).filter((key) => overrides[key] !== undefined),
  };
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
