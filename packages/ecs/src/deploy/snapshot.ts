/**
 * What one poll saw of one service: the parts of DescribeServices and DescribeServiceDeployments that decide
 * how a deployment stands. Built from the SDK's answers, so tests can feed real-shaped responses.
 */
import type { Deployment, Service, ServiceDeployment, ServiceEvent } from '@aws-sdk/client-ecs';
import { lifecycleView, type LifecycleView } from './strategy/lifecycle.js';

export interface DeploymentView {
  id: string;
  status: string; // PRIMARY | ACTIVE | INACTIVE
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  rolloutState?: string; // IN_PROGRESS | COMPLETED | FAILED
  rolloutStateReason?: string;
  createdAt?: number;
  updatedAt?: number;
}

export interface ServiceDeploymentView {
  arn: string;
  status: string; // PENDING | IN_PROGRESS | SUCCESSFUL | STOP_REQUESTED | STOPPED | ROLLBACK_*
  statusReason?: string;
  rollbackReason?: string;
  circuitBreaker?: { status?: string; failureCount?: number; threshold?: number };
  triggeredAlarms?: string[];
  createdAt?: number;
  finishedAt?: number;
  /** The revision a rollback went back to. */
  rollbackRevisionArn?: string;
  /** Blue/green, linear and canary: the stage, hooks and traffic split. */
  lifecycle?: LifecycleView;
}

export interface EventView {
  id: string;
  createdAt: number;
  message: string;
}

export interface ServiceSnapshot {
  service: string;
  /** DescribeServices listed the service under failures (reason MISSING). */
  missing: boolean;
  status?: string; // ACTIVE | DRAINING | INACTIVE
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  taskDefinition?: string;
  currentServiceDeployment?: string;
  /** The service's deployment strategy (ROLLING, BLUE_GREEN, LINEAR, CANARY) as DescribeServices gives it. */
  strategy?: string;
  deployments: DeploymentView[];
  /** Newest first, as ECS lists them. */
  events: EventView[];
  /** The service-deployment record we follow, when the API answered for it. */
  serviceDeployment?: ServiceDeploymentView;
}

const time = (value: Date | undefined): number | undefined => (value ? value.getTime() : undefined);

export function deploymentView(deployment: Deployment): DeploymentView {
  return {
    id: deployment.id ?? '',
    status: deployment.status ?? '',
    taskDefinition: deployment.taskDefinition ?? '',
    desiredCount: deployment.desiredCount ?? 0,
    runningCount: deployment.runningCount ?? 0,
    pendingCount: deployment.pendingCount ?? 0,
    failedTasks: deployment.failedTasks ?? 0,
    rolloutState: deployment.rolloutState,
    rolloutStateReason: deployment.rolloutStateReason,
    createdAt: time(deployment.createdAt),
    updatedAt: time(deployment.updatedAt),
  };
}

export function eventView(event: ServiceEvent): EventView {
  return { id: event.id ?? '', createdAt: time(event.createdAt) ?? 0, message: event.message ?? '' };
}

export function serviceDeploymentView(record: ServiceDeployment): ServiceDeploymentView {
  return {
    arn: record.serviceDeploymentArn ?? '',
    status: record.status ?? '',
    statusReason: record.statusReason,
    rollbackReason: record.rollback?.reason,
    circuitBreaker: record.deploymentCircuitBreaker
      ? {
          status: record.deploymentCircuitBreaker.status,
          failureCount: record.deploymentCircuitBreaker.failureCount,
          threshold: record.deploymentCircuitBreaker.threshold,
        }
      : undefined,
    triggeredAlarms: record.alarms?.triggeredAlarmNames,
    createdAt: time(record.createdAt),
    finishedAt: time(record.finishedAt),
    rollbackRevisionArn: record.rollback?.serviceRevisionArn,
    lifecycle: lifecycleView(record),
  };
}

export function serviceSnapshot(
  name: string,
  service: Service | undefined,
  record?: ServiceDeployment,
): ServiceSnapshot {
  if (!service) {
    return {
      service: name,
      missing: true,
      desiredCount: 0,
      runningCount: 0,
      pendingCount: 0,
      deployments: [],
      events: [],
    };
  }
  return {
    service: name,
    missing: false,
    status: service.status,
    desiredCount: service.desiredCount ?? 0,
    runningCount: service.runningCount ?? 0,
    pendingCount: service.pendingCount ?? 0,
    taskDefinition: service.taskDefinition,
    currentServiceDeployment: service.currentServiceDeployment,
    strategy: service.deploymentConfiguration?.strategy,
    deployments: (service.deployments ?? []).map(deploymentView),
    events: (service.events ?? []).map(eventView),
    serviceDeployment: record ? serviceDeploymentView(record) : undefined,
  };
}
