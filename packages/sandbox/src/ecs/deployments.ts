// The records a service keeps of its rollouts: `deployments[]` entries (with their rollout states) and the
// service-deployment records (DescribeServiceDeployments) that mirror them, and how each change of state is logged.
import type * as sdk from '@aws-sdk/client-ecs';
import type { SandboxClock } from '../core/module.js';
import { CircuitBreaker } from './breaker.js';
import { nineteenDigits, serviceDeploymentId } from './ids.js';
import type { Lifecycle } from './lifecycle.js';
import type { Task } from './task.js';
import type { TaskDefinition } from './task-definitions.js';

export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
export type ServiceDeploymentStatus = sdk.ServiceDeploymentStatus;
export type MonitorStatus = sdk.ServiceDeploymentRollbackMonitorsStatus;

/** A service's deployment configuration with ECS's defaults filled in. */
export type DeploymentConfiguration = sdk.DeploymentConfiguration & {
  maximumPercent: number;
  minimumHealthyPercent: number;
  deploymentCircuitBreaker: sdk.DeploymentCircuitBreaker;
};

/** Where a deployment runs its tasks (changes to these start a new deployment). */
export interface Placement {
  launchType?: sdk.LaunchType;
  platformVersion?: string;
  capacityProviderStrategy?: sdk.CapacityProviderStrategyItem[];
  networkConfiguration?: sdk.NetworkConfiguration;
  /** The service-managed EBS volume each task gets (a deployment setting: changing it starts a deployment). */
  volumeConfigurations?: sdk.ServiceVolumeConfiguration[];
}

export interface ServiceRevision {
  arn: string;
  taskDefinitionArn: string;
  createdAt: number;
  /** The service's load balancers when the revision was made, and the target group this revision's tasks register
   *  with in each (blue/green alternates between a load balancer's two target groups). */
  loadBalancers?: sdk.LoadBalancer[];
  targetGroups?: string[];
}

export interface Deployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinition: TaskDefinition;
  revision: ServiceRevision;
  placement: Placement;
  desiredCount: number;
  /** Consecutive failed tasks, of either kind (a healthy task resets the count by default): `deployments[].failedTasks`. */
  failedTasks: number;
  /** Every failed task, never reset (for tests). */
  totalFailedTasks: number;
  breaker: CircuitBreaker;
  createdAt: number;
  updatedAt: number;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  /** Each rollout state with the instant it was recorded. */
  rolloutHistory: { state: RolloutState; reason: string; at: number }[];
  tasks: Task[];
  record: ServiceDeploymentRecord;
  /** Started by ECS to roll back a failed deployment. */
  isRollback: boolean;
  /** Whether this deployment monitors alarms (a rollback does not, or the alarm that failed its predecessor would fail it). */
  monitorsAlarms: boolean;
  /** When the deployment became steady and the alarm bake time started. */
  bakeStartedAt?: number;
  /** Under the CODE_DEPLOY controller this deployment is a task set: who started it, and their id for it. */
  taskSet?: { startedBy: string; externalId?: string };
}

export interface ServiceDeploymentRecord {
  arn: string;
  createdAt: number;
  startedAt: number;
  updatedAt: number;
  finishedAt?: number;
  stoppedAt?: number;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  target: ServiceRevision;
  targetDeployment: Deployment;
  sources: { revision: ServiceRevision; deployment: Deployment }[];
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string };
  rollbackDeployment?: Deployment;
  circuitBreaker: { status: MonitorStatus; failureCount: number; threshold: number };
  alarms: { status: MonitorStatus; alarmNames: string[]; triggeredAlarmNames: string[] };
  deploymentConfiguration: DeploymentConfiguration;
  history: { status: ServiceDeploymentStatus; at: number }[];
  /** Blue/green, linear and canary deployments: the lifecycle stage, hooks and traffic split (traffic-shift.ts). */
  lifecycle?: Lifecycle;
}

/** One rollout-state or service-deployment status change, for tests and benchmarks. */
export interface TransitionRecord {
  at: number;
  cluster: string;
  service: string;
  deploymentId: string;
  kind: 'rolloutState' | 'serviceDeployment';
  value: string;
  reason?: string;
}

export const DEFAULT_CONFIGURATION = (): DeploymentConfiguration => ({
  strategy: 'ROLLING',
  maximumPercent: 200,
  minimumHealthyPercent: 100,
  deploymentCircuitBreaker: { enable: false, rollback: false },
});

/** What a service and its records have in common: where the records go and which service they belong to. */
export interface DeploymentOwner {
  arn: string;
  name: string;
  clusterName: string;
  desiredCount: number;
  placement: Placement;
  deploymentConfiguration: DeploymentConfiguration;
  clock: SandboxClock;
  log(change: TransitionRecord): void;
}

export function newDeployment(
  owner: DeploymentOwner,
  taskDefinition: TaskDefinition,
  revision: ServiceRevision,
  isRollback: boolean,
): Deployment {
  const now = owner.clock.now();
  const id = `ecs-svc/${nineteenDigits()}`;
  return {
    id,
    status: 'PRIMARY',
    taskDefinition,
    revision,
    placement: structuredClone(owner.placement),
    desiredCount: owner.desiredCount,
    failedTasks: 0,
    totalFailedTasks: 0,
    breaker: CircuitBreaker.for(owner.deploymentConfiguration, owner.desiredCount),
    createdAt: now,
    updatedAt: now,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: `ECS deployment ${id} in progress.`,
    rolloutHistory: [],
    tasks: [],
    record: undefined as unknown as ServiceDeploymentRecord,
    isRollback,
    monitorsAlarms: !isRollback,
  };
}

export function newRevision(owner: DeploymentOwner, taskDefinition: TaskDefinition): ServiceRevision {
  return {
    arn: `${owner.arn.replace(':service/', ':service-revision/')}/${nineteenDigits()}`,
    taskDefinitionArn: taskDefinition.taskDefinitionArn,
    createdAt: owner.clock.now(),
  };
}

/** The service-deployment record of a deployment; `finished` for the scenario's starting point. */
export function newRecord(
  owner: DeploymentOwner,
  deployment: Deployment,
  sources: ServiceDeploymentRecord['sources'],
  finished: boolean,
): ServiceDeploymentRecord {
  const now = owner.clock.now();
  const config = owner.deploymentConfiguration;
  const monitoring: MonitorStatus = finished ? 'MONITORING_COMPLETE' : 'MONITORING';
  return {
    arn: owner.arn.replace(':service/', ':service-deployment/').concat(`/${serviceDeploymentId()}`),
    createdAt: now,
    startedAt: now,
    updatedAt: now,
    ...(finished ? { finishedAt: now } : {}),
    status: finished ? 'SUCCESSFUL' : 'PENDING',
    target: deployment.revision,
    targetDeployment: deployment,
    sources,
    circuitBreaker: {
      status: config.deploymentCircuitBreaker.enable ? monitoring : 'DISABLED',
      failureCount: 0,
      threshold: deployment.breaker.threshold,
    },
    alarms: {
      status: config.alarms?.enable ? monitoring : 'DISABLED',
      alarmNames: config.alarms?.alarmNames ?? [],
      triggeredAlarmNames: [],
    },
    deploymentConfiguration: structuredClone(config),
    history: [{ status: finished ? 'SUCCESSFUL' : 'PENDING', at: now }],
  };
}

/** Records a deployment's (new) rollout state. */
export function logRollout(owner: DeploymentOwner, deployment: Deployment): void {
  const at = owner.clock.now();
  deployment.rolloutHistory.push({ state: deployment.rolloutState, reason: deployment.rolloutStateReason, at });
  owner.log({
    at,
    cluster: owner.clusterName,
    service: owner.name,
    deploymentId: deployment.id,
    kind: 'rolloutState',
    value: deployment.rolloutState,
    reason: deployment.rolloutStateReason,
  });
}

/** Moves a service-deployment record to a status and records it. */
export function setRecordStatus(
  owner: DeploymentOwner,
  record: ServiceDeploymentRecord,
  status: ServiceDeploymentStatus,
  reason?: string,
): void {
  const at = owner.clock.now();
  record.status = status;
  if (reason !== undefined) record.statusReason = reason;
  record.updatedAt = at;
  record.history.push({ status, at });
  owner.log({
    at,
    cluster: owner.clusterName,
    service: owner.name,
    deploymentId: record.targetDeployment.id,
    kind: 'serviceDeployment',
    value: status,
    reason,
  });
}

export function isFinished(status: ServiceDeploymentStatus): boolean {
  return ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'].includes(status);
}
