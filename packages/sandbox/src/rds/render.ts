// How RDS shows its resources in answers, typed by the AWS SDK's shapes: a member RDS does not have, or of the wrong
// type, does not compile. Lists render with the element names of RDS's model (see XML_LIST_ITEMS).
import type * as sdk from '@aws-sdk/client-rds';
import type { DbCluster, DbInstance, RdsState, Snapshot } from './state.js';

/** Element names of list members in RDS's XML, where they are not `member`. */
export const XML_LIST_ITEMS: Record<string, string> = {
  DBSnapshots: 'DBSnapshot',
  DBClusterSnapshots: 'DBClusterSnapshot',
  DBInstances: 'DBInstance',
  DBClusters: 'DBCluster',
  DBClusterMembers: 'DBClusterMember',
  VpcSecurityGroups: 'VpcSecurityGroupMembership',
  DBParameterGroups: 'DBParameterGroup',
  Subnets: 'Subnet',
  TagList: 'Tag',
  AvailabilityZones: 'AvailabilityZone',
};

const VPC = 'vpc-0a1b2c3d4e5f60718';
const ZONES = ['a', 'b', 'c'];
const HOSTED_ZONE = 'Z29XKXDKYMONMX';

export function instanceView(state: RdsState, db: DbInstance, accountId: string): sdk.DBInstance {
  const status = state.statusOf(db);
  const created = status !== 'creating';
  const suffix = state.endpointSuffix(db.region);
  return {
    DBInstanceIdentifier: db.identifier,
    DBInstanceClass: db.instanceClass,
    Engine: db.engine,
    DBInstanceStatus: status,
    MasterUsername: 'postgres',
    // RDS gives an endpoint once the instance exists, not while it is being created.
    ...(created
      ? { Endpoint: { Address: `${db.identifier}.${suffix}`, Port: db.port, HostedZoneId: HOSTED_ZONE } }
      : {}),
    AllocatedStorage: db.allocatedStorage,
    ...(created ? { InstanceCreateTime: new Date(db.createdAt) } : {}),
    PreferredBackupWindow: '03:00-03:30',
    BackupRetentionPeriod: 7,
    VpcSecurityGroups: db.securityGroups.map((id) => ({ VpcSecurityGroupId: id, Status: 'active' })),
    DBParameterGroups: [{ DBParameterGroupName: db.parameterGroup, ParameterApplyStatus: 'in-sync' }],
    AvailabilityZone: `${db.region}a`,
    DBSubnetGroup: subnetGroupView(db.subnetGroup, db.region),
    PreferredMaintenanceWindow: 'sun:05:00-sun:05:30',
    PendingModifiedValues: db.rename ? { DBInstanceIdentifier: db.rename.to } : {},
    MultiAZ: db.multiAZ,
    EngineVersion: db.engineVersion,
    AutoMinorVersionUpgrade: true,
    LicenseModel: 'postgresql-license',
    PubliclyAccessible: db.publiclyAccessible,
    StorageType: db.cluster ? 'aurora' : 'gp3',
    DbInstancePort: 0,
    ...(db.cluster ? { DBClusterIdentifier: db.cluster } : {}),
    StorageEncrypted: true,
    DbiResourceId: db.resourceId,
    CopyTagsToSnapshot: false,
    DBInstanceArn: `arn:aws:rds:${db.region}:${accountId}:db:${db.identifier}`,
    IAMDatabaseAuthenticationEnabled: false,
    DeletionProtection: db.deletionProtection,
    TagList: db.tags,
  };
}

export function clusterView(state: RdsState, db: DbCluster, accountId: string): sdk.DBCluster {
  const suffix = state.endpointSuffix(db.region);
  const [host, ...rest] = suffix.split('.');
  const domain = rest.join('.');
  return {
    AllocatedStorage: 1,
    AvailabilityZones: ZONES.map((zone) => `${db.region}${zone}`),
    BackupRetentionPeriod: 7,
    DBClusterIdentifier: db.identifier,
    DBClusterParameterGroup: db.parameterGroup,
    DBSubnetGroup: db.subnetGroup,
    Status: state.statusOf(db),
    Endpoint: `${db.identifier}.cluster-${host}.${domain}`,
    ReaderEndpoint: `${db.identifier}.cluster-ro-${host}.${domain}`,
    MultiAZ: db.members.length > 1,
    Engine: db.engine,
    EngineVersion: db.engineVersion,
    Port: db.port,
    MasterUsername: 'postgres',
    PreferredBackupWindow: '03:00-03:30',
    PreferredMaintenanceWindow: 'sun:05:00-sun:05:30',
    DBClusterMembers: db.members.map((member, index) => ({
      DBInstanceIdentifier: member,
      IsClusterWriter: index === 0,
      DBClusterParameterGroupStatus: 'in-sync',
      PromotionTier: 1,
    })),
    VpcSecurityGroups: db.securityGroups.map((id) => ({ VpcSecurityGroupId: id, Status: 'active' })),
    HostedZoneId: HOSTED_ZONE,
    StorageEncrypted: true,
    DbClusterResourceId: db.resourceId,
    DBClusterArn: `arn:aws:rds:${db.region}:${accountId}:cluster:${db.identifier}`,
    IAMDatabaseAuthenticationEnabled: false,
    ClusterCreateTime: new Date(db.createdAt),
    EngineMode: 'provisioned',
    DeletionProtection: db.deletionProtection,
    CopyTagsToSnapshot: false,
    TagList: db.tags,
  };
}

export function instanceSnapshotView(state: RdsState, s: Snapshot, accountId: string): sdk.DBSnapshot {
  const status = state.status(s);
  return {
    DBSnapshotIdentifier: s.identifier,
    DBInstanceIdentifier: s.source,
    ...(status !== 'creating' ? { SnapshotCreateTime: new Date(s.createdAt) } : {}),
    Engine: s.engine,
    AllocatedStorage: s.allocatedStorage,
    Status: status,
    Port: s.port,
    AvailabilityZone: `${s.region}a`,
    VpcId: VPC,
    InstanceCreateTime: new Date(s.createdAt - 90 * 24 * 3_600_000),
    MasterUsername: 'postgres',
    EngineVersion: s.engineVersion,
    LicenseModel: 'postgresql-license',
    SnapshotType: s.type,
    PercentProgress: state.progress(s),
    StorageType: 'gp3',
    Encrypted: true,
    DBSnapshotArn: `arn:aws:rds:${s.region}:${accountId}:snapshot:${s.identifier}`,
    IAMDatabaseAuthenticationEnabled: false,
    ...(s.sourceResourceId ? { DbiResourceId: s.sourceResourceId } : {}),
    TagList: s.tags,
    SnapshotTarget: 'region',
  };
}

export function clusterSnapshotView(state: RdsState, s: Snapshot, accountId: string): sdk.DBClusterSnapshot {
  return {
    AvailabilityZones: ZONES.map((zone) => `${s.region}${zone}`),
    DBClusterSnapshotIdentifier: s.identifier,
    DBClusterIdentifier: s.source,
    SnapshotCreateTime: new Date(s.createdAt),
    Engine: s.engine,
    EngineMode: 'provisioned',
    AllocatedStorage: 0,
    Status: state.status(s),
    Port: s.port,
    VpcId: VPC,
    ClusterCreateTime: new Date(s.createdAt - 90 * 24 * 3_600_000),
    MasterUsername: 'postgres',
    EngineVersion: s.engineVersion,
    LicenseModel: 'postgresql-license',
    SnapshotType: s.type,
    PercentProgress: state.progress(s),
    StorageEncrypted: true,
    DBClusterSnapshotArn: `arn:aws:rds:${s.region}:${accountId}:cluster-snapshot:${s.identifier}`,
    IAMDatabaseAuthenticationEnabled: false,
    TagList: s.tags,
    ...(s.sourceResourceId ? { DbClusterResourceId: s.sourceResourceId } : {}),
  };
}

function subnetGroupView(name: string, region: string): sdk.DBSubnetGroup {
  return {
    DBSubnetGroupName: name,
    DBSubnetGroupDescription: name === 'default' ? 'default' : `Subnets of ${name}`,
    VpcId: VPC,
    SubnetGroupStatus: 'Complete',
    Subnets: ZONES.map((zone, index) => ({
      SubnetIdentifier: `subnet-0${index + 1}a2b3c4d5e6f7080`,
      SubnetAvailabilityZone: { Name: `${region}${zone}` },
      SubnetStatus: 'Active',
    })),
  };
}
