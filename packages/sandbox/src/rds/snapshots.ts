// Manual snapshots of DB instances and Aurora clusters: create (`creating`, then `available` or `failed` after the
// source's duration), describe (by name, by source, by type, with filters and pages) and delete, with RDS's errors.
import { AwsError, type CallContext } from '../core/module.js';
import { checkIdentifier, filters, nameOf, optional, page, required, tags, type Params } from './params.js';
import { clusterSnapshotView, instanceSnapshotView } from './render.js';
import type { RdsState, Snapshot, SnapshotKind } from './state.js';

const NAMES: Record<SnapshotKind, { source: string; snapshot: string; label: string }> = {
  instance: { source: 'DBInstanceIdentifier', snapshot: 'DBSnapshotIdentifier', label: 'DBSnapshot' },
  cluster: { source: 'DBClusterIdentifier', snapshot: 'DBClusterSnapshotIdentifier', label: 'DBClusterSnapshot' },
};

const FILTERS: Record<SnapshotKind, { source: string; snapshot: string }> = {
  instance: { source: 'db-instance-id', snapshot: 'db-snapshot-id' },
  cluster: { source: 'db-cluster-id', snapshot: 'db-cluster-snapshot-id' },
};

export function notFound(kind: SnapshotKind, id: string): AwsError {
  return kind === 'instance'
    ? new AwsError('DBSnapshotNotFound', `DBSnapshot ${id} not found.`, 404)
    : new AwsError('DBClusterSnapshotNotFoundFault', `DBClusterSnapshot ${id} not found.`, 404);
}

export function snapshotHandlers(state: RdsState) {
  const create = (kind: SnapshotKind, params: Params, ctx: CallContext): Snapshot => {
    const names = NAMES[kind];
    const sourceId = required(params, names.source);
    const snapshotId = required(params, names.snapshot);
    checkIdentifier(names.snapshot, snapshotId, 255);
    const source = state.source(kind, ctx.region, sourceId);
    if (!source) {
      throw kind === 'instance'
        ? new AwsError('DBInstanceNotFound', `DBInstance ${sourceId} not found.`, 404)
        : new AwsError('DBClusterNotFoundFault', `DBCluster ${sourceId} not found.`, 404);
    }
    if (state.snapshot(kind, ctx.region, snapshotId)) {
      throw kind === 'instance'
        ? new AwsError(
            'DBSnapshotAlreadyExists',
            `Cannot create the snapshot because a snapshot with the identifier ${snapshotId} already exists.`,
          )
        : new AwsError(
            'DBClusterSnapshotAlreadyExistsFault',
            `Cannot create the cluster snapshot because one with the identifier ${snapshotId} already exists.`,
          );
    }
    const status = state.statusOf(source);
    if (kind === 'instance' && !['available', 'stopped'].includes(status)) {
      throw new AwsError(
        'InvalidDBInstanceState',
        `Cannot create a snapshot because the database instance ${source.identifier} is not currently in the available state.`,
      );
    }
    if (kind === 'cluster' && status !== 'available') {
      throw new AwsError('InvalidDBClusterStateFault', `DBCluster ${source.identifier} is not in the available state.`);
    }
    const now = ctx.clock.now();
    const snapshot: Snapshot = {
      kind,
      region: ctx.region,
      identifier: snapshotId.toLowerCase(),
      source: source.identifier,
      sourceResourceId: source.resourceId,
      type: 'manual',
      engine: source.engine,
      engineVersion: source.engineVersion,
      allocatedStorage: source.kind === 'instance' ? source.allocatedStorage : 0,
      port: source.port,
      ...(source.kind === 'instance' ? { instanceClass: source.instanceClass } : {}),
      createdAt: now,
      readyAt: now + state.scaled(source.snapshotSeconds),
      fails: source.snapshotFails,
      restoreEndsIn: source.restoreEndsIn,
      tags: tags(params),
    };
    state.addSnapshot(snapshot);
    return snapshot;
  };

  const describe = (kind: SnapshotKind, params: Params, ctx: CallContext) => {
    const names = NAMES[kind];
    const snapshotId = optional(params, names.snapshot);
    if (snapshotId) {
      const snapshot = state.snapshot(kind, ctx.region, nameOf(snapshotId));
      if (!snapshot) throw notFound(kind, snapshotId);
      return { items: [snapshot] };
    }
    const byFilter = filters(params, [FILTERS[kind].source, FILTERS[kind].snapshot, 'snapshot-type', 'engine']);
    const sources = [optional(params, names.source), ...(byFilter.get(FILTERS[kind].source) ?? [])]
      .filter((id): id is string => id !== undefined)
      .map((id) => nameOf(id).toLowerCase());
    const ids = (byFilter.get(FILTERS[kind].snapshot) ?? []).map((id) => nameOf(id).toLowerCase());
    const types = [optional(params, 'SnapshotType'), ...(byFilter.get('snapshot-type') ?? [])].filter(
      (type): type is string => type !== undefined,
    );
    const engines = byFilter.get('engine') ?? [];
    const matching = state
      .list(kind, ctx.region)
      .filter((s) => sources.length === 0 || sources.includes(s.source))
      .filter((s) => ids.length === 0 || ids.includes(s.identifier))
      .filter((s) => types.length === 0 || types.includes(s.type))
      .filter((s) => engines.length === 0 || engines.includes(s.engine));
    return page(matching, params);
  };

  const remove = (kind: SnapshotKind, params: Params, ctx: CallContext): Snapshot => {
    const names = NAMES[kind];
    const snapshotId = required(params, names.snapshot);
    const snapshot = state.snapshot(kind, ctx.region, nameOf(snapshotId));
    if (!snapshot) throw notFound(kind, snapshotId);
    const code = kind === 'instance' ? 'InvalidDBSnapshotState' : 'InvalidDBClusterSnapshotStateFault';
    if (snapshot.type !== 'manual') {
      throw new AwsError(code, `Only manual snapshots may be deleted: ${snapshot.identifier} is ${snapshot.type}.`);
    }
    const status = state.status(snapshot);
    if (status === 'creating') {
      throw new AwsError(code, `Cannot delete ${names.label} ${snapshot.identifier}: it is in the ${status} state.`);
    }
    state.deleteSnapshot(snapshot);
    return snapshot;
  };

  const deleted = <T extends { Status?: string }>(view: T): T => ({ ...view, Status: 'deleted' });

  return {
    CreateDBSnapshot: (params: Params, ctx: CallContext) => ({
      DBSnapshot: instanceSnapshotView(state, create('instance', params, ctx), ctx.accountId),
    }),
    DescribeDBSnapshots: (params: Params, ctx: CallContext) => {
      const { items, Marker } = describe('instance', params, ctx);
      return {
        ...(Marker ? { Marker } : {}),
        DBSnapshots: items.map((s) => instanceSnapshotView(state, s, ctx.accountId)),
      };
    },
    DeleteDBSnapshot: (params: Params, ctx: CallContext) => ({
      DBSnapshot: deleted(instanceSnapshotView(state, remove('instance', params, ctx), ctx.accountId)),
    }),
    CreateDBClusterSnapshot: (params: Params, ctx: CallContext) => ({
      DBClusterSnapshot: clusterSnapshotView(state, create('cluster', params, ctx), ctx.accountId),
    }),
    DescribeDBClusterSnapshots: (params: Params, ctx: CallContext) => {
      const { items, Marker } = describe('cluster', params, ctx);
      return {
        ...(Marker ? { Marker } : {}),
        DBClusterSnapshots: items.map((s) => clusterSnapshotView(state, s, ctx.accountId)),
      };
    },
    DeleteDBClusterSnapshot: (params: Params, ctx: CallContext) => ({
      DBClusterSnapshot: deleted(clusterSnapshotView(state, remove('cluster', params, ctx), ctx.accountId)),
    }),
  };
}
