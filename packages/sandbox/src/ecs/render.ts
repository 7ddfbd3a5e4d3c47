// The JSON shapes ECS answers with, built from the state machine. Instants become Dates (the core writes them as
// epoch seconds).
import type * as sdk from '@aws-sdk/client-ecs';
import type { Deployment, ServiceDeploymentRecord, ServiceRevision } from './deployments.js';
import { renderHooks, type Lifecycle } from './lifecycle.js';
import type { Service } from './service.js';
import type { Task } from './task.js';
import { renderTaskSets } from './task-sets.js';

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

/** Drops undefined members so answers carry only what ECS would send. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function counts(tasks: Task[]): { runningCount: number; pendingCount: number } {
  const alive = tasks.filter((t) => t.alive);
  return {
    runningCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingCount: alive.filter((t) => ['PROVISIONING', 'PENDING', 'ACTIVATING'].includes(t.lastStatus)).length,
  };
}

export function renderDeployment(d: Deployment): sdk.Deployment {
  return compact<sdk.Deployment>({
    id: d.id,
    status: d.status,
    taskDefinition: d.taskDefinition.taskDefinitionArn,
    desiredCount: d.desiredCount,
    ...counts(d.tasks),
    failedTasks: d.failedTasks,
    createdAt: date(d.createdAt),
    updatedAt: date(d.updatedAt),
    launchType: d.placement.launchType,
    capacityProviderStrategy: d.placement.capacityProviderStrategy,
    platformVersion: d.placement.platformVersion,
    networkConfiguration: d.placement.networkConfiguration,
    volumeConfigurations: d.placement.volumeConfigurations,
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
  });
}

export function renderService(s: Service, includeTags: boolean): sdk.Service {
  const deployments = s.deployments;
  return compact<sdk.Service>({
    serviceArn: s.arn,
    serviceName: s.name,
    clusterArn: s.clusterArn,
    loadBalancers: s.extra.loadBalancers,
    serviceRegistries: [],
    status: s.status,
    desiredCount: s.desiredCount,
    ...counts(s.tasks),
    launchType: s.placement.launchType,
    capacityProviderStrategy: s.placement.capacityProviderStrategy,
    platformVersion: s.placement.platformVersion,
    taskDefinition: deployments[0]?.taskDefinition.taskDefinitionArn,
    deploymentConfiguration: s.deploymentConfiguration,
    // Under CODE_DEPLOY and EXTERNAL the deployments are task sets: `deployments[]` stays empty (task-sets.ts).
    deployments: s.status === 'INACTIVE' || s.deploymentController !== 'ECS' ? [] : deployments.map(renderDeployment),
    taskSets: s.deploymentController === 'ECS' || s.status === 'INACTIVE' ? undefined : renderTaskSets(s),
    events: s.events.map((e) => ({ id: e.id, createdAt: date(e.createdAt), message: e.message })),
    createdAt: date(s.createdAt),
    placementConstraints: [],
    placementStrategy: [],
    networkConfiguration: s.placement.networkConfiguration,
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: s.deploymentController },
    createdBy: s.extra.createdBy,
    enableECSManagedTags: s.extra.enableECSManagedTags,
    propagateTags: s.extra.propagateTags,
    enableExecuteCommand: false,
    currentServiceDeployment: s.deploymentController === 'ECS' ? s.currentServiceDeployment : undefined,
    tags: includeTags ? s.extra.tags : undefined,
  });
}

/** A revision's counts and, in a traffic-shifting deployment, its share of the traffic (green's or blue's). */
function revisionSummary(
  revision: ServiceRevision,
  deployment: Deployment | undefined,
  traffic?: { production: number; test: number },
): sdk.ServiceRevisionSummary {
  const tasks = deployment?.tasks ?? [];
  return {
    ...(traffic
      ? { requestedTestTrafficWeight: traffic.test, requestedProductionTrafficWeight: traffic.production }
      : {}),
    arn: revision.arn,
    requestedTaskCount: deployment && deployment.status !== 'INACTIVE' ? deployment.desiredCount : 0,
    ...(() => {
      const c = counts(tasks);
      return { runningTaskCount: c.runningCount, pendingTaskCount: c.pendingCount };
    })(),
  };
}

export function renderServiceDeployment(s: Service, r: ServiceDeploymentRecord): sdk.ServiceDeployment {
  return compact<sdk.ServiceDeployment>({
    serviceDeploymentArn: r.arn,
    serviceArn: s.arn,
    clusterArn: s.clusterArn,
    createdAt: date(r.createdAt),
    startedAt: date(r.startedAt),
    finishedAt: date(r.finishedAt),
    stoppedAt: date(r.stoppedAt),
    updatedAt: date(r.updatedAt),
    sourceServiceRevisions: r.sources.map((src) =>
      revisionSummary(src.revision, src.deployment, blueShare(r.lifecycle)),
    ),
    targetServiceRevision: revisionSummary(r.target, r.targetDeployment, greenShare(r.lifecycle)),
    status: r.status,
    statusReason: r.statusReason,
    lifecycleStage: r.lifecycle?.stage,
    lifecycleHookDetails: r.lifecycle ? renderHooks(r.lifecycle) : undefined,
    deploymentConfiguration: r.deploymentConfiguration,
    rollback: r.rollback
      ? {
          reason: r.rollback.reason,
          startedAt: date(r.rollback.startedAt),
          serviceRevisionArn: r.rollback.serviceRevisionArn,
        }
      : undefined,
    deploymentCircuitBreaker: { ...r.circuitBreaker },
    alarms: { ...r.alarms },
  });
}

function greenShare(lifecycle: Lifecycle | undefined) {
  return lifecycle && { production: lifecycle.production, test: lifecycle.test };
}

function blueShare(lifecycle: Lifecycle | undefined) {
  return lifecycle && { production: 100 - lifecycle.production, test: 100 - lifecycle.test };
}

/** DescribeServiceRevisions: the revision's load balancers and the target group each of its tasks registers with. */
export function renderRevisionLoadBalancers(revision: ServiceRevision): Partial<sdk.ServiceRevision> {
  const loadBalancers = revision.loadBalancers ?? [];
  if (loadBalancers.length === 0) return {};
  return {
    loadBalancers,
    resolvedConfiguration: {
      loadBalancers: loadBalancers.map((lb, i) =>
        compact({
          targetGroupArn: revision.targetGroups?.[i] ?? lb.targetGroupArn,
          productionListenerRule: lb.advancedConfiguration?.productionListenerRule,
        }),
      ),
    },
  };
}

export function renderServiceDeploymentBrief(s: Service, r: ServiceDeploymentRecord): sdk.ServiceDeploymentBrief {
  return compact<sdk.ServiceDeploymentBrief>({
    serviceDeploymentArn: r.arn,
    serviceArn: s.arn,
    clusterArn: s.clusterArn,
    startedAt: date(r.startedAt),
    createdAt: date(r.createdAt),
    finishedAt: date(r.finishedAt),
    targetServiceRevisionArn: r.target.arn,
    status: r.status,
    statusReason: r.statusReason,
  });
}

export function renderTask(t: Task, includeTags: boolean): sdk.Task {
  const d = t.details;
  return compact<sdk.Task>({
    taskArn: t.arn,
    clusterArn: d.clusterArn,
    taskDefinitionArn: d.taskDefinitionArn,
    lastStatus: t.lastStatus,
    desiredStatus: t.desiredStatus,
    healthStatus: t.healthStatus,
    createdAt: date(t.createdAt),
    pullStartedAt: date(t.pullStartedAt),
    pullStoppedAt: date(t.pullStoppedAt),
    startedAt: date(t.startedAt),
    connectivity: t.startedAt !== undefined ? 'CONNECTED' : undefined,
    connectivityAt: date(t.startedAt),
    stoppingAt: date(t.stoppingAt),
    executionStoppedAt: date(t.executionStoppedAt),
    stoppedAt: date(t.stoppedAt),
    stopCode: t.lastStatus === 'STOPPED' || t.desiredStatus === 'STOPPED' ? t.stopCode : undefined,
    stoppedReason: t.stoppedReason,
    startedBy: d.startedBy,
    group: d.group,
    launchType: d.launchType,
    capacityProviderName: d.capacityProviderName,
    platformVersion: d.platformVersion,
    platformFamily: d.launchType === 'FARGATE' ? 'Linux' : undefined,
    cpu: d.cpu,
    memory: d.memory,
    availabilityZone: undefined,
    version: t.history.length,
    overrides: d.overrides,
    attachments: d.networkConfiguration
      ? [{ id: t.id.slice(0, 8), type: 'ElasticNetworkInterface', status: attachmentStatus(t), details: [] }]
      : [],
    containers: t.containers.map((c) =>
      compact<sdk.Container>({
        containerArn: c.containerArn,
        taskArn: t.arn,
        name: c.name,
        image: c.image,
        lastStatus: c.lastStatus,
        exitCode: c.exitCode,
        reason: c.reason,
        healthStatus: c.healthStatus,
        networkBindings: [],
        networkInterfaces: [],
      }),
    ),
    enableExecuteCommand: false,
    tags: includeTags ? d.tags : undefined,
  });
}

function attachmentStatus(t: Task): string {
  if (t.lastStatus === 'STOPPED') return 'DELETED';
  if (t.lastStatus === 'PROVISIONING') return 'PRECREATED';
  if (t.desiredStatus === 'STOPPED') return 'DELETING';
  return 'ATTACHED';
}
