// DB instances and Aurora clusters: describe them, restore them from snapshots (`creating`, then `backing-up`, then
// `available`), add an instance to a cluster, and rename them (`renaming` until the new identifier takes effect,
// then `rebooting`), with RDS's errors. Other modifications are not modelled and are refused, saying so.
import { AwsError, type CallContext } from '../core/module.js';
import {
  bool,
  checkIdentifier,
  filters,
  integer,
  list,
  nameOf,
  optional,
  page,
  required,
  tags,
  type Params,
} from './params.js';
import { clusterView, instanceView } from './render.js';
import { DEFAULT_SECURITY_GROUP, type RdsSection } from './scenario.js';
import { notFound } from './snapshots.js';
import {
  defaultParameterGroup,
  resourceId,
  type Database,
  type DbCluster,
  type DbInstance,
  type RdsState,
} from './state.js';

const instanceNotFound = (id: string) => new AwsError('DBInstanceNotFound', `DBInstance ${id} not found.`, 404);
const clusterNotFound = (id: string) => new AwsError('DBClusterNotFoundFault', `DBCluster ${id} not found.`, 404);

/** What a restore or a new instance may name: the subnet and parameter groups that exist. */
class Catalogue {
  constructor(
    private readonly state: RdsState,
    private readonly section: RdsSection,
  ) {}

  checkSubnetGroup(name: string | undefined, region: string): void {
    if (name === undefined || name.toLowerCase() === 'default') return;
    const known = [...this.section.subnetGroups, ...this.databases(region).map((db) => db.subnetGroup)];
    if (!known.some((group) => group.toLowerCase() === name.toLowerCase())) {
      throw new AwsError('DBSubnetGroupNotFoundFault', `DBSubnetGroup ${name} not found.`, 404);
    }
  }

  checkParameterGroup(name: string | undefined, region: string, cluster: boolean): void {
    if (name === undefined || name.startsWith('default.')) return;
    const used = this.databases(region)
      .filter((db) => (db.kind === 'cluster') === cluster)
      .map((db) => db.parameterGroup);
    if (![...this.section.parameterGroups, ...used].includes(name)) {
      throw cluster
        ? new AwsError('DBClusterParameterGroupNotFound', `DBClusterParameterGroup not found: ${name}`, 404)
        : new AwsError('DBParameterGroupNotFound', `DBParameterGroup not found: ${name}`, 404);
    }
  }

  securityGroups(params: Params): string[] | undefined {
    const ids = list(params, 'VpcSecurityGroupIds', 'VpcSecurityGroupId');
    for (const id of ids) {
      if (!/^sg-[0-9a-f]{8,17}$/.test(id)) {
        throw new AwsError('InvalidParameterValue', `Invalid security group , groupId= ${id} , groupName=.`);
      }
    }
    return ids.length > 0 ? ids : undefined;
  }

  private databases(region: string): Database[] {
    return [...this.state.instances(region), ...this.state.clusters(region)];
  }
}

export function databaseHandlers(state: RdsState, section: RdsSection) {
  const catalogue = new Catalogue(state, section);
  const { timings } = state;

  const instanceClass = (params: Params): string | undefined => {
    const value = optional(params, 'DBInstanceClass');
    if (value !== undefined && !/^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(value)) {
      throw new AwsError('InvalidParameterValue', `Invalid DB Instance class: ${value}`);
    }
    return value;
  };

  const ensureFree = (kind: 'instance' | 'cluster', region: string, id: string): void => {
    if (!state.taken(kind, region, id)) return;
    throw kind === 'instance'
      ? new AwsError('DBInstanceAlreadyExists', 'DB instance already exists')
      : new AwsError('DBClusterAlreadyExistsFault', 'DB cluster already exists');
  };

  const restoreInstance = (params: Params, ctx: CallContext): DbInstance => {
    const id = required(params, 'DBInstanceIdentifier');
    checkIdentifier('DBInstanceIdentifier', id, 63);
    const snapshotId = required(params, 'DBSnapshotIdentifier');
    const snapshot = state.snapshot('instance', ctx.region, nameOf(snapshotId));
    if (!snapshot) throw notFound('instance', snapshotId);
    const status = state.status(snapshot);
    if (status !== 'available') {
      throw new AwsError(
        'InvalidDBSnapshotState',
        `DBSnapshot must have state available but actually has ${status}: ${snapshot.identifier}`,
      );
    }
    ensureFree('instance', ctx.region, id);
    const engine = optional(params, 'Engine');
    if (engine !== undefined && engine !== snapshot.engine) {
      throw new AwsError('InvalidParameterCombination', `Cannot restore a ${snapshot.engine} snapshot as ${engine}.`);
    }
    const subnetGroup = optional(params, 'DBSubnetGroupName');
    catalogue.checkSubnetGroup(subnetGroup, ctx.region);
    const parameterGroup = optional(params, 'DBParameterGroupName');
    catalogue.checkParameterGroup(parameterGroup, ctx.region, false);
    const ending = snapshot.restoreEndsIn;
    const instance: DbInstance = {
      kind: 'instance',
      region: ctx.region,
      identifier: id.toLowerCase(),
      resourceId: resourceId('db'),
      engine: snapshot.engine,
      engineVersion: snapshot.engineVersion,
      port: integer(params, 'Port') ?? snapshot.port,
      subnetGroup: subnetGroup ?? 'default',
      securityGroups: catalogue.securityGroups(params) ?? [DEFAULT_SECURITY_GROUP],
      parameterGroup: parameterGroup ?? defaultParameterGroup(snapshot.engine, snapshot.engineVersion),
      deletionProtection: bool(params, 'DeletionProtection') ?? false,
      tags: tags(params),
      createdAt: ctx.clock.now(),
      phases:
        ending === 'available'
          ? state.timeline(
              [
                ['creating', timings.restoreSeconds],
                ['backing-up', timings.backupSeconds],
              ],
              'available',
            )
          : state.timeline([['creating', timings.restoreSeconds]], ending),
      snapshotSeconds: 2,
      snapshotFails: false,
      restoreEndsIn: 'available',
      instanceClass: instanceClass(params) ?? snapshot.instanceClass ?? 'db.t4g.medium',
      allocatedStorage: snapshot.allocatedStorage,
      multiAZ: bool(params, 'MultiAZ') ?? false,
      publiclyAccessible: bool(params, 'PubliclyAccessible') ?? false,
    };
    state.putInstance(instance);
    return instance;
  };

  const restoreCluster = (params: Params, ctx: CallContext): DbCluster => {
    const id = required(params, 'DBClusterIdentifier');
    checkIdentifier('DBClusterIdentifier', id, 63);
    const snapshotId = required(params, 'SnapshotIdentifier');
    const engine = required(params, 'Engine');
    const snapshot = state.snapshot('cluster', ctx.region, nameOf(snapshotId));
    if (!snapshot) throw notFound('cluster', snapshotId);
    const status = state.status(snapshot);
    if (status !== 'available') {
      throw new AwsError(
        'InvalidDBClusterSnapshotStateFault',
        `DBClusterSnapshot must have state available but actually has ${status}: ${snapshot.identifier}`,
      );
    }
    ensureFree('cluster', ctx.region, id);
    if (engine !== snapshot.engine) {
      throw new AwsError('InvalidParameterCombination', `Cannot restore a ${snapshot.engine} snapshot as ${engine}.`);
    }
    const subnetGroup = optional(params, 'DBSubnetGroupName');
    catalogue.checkSubnetGroup(subnetGroup, ctx.region);
    const parameterGroup = optional(params, 'DBClusterParameterGroupName');
    catalogue.checkParameterGroup(parameterGroup, ctx.region, true);
    const version = optional(params, 'EngineVersion') ?? snapshot.engineVersion;
    const cluster: DbCluster = {
      kind: 'cluster',
      region: ctx.region,
      identifier: id.toLowerCase(),
      resourceId: resourceId('cluster'),
      engine,
      engineVersion: version,
      port: integer(params, 'Port') ?? snapshot.port,
      subnetGroup: subnetGroup ?? 'default',
      securityGroups: catalogue.securityGroups(params) ?? [DEFAULT_SECURITY_GROUP],
      parameterGroup: parameterGroup ?? defaultParameterGroup(engine, version),
      deletionProtection: bool(params, 'DeletionProtection') ?? false,
      tags: tags(params),
      createdAt: ctx.clock.now(),
      phases: state.timeline([['creating', timings.restoreSeconds]], snapshot.restoreEndsIn),
      snapshotSeconds: 2,
      snapshotFails: false,
      restoreEndsIn: 'available',
      members: [],
    };
    state.putCluster(cluster);
    return cluster;
  };

  /** An instance of an Aurora cluster: the only kind of new instance the sandbox models besides restores. */
  const createClusterInstance = (params: Params, ctx: CallContext): DbInstance => {
    const id = required(params, 'DBInstanceIdentifier');
    checkIdentifier('DBInstanceIdentifier', id, 63);
    const clusterId = optional(params, 'DBClusterIdentifier');
    if (clusterId === undefined) {
      throw new AwsError(
        'InvalidParameterCombination',
        'The sandbox models CreateDBInstance only for instances of an Aurora cluster: set DBClusterIdentifier.',
      );
    }
    const klass = instanceClass(params);
    if (klass === undefined) required(params, 'DBInstanceClass');
    const engine = required(params, 'Engine');
    const cluster = state.cluster(ctx.region, clusterId);
    if (!cluster) throw clusterNotFound(clusterId);
    if (state.statusOf(cluster) !== 'available') {
      throw new AwsError(
        'InvalidDBClusterStateFault',
        `DBCluster ${cluster.identifier} is not in the available state.`,
      );
    }
    ensureFree('instance', ctx.region, id);
    if (engine !== cluster.engine) {
      throw new AwsError(
        'InvalidParameterCombination',
        `The engine ${engine} does not match the engine of DB cluster ${cluster.identifier} (${cluster.engine}).`,
      );
    }
    const parameterGroup = optional(params, 'DBParameterGroupName');
    catalogue.checkParameterGroup(parameterGroup, ctx.region, false);
    const instance: DbInstance = {
      kind: 'instance',
      region: ctx.region,
      identifier: id.toLowerCase(),
      resourceId: resourceId('db'),
      engine,
      engineVersion: cluster.engineVersion,
      port: cluster.port,
      subnetGroup: cluster.subnetGroup,
      securityGroups: [...cluster.securityGroups],
      parameterGroup: parameterGroup ?? defaultParameterGroup(engine, cluster.engineVersion),
      deletionProtection: false,
      tags: tags(params),
      createdAt: ctx.clock.now(),
      phases: state.timeline([['creating', timings.clusterInstanceSeconds]], 'available'),
      snapshotSeconds: 2,
      snapshotFails: false,
      restoreEndsIn: 'available',
      instanceClass: klass!,
      allocatedStorage: 1,
      multiAZ: false,
      publiclyAccessible: bool(params, 'PubliclyAccessible') ?? false,
      cluster: cluster.identifier,
    };
    state.putInstance(instance);
    cluster.members.push(instance.identifier);
    return instance;
  };

  /** ModifyDB*: only renaming is modelled; any other setting is refused rather than silently ignored. */
  const rename = (kind: 'instance' | 'cluster', params: Params, ctx: CallContext): Database => {
    const [idName, newName] =
      kind === 'instance'
        ? ['DBInstanceIdentifier', 'NewDBInstanceIdentifier']
        : ['DBClusterIdentifier', 'NewDBClusterIdentifier'];
    const unmodelled = Object.keys(params).filter((key) => ![idName, newName, 'ApplyImmediately'].includes(key));
    if (unmodelled.length > 0) {
      throw new AwsError(
        'InvalidParameterCombination',
        `The sandbox models only renaming (${newName}, ApplyImmediately); ${unmodelled.join(', ')} is not modelled.`,
      );
    }
    const id = required(params, idName);
    const db = kind === 'instance' ? state.instance(ctx.region, id) : state.cluster(ctx.region, id);
    if (!db) throw kind === 'instance' ? instanceNotFound(id) : clusterNotFound(id);
    const to = optional(params, newName);
    if (to === undefined) return db;
    checkIdentifier(newName, to, 63);
    if (state.statusOf(db) !== 'available' || db.rename?.at !== undefined) {
      throw kind === 'instance'
        ? new AwsError('InvalidDBInstanceState', `Database instance is not in available state.`)
        : new AwsError('InvalidDBClusterStateFault', `DBCluster ${db.identifier} is not in the available state.`);
    }
    ensureFree(kind, ctx.region, to);
    state.rename(db, to, bool(params, 'ApplyImmediately') ?? false);
    return db;
  };

  const describeInstances = (params: Params, ctx: CallContext) => {
    const id = optional(params, 'DBInstanceIdentifier');
    if (id !== undefined) {
      const instance = state.instance(ctx.region, nameOf(id));
      if (!instance) throw instanceNotFound(id);
      return { items: [instance] };
    }
    const byFilter = filters(params, ['db-instance-id', 'db-cluster-id', 'engine', 'dbi-resource-id']);
    const wanted = (name: string) => (byFilter.get(name) ?? []).map((value) => nameOf(value).toLowerCase());
    const matching = state
      .instances(ctx.region)
      .filter((i) => !byFilter.has('db-instance-id') || wanted('db-instance-id').includes(i.identifier))
      .filter((i) => !byFilter.has('db-cluster-id') || wanted('db-cluster-id').includes(i.cluster ?? ''))
      .filter((i) => !byFilter.has('engine') || byFilter.get('engine')!.includes(i.engine))
      .filter((i) => !byFilter.has('dbi-resource-id') || byFilter.get('dbi-resource-id')!.includes(i.resourceId));
    return page(matching, params);
  };

  const describeClusters = (params: Params, ctx: CallContext) => {
    const id = optional(params, 'DBClusterIdentifier');
    if (id !== undefined) {
      const cluster = state.cluster(ctx.region, nameOf(id));
      if (!cluster) throw clusterNotFound(id);
      return { items: [cluster] };
    }
    const byFilter = filters(params, ['db-cluster-id', 'engine', 'db-cluster-resource-id']);
    const ids = (byFilter.get('db-cluster-id') ?? []).map((value) => nameOf(value).toLowerCase());
    const matching = state
      .clusters(ctx.region)
      .filter((c) => ids.length === 0 || ids.includes(c.identifier))
      .filter((c) => !byFilter.has('engine') || byFilter.get('engine')!.includes(c.engine));
    return page(matching, params);
  };

  const instanceAnswer = (db: DbInstance, ctx: CallContext) => ({ DBInstance: instanceView(state, db, ctx.accountId) });
  const clusterAnswer = (db: DbCluster, ctx: CallContext) => ({ DBCluster: clusterView(state, db, ctx.accountId) });

  return {
    DescribeDBInstances: (params: Params, ctx: CallContext) => {
      const { items, Marker } = describeInstances(params, ctx);
      return { ...(Marker ? { Marker } : {}), DBInstances: items.map((i) => instanceView(state, i, ctx.accountId)) };
    },
    DescribeDBClusters: (params: Params, ctx: CallContext) => {
      const { items, Marker } = describeClusters(params, ctx);
      return { ...(Marker ? { Marker } : {}), DBClusters: items.map((c) => clusterView(state, c, ctx.accountId)) };
    },
    RestoreDBInstanceFromDBSnapshot: (params: Params, ctx: CallContext) =>
      instanceAnswer(restoreInstance(params, ctx), ctx),
    RestoreDBClusterFromSnapshot: (params: Params, ctx: CallContext) => clusterAnswer(restoreCluster(params, ctx), ctx),
    CreateDBInstance: (params: Params, ctx: CallContext) => instanceAnswer(createClusterInstance(params, ctx), ctx),
    ModifyDBInstance: (params: Params, ctx: CallContext) =>
      instanceAnswer(rename('instance', params, ctx) as DbInstance, ctx),
    ModifyDBCluster: (params: Params, ctx: CallContext) =>
      clusterAnswer(rename('cluster', params, ctx) as DbCluster, ctx),
  };
}
