// The sandbox's RDS API (awsQuery): DB instances and Aurora clusters with their status timelines, manual snapshots,
// restores, renames and snapshot deletion, with RDS's identifier rules and errors (see scenarios/rds.md).
import type { AwsQueryModule, ServiceDefinition } from '../core/module.js';
import { databaseHandlers } from './databases.js';
import { XML_LIST_ITEMS } from './render.js';
import { rdsSectionSchema, type RdsSection } from './scenario.js';
import { snapshotHandlers } from './snapshots.js';
import { RdsState } from './state.js';

export { RdsState } from './state.js';
export type { Database, DbCluster, DbInstance, Snapshot } from './state.js';
export type { RdsSection } from './scenario.js';

export type RdsModule = AwsQueryModule & { state: RdsState };

const DAY = 24 * 3_600_000;

export const rdsService: ServiceDefinition<RdsSection, RdsModule, 'rds'> = {
  key: 'rds',
  schema: rdsSectionSchema,
  create(section, env) {
    const scenario = section ?? rdsSectionSchema.parse(undefined);
    const state = new RdsState(
      () => env.clock.now(),
      env.accountId,
      env.clock.scaled.bind(env.clock),
      scenario.timings,
    );
    for (const cluster of scenario.clusters) state.addCluster(cluster.region ?? env.defaultRegion, cluster);
    for (const instance of scenario.instances) state.addInstance(instance.region ?? env.defaultRegion, instance);
    for (const existing of scenario.snapshots) {
      const kind = existing.cluster ? 'cluster' : 'instance';
      const region = existing.region ?? env.defaultRegion;
      const source = state.source(kind, region, existing.source);
      const created = env.clock.now() - (existing.ageDays !== undefined ? existing.ageDays * DAY : 3_600_000);
      state.addSnapshot({
        kind,
        region,
        identifier: existing.identifier.toLowerCase(),
        source: existing.source.toLowerCase(),
        sourceResourceId: source?.resourceId,
        type: existing.type,
        engine: source?.engine ?? (existing.cluster ? 'aurora-postgresql' : 'postgres'),
        engineVersion: source?.engineVersion ?? '16.4',
        allocatedStorage: source?.kind === 'instance' ? source.allocatedStorage : existing.cluster ? 0 : 20,
        port: source?.port ?? 5432,
        ...(source?.kind === 'instance' ? { instanceClass: source.instanceClass } : {}),
        createdAt: created,
        readyAt: existing.status === 'creating' ? Infinity : created,
        fails: existing.status === 'failed',
        restoreEndsIn: source?.restoreEndsIn ?? 'available',
        tags: Object.entries(existing.tags).map(([Key, Value]) => ({ Key, Value })),
      });
    }
    const handlers = { ...snapshotHandlers(state), ...databaseHandlers(state, scenario) };
    return {
      protocol: 'query',
      signingName: 'rds',
      xmlListItemName: XML_LIST_ITEMS,
      mutating: new Set(MUTATING),
      handlers,
      state,
    };
  },
};

/** Operations that change state (the recorder flags them). */
const MUTATING = [
  'CreateDBSnapshot',
  'CreateDBClusterSnapshot',
  'DeleteDBSnapshot',
  'DeleteDBClusterSnapshot',
  'RestoreDBInstanceFromDBSnapshot',
  'RestoreDBClusterFromSnapshot',
  'CreateDBInstance',
  'ModifyDBInstance',
  'ModifyDBCluster',
];
