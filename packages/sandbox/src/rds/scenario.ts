// The `rds` section of a scenario file: the DB instances and Aurora clusters that exist (with the settings a restore
// copies), how their snapshots and restores behave, snapshots that exist already, and how long RDS takes to do
// things. Durations are scenario seconds.
import * as z from 'zod';

const snapshotBehaviour = {
  /** Scenario seconds a new snapshot of this source stays `creating` before it becomes `available`. */
  snapshotSeconds: z.number().min(0).default(2),
  /** New snapshots of this source end in `failed` instead of `available`. */
  snapshotFails: z.boolean().default(false),
  /** How a restore from a snapshot of this source ends: `available`, or stuck in a failure status. */
  restoreEndsIn: z.enum(['available', 'incompatible-restore', 'failed']).default('available'),
};

const tags = z.record(z.string(), z.string()).default({}).describe('Tags on the resource (a restore copies them)');

/** The default VPC's default security group: what a restore gets when it names none. */
export const DEFAULT_SECURITY_GROUP = 'sg-0a0b0c0d0e0f10203';

const network = {
  subnetGroup: z.string().min(1).default('default').describe('DB subnet group name'),
  securityGroups: z.array(z.string().min(1)).default([DEFAULT_SECURITY_GROUP]).describe('VPC security group ids'),
};

const instanceSchema = z
  .object({
    identifier: z.string().min(1),
    region: z.string().optional(),
    engine: z.string().default('postgres'),
    engineVersion: z.string().default('16.4'),
    instanceClass: z.string().default('db.t4g.medium'),
    /** Snapshots are refused (InvalidDBInstanceState) unless the instance is `available` or `stopped`. */
    status: z.string().default('available'),
    allocatedStorage: z.number().int().positive().default(20),
    ...network,
    parameterGroup: z.string().min(1).optional().describe('DB parameter group; default `default.<engine><major>`'),
    multiAZ: z.boolean().default(false),
    publiclyAccessible: z.boolean().default(false),
    deletionProtection: z.boolean().default(false),
    /** An Aurora cluster this instance belongs to (its first instance is the writer). */
    cluster: z.string().min(1).optional(),
    tags,
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
    ...network,
    parameterGroup: z
      .string()
      .min(1)
      .optional()
      .describe('DB cluster parameter group; default `default.<engine><major>`'),
    deletionProtection: z.boolean().default(false),
    tags,
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
    /** `automated` snapshots are RDS's own backups (`rds:` identifiers); only manual ones can be deleted. */
    type: z.enum(['manual', 'automated']).default('manual'),
    /** How long ago it was taken; default one hour. */
    ageDays: z.number().min(0).optional(),
    tags,
  })
  .strict();

/** How long RDS takes (scenario seconds). AWS documents about ten minutes for a rename to take effect; it gives no
 *  fixed figure for restores, so those defaults are what a small instance typically takes. */
const timingsSchema = z
  .object({
    restoreSeconds: z.number().min(0).default(300).describe('A restored instance or cluster stays `creating`'),
    backupSeconds: z.number().min(0).default(60).describe('then `backing-up` (its first backup) before `available`'),
    clusterInstanceSeconds: z.number().min(0).default(420).describe('A new Aurora instance stays `creating`'),
    renameSeconds: z.number().min(0).default(600).describe('`renaming` until the new identifier takes effect'),
    rebootSeconds: z.number().min(0).default(60).describe('then `rebooting` under the new identifier'),
  })
  .strict()
  .prefault({});

export const rdsSectionSchema = z
  .object({
    instances: z.array(instanceSchema).default([]),
    clusters: z.array(clusterSchema).default([]),
    snapshots: z.array(existingSnapshotSchema).default([]),
    /** Parameter groups that exist besides the engines' default ones and those the scenario's databases use. */
    parameterGroups: z.array(z.string().min(1)).default([]),
    /** Subnet groups that exist besides `default` and those the scenario's databases use. */
    subnetGroups: z.array(z.string().min(1)).default([]),
    timings: timingsSchema,
  })
  .strict()
  .prefault({});

export type RdsSection = z.infer<typeof rdsSectionSchema>;
export type InstanceSection = z.infer<typeof instanceSchema>;
export type ClusterSection = z.infer<typeof clusterSchema>;
export type SnapshotSection = z.infer<typeof existingSnapshotSchema>;
export type RdsTimings = z.infer<typeof timingsSchema>;
export type RestoreOutcome = InstanceSection['restoreEndsIn'];
