// DB instances and Aurora clusters as the restore sees them: one look by identifier (undefined when RDS does not
// know it), the settings a restore copies, and what a status means for a wait.
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  type DBCluster,
  type DBInstance,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { UserError, abortReason } from '@ecs-ship/action-kit';
import { describeError, isNotFound } from './errors.js';
import { tagMap } from './tags.js';

export type DatabaseKind = 'instance' | 'cluster';

/** What the suite reads of a DB instance or cluster. */
export interface DatabaseView {
  kind: DatabaseKind;
  identifier: string;
  status: string;
  /** RDS's immutable id (`db-…` / `cluster-…`): the same database under any name. */
  resourceId?: string;
  arn?: string;
  endpoint?: string;
  readerEndpoint?: string;
  port?: number;
  engine?: string;
  engineVersion?: string;
  instanceClass?: string;
  subnetGroup?: string;
  securityGroups: string[];
  parameterGroup?: string;
  multiAZ?: boolean;
  publiclyAccessible?: boolean;
  deletionProtection?: boolean;
  tags: Record<string, string>;
  /** Instances of a cluster, the writer first. */
  members: string[];
  /** A rename asked for and not yet in effect. */
  pendingIdentifier?: string;
}

export function databaseName(kind: DatabaseKind, identifier: string): string {
  return `DB ${kind} ${identifier}`;
}

/** The database by identifier, or undefined when RDS does not know it (any other error is thrown). */
export async function findDatabase(
  client: RDSClient,
  kind: DatabaseKind,
  identifier: string,
  signal?: AbortSignal,
): Promise<DatabaseView | undefined> {
  try {
    if (kind === 'instance') {
      const { DBInstances } = await client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }), {
        abortSignal: signal,
      });
      return DBInstances?.[0] ? instanceView(DBInstances[0]) : undefined;
    }
    const { DBClusters } = await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: identifier }), {
      abortSignal: signal,
    });
    return DBClusters?.[0] ? clusterView(DBClusters[0]) : undefined;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** findDatabase for a wait: an error from RDS (after the SDK's own retries) says what was being read. */
export async function lookUp(
  client: RDSClient,
  kind: DatabaseKind,
  identifier: string,
  signal?: AbortSignal,
): Promise<DatabaseView | undefined> {
  try {
    return await findDatabase(client, kind, identifier, signal);
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    throw new UserError(`Could not read ${databaseName(kind, identifier)}: ${describeError(error)}`, { cause: error });
  }
}

function instanceView(db: DBInstance): DatabaseView {
  return {
    kind: 'instance',
    identifier: db.DBInstanceIdentifier ?? '',
    status: db.DBInstanceStatus ?? 'unknown',
    resourceId: db.DbiResourceId,
    arn: db.DBInstanceArn,
    endpoint: db.Endpoint?.Address,
    port: db.Endpoint?.Port,
    engine: db.Engine,
    engineVersion: db.EngineVersion,
    instanceClass: db.DBInstanceClass,
    subnetGroup: db.DBSubnetGroup?.DBSubnetGroupName,
    securityGroups: securityGroupIds(db.VpcSecurityGroups),
    parameterGroup: db.DBParameterGroups?.[0]?.DBParameterGroupName,
    multiAZ: db.MultiAZ,
    publiclyAccessible: db.PubliclyAccessible,
    deletionProtection: db.DeletionProtection,
    tags: tagMap(db.TagList),
    members: [],
    pendingIdentifier: db.PendingModifiedValues?.DBInstanceIdentifier,
  };
}

function clusterView(db: DBCluster): DatabaseView {
  const members = [...(db.DBClusterMembers ?? [])].sort(
    (a, b) => Number(b.IsClusterWriter) - Number(a.IsClusterWriter),
  );
  return {
    kind: 'cluster',
    identifier: db.DBClusterIdentifier ?? '',
    status: db.Status ?? 'unknown',
    resourceId: db.DbClusterResourceId,
    arn: db.DBClusterArn,
    endpoint: db.Endpoint,
    readerEndpoint: db.ReaderEndpoint,
    port: db.Port,
    engine: db.Engine,
    engineVersion: db.EngineVersion,
    subnetGroup: db.DBSubnetGroup,
    securityGroups: securityGroupIds(db.VpcSecurityGroups),
    parameterGroup: db.DBClusterParameterGroup,
    deletionProtection: db.DeletionProtection,
    tags: tagMap(db.TagList),
    members: members.flatMap((m) => (m.DBInstanceIdentifier ? [m.DBInstanceIdentifier] : [])),
  };
}

function securityGroupIds(memberships: DBInstance['VpcSecurityGroups']): string[] {
  return (memberships ?? []).flatMap((g) => (g.VpcSecurityGroupId ? [g.VpcSecurityGroupId] : []));
}

/** Statuses from which a database will not become available by itself (botocore's waiters and RDS's status list). */
const DEAD_ENDS = new Set([
  'deleted',
  'deleting',
  'failed',
  'incompatible-restore',
  'incompatible-parameters',
  'incompatible-network',
  'incompatible-option-group',
  'inaccessible-encryption-credentials',
  'restore-error',
  'storage-full',
]);

export type DatabaseAssessment = { state: 'available' } | { state: 'waiting' } | { state: 'failed' };

export function assessDatabase(status: string): DatabaseAssessment {
  if (status === 'available') return { state: 'available' };
  return DEAD_ENDS.has(status) ? { state: 'failed' } : { state: 'waiting' };
}
