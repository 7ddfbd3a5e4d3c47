// The sandbox's RDS API (awsQuery): manual snapshots of DB instances and Aurora clusters, which stay `creating`
// for the scenario's duration and then become `available` (or `failed`), with RDS's identifier rules and errors.
import { AwsError, type AwsQueryModule, type CallContext, type ServiceDefinition } from '../core/module.js';
import { rdsSectionSchema, type RdsSection } from './scenario.js';
import { RdsState, type Snapshot, type SnapshotKind } from './state.js';

export { RdsState } from './state.js';
export type { RdsSection } from './scenario.js';

export type RdsModule = AwsQueryModule & { state: RdsState };

export const rdsService: ServiceDefinition<RdsSection, RdsModule, 'rds'> = {
  key: 'rds',
  schema: rdsSectionSchema,
  create(section, env) {
    const scenario = section ?? rdsSectionSchema.parse(undefined);
    const state = new RdsState(() => env.clock.now());
    for (const instance of scenario.instances) state.addInstance(instance.region ?? env.defaultRegion, instance);
    for (const cluster of scenario.clusters) state.addCluster(cluster.region ?? env.defaultRegion, cluster);
    for (const existing of scenario.snapshots) {
      const created = env.clock.now() - 3_600_000;
      state.addSnapshot({
        kind: existing.cluster ? 'cluster' : 'instance',
        region: existing.region ?? env.defaultRegion,
        identifier: existing.identifier.toLowerCase(),
        source: existing.source.toLowerCase(),
        engine: existing.cluster ? 'aurora-postgresql' : 'postgres',
        engineVersion: '16.4',
        allocatedStorage: 20,
        createdAt: created,
        readyAt: existing.status === 'creating' ? Infinity : created,
        fails: existing.status === 'failed',
        tags: [],
      });
    }
    return {
      protocol: 'query',
      signingName: 'rds',
      xmlListItemName: {
        DBSnapshots: 'DBSnapshot',
        DBClusterSnapshots: 'DBClusterSnapshot',
        TagList: 'Tag',
        AvailabilityZones: 'AvailabilityZone',
      },
      mutating: new Set(['CreateDBSnapshot', 'CreateDBClusterSnapshot']),
      handlers: handlers(state, env.clock.scaled.bind(env.clock)),
      state,
    };
  },
};

type Handler = (params: Record<string, string>, ctx: CallContext) => unknown;

function handlers(state: RdsState, scaled: (seconds: number) => number): Record<string, Handler> {
  const create = (kind: SnapshotKind, params: Record<string, string>, ctx: CallContext): Snapshot => {
    const names = PARAMETERS[kind];
    const sourceId = required(params, names.source);
    const snapshotId = required(params, names.snapshot);
    checkIdentifier(names.snapshot, snapshotId);
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
    if (kind === 'instance' && !['available', 'stopped'].includes(source.status)) {
      throw new AwsError(
        'InvalidDBInstanceState',
        `Cannot create a snapshot because the database instance ${source.identifier} is not currently in the available state.`,
      );
    }
    if (kind === 'cluster' && source.status !== 'available') {
      throw new AwsError('InvalidDBClusterStateFault', `DBCluster ${source.identifier} is not in the available state.`);
    }
    const now = ctx.clock.now();
    const snapshot: Snapshot = {
      kind,
      region: ctx.region,
      identifier: snapshotId.toLowerCase(),
      source: source.identifier,
      engine: source.engine,
      engineVersion: source.engineVersion,
      allocatedStorage: source.allocatedStorage,
      createdAt: now,
      readyAt: now + scaled(source.snapshotSeconds),
      fails: source.snapshotFails,
      tags: tagsFrom(params),
    };
    state.addSnapshot(snapshot);
    return snapshot;
  };

  const describe = (kind: SnapshotKind, params: Record<string, string>, ctx: CallContext): Snapshot[] => {
    const names = PARAMETERS[kind];
    const snapshotId = params[names.snapshot];
    const sourceId = params[names.source];
    if (snapshotId) {
      const snapshot = state.snapshot(kind, ctx.region, snapshotId);
      if (!snapshot) {
        throw kind === 'instance'
          ? new AwsError('DBSnapshotNotFound', `DBSnapshot ${snapshotId} not found.`, 404)
          : new AwsError('DBClusterSnapshotNotFoundFault', `DBClusterSnapshot ${snapshotId} not found.`, 404);
      }
      return [snapshot];
    }
    const type = params.SnapshotType;
    return state
      .list(kind, ctx.region)
      .filter((s) => !sourceId || s.source === sourceId.toLowerCase())
      .filter(() => !type || type === 'manual');
  };

  return {
    CreateDBSnapshot: (params, ctx) => ({ DBSnapshot: instanceSnapshot(state, create('instance', params, ctx), ctx) }),
    DescribeDBSnapshots: (params, ctx) => ({
      DBSnapshots: describe('instance', params, ctx).map((s) => instanceSnapshot(state, s, ctx)),
    }),
    CreateDBClusterSnapshot: (params, ctx) => ({
      DBClusterSnapshot: clusterSnapshot(state, create('cluster', params, ctx), ctx),
    }),
    DescribeDBClusterSnapshots: (params, ctx) => ({
      DBClusterSnapshots: describe('cluster', params, ctx).map((s) => clusterSnapshot(state, s, ctx)),
    }),
  };
}

const PARAMETERS: Record<SnapshotKind, { source: string; snapshot: string }> = {
  instance: { source: 'DBInstanceIdentifier', snapshot: 'DBSnapshotIdentifier' },
  cluster: { source: 'DBClusterIdentifier', snapshot: 'DBClusterSnapshotIdentifier' },
};

function required(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') {
    throw new AwsError('MissingParameter', `The request must contain the parameter ${name}`);
  }
  return value;
}

/** Snapshot identifiers: 1-255 letters, digits and hyphens, starting with a letter, no `--`, not ending in `-`. */
export function isValidSnapshotIdentifier(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9-]{0,254}$/.test(value) && !value.includes('--') && !value.endsWith('-');
}

function checkIdentifier(parameter: string, value: string): void {
  if (!isValidSnapshotIdentifier(value)) {
    throw new AwsError(
      'InvalidParameterValue',
      `The parameter ${parameter} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`,
    );
  }
}

/** `Tags.Tag.N.Key` / `Tags.Tag.N.Value` form parameters (RDS names list members `Tag`; `member` is accepted too). */
function tagsFrom(params: Record<string, string>): { Key: string; Value: string }[] {
  const tags: { Key: string; Value: string }[] = [];
  for (const item of ['Tag', 'member']) {
    for (let n = 1; params[`Tags.${item}.${n}.Key`] !== undefined; n++) {
      tags.push({ Key: params[`Tags.${item}.${n}.Key`]!, Value: params[`Tags.${item}.${n}.Value`] ?? '' });
    }
  }
  return tags;
}

function instanceSnapshot(state: RdsState, s: Snapshot, ctx: CallContext) {
  const status = state.status(s);
  return {
    DBSnapshotIdentifier: s.identifier,
    DBInstanceIdentifier: s.source,
    ...(status !== 'creating' ? { SnapshotCreateTime: new Date(s.createdAt) } : {}),
    Engine: s.engine,
    AllocatedStorage: s.allocatedStorage,
    Status: status,
    Port: 5432,
    AvailabilityZone: `${s.region}a`,
    VpcId: 'vpc-0a1b2c3d4e5f60718',
    InstanceCreateTime: new Date(s.createdAt - 90 * 24 * 3_600_000),
    MasterUsername: 'postgres',
    EngineVersion: s.engineVersion,
    LicenseModel: 'postgresql-license',
    SnapshotType: 'manual',
    PercentProgress: state.progress(s),
    StorageType: 'gp3',
    Encrypted: true,
    DBSnapshotArn: `arn:aws:rds:${s.region}:${ctx.accountId}:snapshot:${s.identifier}`,
    IAMDatabaseAuthenticationEnabled: false,
    TagList: s.tags,
    SnapshotTarget: 'region',
  };
}

function clusterSnapshot(state: RdsState, s: Snapshot, ctx: CallContext) {
  const status = state.status(s);
  return {
    AvailabilityZones: [`${s.region}a`, `${s.region}b`, `${s.region}c`],
    DBClusterSnapshotIdentifier: s.identifier,
    DBClusterIdentifier: s.source,
    SnapshotCreateTime: new Date(s.createdAt),
    Engine: s.engine,
    EngineMode: 'provisioned',
    AllocatedStorage: 0,
    Status: status,
    Port: 5432,
    VpcId: 'vpc-0a1b2c3d4e5f60718',
    ClusterCreateTime: new Date(s.createdAt - 90 * 24 * 3_600_000),
    MasterUsername: 'postgres',
    EngineVersion: s.engineVersion,
    LicenseModel: 'postgresql-license',
    SnapshotType: 'manual',
    PercentProgress: state.progress(s),
    StorageEncrypted: true,
    DBClusterSnapshotArn: `arn:aws:rds:${s.region}:${ctx.accountId}:cluster-snapshot:${s.identifier}`,
    IAMDatabaseAuthenticationEnabled: false,
    TagList: s.tags,
  };
}
