// What the sandbox's RDS knows: DB instances, Aurora clusters and their snapshots, per region.
// Statuses are timelines worked out when they are read (a restored instance is `creating` until one time,
// `backing-up` until another, then `available`), and a rename takes effect the first time anything is read after
// its moment, so no timer has to run for them.
import { createHash, randomBytes } from 'node:crypto';
import type { ClusterSection, InstanceSection, RdsTimings, RestoreOutcome } from './scenario.js';

export type SnapshotKind = 'instance' | 'cluster';
export interface Tag {
  Key: string;
  Value: string;
}

/** One stretch of a status timeline: `status` until `until` (epoch ms; Infinity for the last one). */
export interface Phase {
  status: string;
  until: number;
}

interface DatabaseBase {
  region: string;
  /** As RDS keeps it: lower case. */
  identifier: string;
  resourceId: string;
  engine: string;
  engineVersion: string;
  port: number;
  subnetGroup: string;
  securityGroups: string[];
  /** The DB parameter group (instances) or DB cluster parameter group (clusters). */
  parameterGroup: string;
  deletionProtection: boolean;
  tags: Tag[];
  createdAt: number;
  phases: Phase[];
  /** A rename asked for: pending until `at` (never, without ApplyImmediately). */
  rename?: { to: string; at?: number };
  snapshotSeconds: number;
  snapshotFails: boolean;
  restoreEndsIn: RestoreOutcome;
}

export interface DbInstance extends DatabaseBase {
  kind: 'instance';
  instanceClass: string;
  allocatedStorage: number;
  multiAZ: boolean;
  publiclyAccessible: boolean;
  /** The Aurora cluster the instance belongs to. */
  cluster?: string;
}

export interface DbCluster extends DatabaseBase {
  kind: 'cluster';
  /** Member instances, the writer first. */
  members: string[];
}

export type Database = DbInstance | DbCluster;

export interface Snapshot {
  kind: SnapshotKind;
  region: string;
  /** As RDS keeps it: lower case. */
  identifier: string;
  source: string;
  sourceResourceId?: string;
  type: 'manual' | 'automated';
  engine: string;
  engineVersion: string;
  allocatedStorage: number;
  port: number;
  /** The source instance's class when the snapshot was taken (a restore without a class uses it). */
  instanceClass?: string;
  createdAt: number;
  /** Epoch ms when `creating` ends; Infinity for a snapshot that never finishes. */
  readyAt: number;
  fails: boolean;
  restoreEndsIn: RestoreOutcome;
  tags: Tag[];
}

export type SnapshotStatus = 'creating' | 'available' | 'failed';

export class RdsState {
  private readonly instanceMap = new Map<string, DbInstance>();
  private readonly clusterMap = new Map<string, DbCluster>();
  private readonly snapshotMap = new Map<string, Snapshot>();

  constructor(
    private readonly now: () => number,
    readonly accountId: string,
    /** Real milliseconds for scenario seconds. */
    readonly scaled: (seconds: number) => number,
    readonly timings: RdsTimings,
  ) {}

  addInstance(region: string, section: InstanceSection, createdAt = this.now() - 90 * DAY): DbInstance {
    const instance: DbInstance = {
      kind: 'instance',
      ...common(region, section, createdAt, 'db'),
      instanceClass: section.instanceClass,
      allocatedStorage: section.allocatedStorage,
      multiAZ: section.multiAZ,
      publiclyAccessible: section.publiclyAccessible,
      cluster: section.cluster?.toLowerCase(),
    };
    this.putInstance(instance);
    if (instance.cluster) this.cluster(region, instance.cluster)?.members.push(instance.identifier);
    return instance;
  }

  addCluster(region: string, section: ClusterSection, createdAt = this.now() - 90 * DAY): DbCluster {
    const cluster: DbCluster = { kind: 'cluster', ...common(region, section, createdAt, 'cluster'), members: [] };
    this.clusterMap.set(key('cluster', region, cluster.identifier), cluster);
    return cluster;
  }

  putInstance(instance: DbInstance): void {
    this.instanceMap.set(key('instance', instance.region, instance.identifier), instance);
  }

  putCluster(cluster: DbCluster): void {
    this.clusterMap.set(key('cluster', cluster.region, cluster.identifier), cluster);
  }

  instance(regionName: string, identifier: string): DbInstance | undefined {
    this.settle();
    return this.instanceMap.get(key('instance', regionName, identifier));
  }

  cluster(regionName: string, identifier: string): DbCluster | undefined {
    this.settle();
    return this.clusterMap.get(key('cluster', regionName, identifier));
  }

  /** The instance or cluster a snapshot of that kind is taken of. */
  source(kind: SnapshotKind, regionName: string, identifier: string): Database | undefined {
    return kind === 'instance' ? this.instance(regionName, identifier) : this.cluster(regionName, identifier);
  }

  instances(regionName: string): DbInstance[] {
    this.settle();
    return [...this.instanceMap.values()].filter((i) => i.region === regionName);
  }

  clusters(regionName: string): DbCluster[] {
    this.settle();
    return [...this.clusterMap.values()].filter((c) => c.region === regionName);
  }

  /** Whether an identifier is in use, or promised to a rename that has not happened yet. */
  taken(kind: SnapshotKind, regionName: string, identifier: string): boolean {
    const id = identifier.toLowerCase();
    const all = kind === 'instance' ? this.instances(regionName) : this.clusters(regionName);
    return all.some((db) => db.identifier === id || db.rename?.to === id);
  }

  /** A database's status now, from its timeline. */
  statusOf(db: Database): string {
    const now = this.now();
    return (db.phases.find((phase) => now < phase.until) ?? db.phases.at(-1)!).status;
  }

  /** A timeline starting now: each step's status for its scenario seconds, then `last` for good. */
  timeline(steps: [status: string, seconds: number][], last: string): Phase[] {
    let at = this.now();
    const phases = steps.map(([status, seconds]) => ({ status, until: (at += this.scaled(seconds)) }));
    return [...phases, { status: last, until: Infinity }];
  }

  /** Starts a rename: `renaming` until the new identifier takes effect, then `rebooting` (instances), then `available`. */
  rename(db: Database, to: string, immediately: boolean): void {
    const id = to.toLowerCase();
    if (!immediately) {
      db.rename = { to: id };
      return;
    }
    const { renameSeconds, rebootSeconds } = this.timings;
    // RDS answers at once with the instance still available and the new name pending; `renaming` follows.
    const steps: [string, number][] = [
      ['available', Math.min(1, renameSeconds)],
      ['renaming', Math.max(0, renameSeconds - 1)],
    ];
    if (db.kind === 'instance') steps.push(['rebooting', rebootSeconds]);
    db.phases = this.timeline(steps, 'available');
    db.rename = { to: id, at: this.now() + this.scaled(renameSeconds) };
  }

  snapshot(kind: SnapshotKind, regionName: string, identifier: string): Snapshot | undefined {
    return this.snapshotMap.get(key(kind, regionName, identifier));
  }

  addSnapshot(snapshot: Snapshot): void {
    this.snapshotMap.set(key(snapshot.kind, snapshot.region, snapshot.identifier), snapshot);
  }

  deleteSnapshot(snapshot: Snapshot): void {
    this.snapshotMap.delete(key(snapshot.kind, snapshot.region, snapshot.identifier));
  }

  /** Snapshots of a kind in a region, newest first (the order RDS lists them in is not documented; this one is stable). */
  list(kind: SnapshotKind, regionName: string): Snapshot[] {
    return [...this.snapshotMap.values()]
      .filter((s) => s.kind === kind && s.region === regionName)
      .sort((a, b) => b.createdAt - a.createdAt || a.identifier.localeCompare(b.identifier));
  }

  status(snapshot: Snapshot): SnapshotStatus {
    if (this.now() < snapshot.readyAt) return 'creating';
    return snapshot.fails ? 'failed' : 'available';
  }

  /** How far a snapshot has got, as RDS reports it in PercentProgress. */
  progress(snapshot: Snapshot): number {
    if (this.now() >= snapshot.readyAt) return 100;
    if (!Number.isFinite(snapshot.readyAt)) return 0;
    const total = snapshot.readyAt - snapshot.createdAt;
    return Math.min(99, Math.floor(((this.now() - snapshot.createdAt) / total) * 100));
  }

  /** The host name part every endpoint of this account and region shares, as RDS gives one per account and region. */
  endpointSuffix(regionName: string): string {
    const hash = createHash('sha256').update(`${this.accountId}/${regionName}`).digest('hex');
    return `c${hash.slice(0, 11)}.${regionName}.rds.amazonaws.com`;
  }

  /** Renames whose moment has come take effect: the database moves to its new identifier. */
  private settle(): void {
    const now = this.now();
    for (const [mapKey, instance] of this.instanceMap) {
      if (instance.rename?.at === undefined || instance.rename.at > now) continue;
      this.instanceMap.delete(mapKey);
      const cluster = instance.cluster && this.clusterMap.get(key('cluster', instance.region, instance.cluster));
      if (cluster) cluster.members = cluster.members.map((m) => (m === instance.identifier ? instance.rename!.to : m));
      instance.identifier = instance.rename.to;
      instance.rename = undefined;
      this.putInstance(instance);
    }
    for (const [mapKey, cluster] of this.clusterMap) {
      if (cluster.rename?.at === undefined || cluster.rename.at > now) continue;
      this.clusterMap.delete(mapKey);
      cluster.identifier = cluster.rename.to;
      cluster.rename = undefined;
      for (const member of this.instanceMap.values()) {
        if (member.region === cluster.region && cluster.members.includes(member.identifier)) {
          member.cluster = cluster.identifier;
        }
      }
      this.putCluster(cluster);
    }
  }
}

const DAY = 24 * 3_600_000;

/** `db-` and 26 upper-case letters and digits, as RDS's resource ids look. */
export function resourceId(prefix: 'db' | 'cluster'): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return `${prefix}-${[...randomBytes(26)].map((b) => alphabet[b % 32]).join('')}`;
}

/** The engine's default parameter group, such as `default.postgres16` or `default.aurora-postgresql16`. */
export function defaultParameterGroup(engine: string, engineVersion: string): string {
  return `default.${engine}${engineVersion.split('.')[0]}`;
}

export function defaultPort(engine: string): number {
  return /mysql|maria/.test(engine) ? 3306 : /sqlserver/.test(engine) ? 1433 : /oracle/.test(engine) ? 1521 : 5432;
}

function common(
  regionName: string,
  section: InstanceSection | ClusterSection,
  createdAt: number,
  idPrefix: 'db' | 'cluster',
) {
  return {
    region: regionName,
    identifier: section.identifier.toLowerCase(),
    resourceId: resourceId(idPrefix),
    engine: section.engine,
    engineVersion: section.engineVersion,
    port: defaultPort(section.engine),
    subnetGroup: section.subnetGroup,
    securityGroups: [...section.securityGroups],
    parameterGroup: section.parameterGroup ?? defaultParameterGroup(section.engine, section.engineVersion),
    deletionProtection: section.deletionProtection,
    tags: Object.entries(section.tags).map(([Key, Value]) => ({ Key, Value })),
    createdAt,
    phases: [{ status: section.status, until: Infinity }],
    snapshotSeconds: section.snapshotSeconds,
    snapshotFails: section.snapshotFails,
    restoreEndsIn: section.restoreEndsIn,
  };
}

function key(kind: SnapshotKind, regionName: string, identifier: string): string {
  return `${kind}|${regionName}|${identifier.toLowerCase()}`;
}
