// The `rds` section of a scenario file: the DB instances and Aurora clusters that exist, how their snapshots
// behave (how long they take, whether they fail), and snapshots that exist already. Durations are scenario seconds.
import { z } from 'zod';

const snapshotBehaviour = {
  /** Scenario seconds a new snapshot of this source stays `creating` before it becomes `available`. */
  snapshotSeconds: z.number().min(0).default(2),
  /** New snapshots of this source end in `failed` instead of `available`. */
  snapshotFails: z.boolean().default(false),
};

const instanceSchema = z
  .object({
    identifier: z.string().min(1),
    region: z.string().optional(),
    engine: z.string().default('postgres'),
    engineVersion: z.string().default('16.4'),
    /** Snapshots are refused (InvalidDBInstanceState) unless the instance is `available` or `stopped`. */
    status: z.string().default('available'),
    allocatedStorage: z.number().int().positive().default(20),
    ...snapshotBehaviour,
  })
  .strict();

const clusterSchema = z
  .object({
    identifier: z.string().min(1),
    region: z.string().optional(),
    engine: z.string().default('aurora-postgresql'),
    engineVersion: z.string().default('16.4'),
    /** Snapshots are refused (InvalidDBClusterStateFault) unless the cluster is `available`. */
    status: z.string().default('available'),
    ...snapshotBehaviour,
  })
  .strict();

const existingSnapshotSchema = z
  .object({
    identifier: z.string().min(1),
    /** The instance (or, with `cluster: true`, the cluster) the snapshot was taken of. */
    source: z.string().min(1),
    cluster: z.boolean().default(false),
    region: z.string().optional(),
    status: z.enum(['available', 'creating', 'failed']).default('available'),
  })
  .strict();

export const rdsSectionSchema = z
  .object({
    instances: z.array(instanceSchema).default([]),
    clusters: z.array(clusterSchema).default([]),
    snapshots: z.array(existingSnapshotSchema).default([]),
  })
  .strict()
  .default({ instances: [], clusters: [], snapshots: [] });

export type RdsSection = z.infer<typeof rdsSectionSchema>;
export type InstanceSection = z.infer<typeof instanceSchema>;
export type ClusterSection = z.infer<typeof clusterSchema>;
