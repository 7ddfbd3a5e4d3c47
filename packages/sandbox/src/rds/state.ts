// What the sandbox's RDS knows: instances, clusters and their manual snapshots, per region.
// A snapshot's status is worked out when it is read (creating until its scenario duration has passed, then
// available or failed), so no timer has to run for it.
import type { ClusterSection, InstanceSection } from './scenario.js';

export type SnapshotKind = 'instance' | 'cluster';

export interface Snapshot {
  kind: SnapshotKind;
  region: string;
  /** As RDS keeps it: lower case. */
  identifier: string;
  source: string;
  engine: string;
  engineVersion: string;
  allocatedStorage: number;
  createdAt: number;
  /** Epoch ms when `creating` ends; Infinity for a snapshot that never finishes. */
  readyAt: number;
  fails: boolean;
  tags: { Key: string; Value: string }[];
}

export interface Source {
  kind: SnapshotKind;
  region: string;
  identifier: string;
  engine: string;
  engineVersion: string;
  status: string;
  allocatedStorage: number;
  createdAt: number;
  snapshotSeconds: number;
  snapshotFails: boolean;
}

export type SnapshotStatus = 'creating' | 'available' | 'failed';

export class RdsState {
  private readonly sources = new Map<string, Source>();
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(private readonly now: () => number) {}

  addInstance(region: string, instance: InstanceSection): void {
    this.addSource({ kind: 'instance', region, allocatedStorage: instance.allocatedStorage, ...common(instance) });
  }

  addCluster(region: string, cluster: ClusterSection): void {
    this.addSource({ kind: 'cluster', region, allocatedStorage: 1, ...common(cluster) });
  }

  source(kind: SnapshotKind, region: string, identifier: string): Source | undefined {
    return this.sources.get(key(kind, region, identifier));
  }

  snapshot(kind: SnapshotKind, region: string, identifier: string): Snapshot | undefined {
    return this.snapshots.get(key(kind, region, identifier));
  }

  addSnapshot(snapshot: Snapshot): void {
    this.snapshots.set(key(snapshot.kind, snapshot.region, snapshot.identifier), snapshot);
  }

  list(kind: SnapshotKind, region: string): Snapshot[] {
    return [...this.snapshots.values()].filter((s) => s.kind === kind && s.region === region);
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

  private addSource(source: Source): void {
    this.sources.set(key(source.kind, source.region, source.identifier), source);
  }
}

function common(section: InstanceSection | ClusterSection) {
  return {
    identifier: section.identifier.toLowerCase(),
    engine: section.engine,
    engineVersion: section.engineVersion,
    status: section.status,
    createdAt: Date.now() - 90 * 24 * 3_600_000,
    snapshotSeconds: section.snapshotSeconds,
    snapshotFails: section.snapshotFails,
  };
}

function key(kind: SnapshotKind, region: string, identifier: string): string {
  return `${kind}|${region}|${identifier.toLowerCase()}`;
}
