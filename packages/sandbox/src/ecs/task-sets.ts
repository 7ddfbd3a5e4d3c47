// Task sets: how a service under the CODE_DEPLOY (or EXTERNAL) deployment controller shows its deployments. ECS lists
// them in the service's `taskSets[]` (its `deployments[]` stays empty) and answers DescribeTaskSets; CodeDeploy
// creates the replacement (green) task set beside the PRIMARY one, moves the traffic, and removes the original.
import type * as sdk from '@aws-sdk/client-ecs';
import { AwsError } from '../core/module.js';
import { serviceName } from './api.js';
import type { Deployment } from './deployments.js';
import { compact } from './render.js';
import type { Service } from './service.js';
import type { EcsWorld } from './world.js';

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

/** `arn:aws:ecs:<region>:<account>:task-set/<cluster>/<service>/ecs-svc/<19 digits>`, as ECS names task sets. */
export function taskSetArn(service: Service, deployment: Deployment): string {
  const [, , , region, account] = service.arn.split(':');
  return `arn:aws:ecs:${region}:${account}:task-set/${service.clusterName}/${service.name}/${deployment.id}`;
}

/** The deployments of a task-set service that still exist (PRIMARY first, as ECS lists them). */
export function liveTaskSets(service: Service): Deployment[] {
  return service.deployments.filter((d) => d.status !== 'INACTIVE');
}

export function renderTaskSet(service: Service, d: Deployment): sdk.TaskSet {
  const alive = d.tasks.filter((t) => t.alive);
  const runningCount = d.tasks.filter((t) => t.lastStatus === 'RUNNING').length;
  const pendingCount = alive.filter((t) => ['PROVISIONING', 'PENDING', 'ACTIVATING'].includes(t.lastStatus)).length;
  const steady = runningCount === d.desiredCount && pendingCount === 0 && alive.every((t) => t.healthy);
  return compact<sdk.TaskSet>({
    id: d.id,
    taskSetArn: taskSetArn(service, d),
    serviceArn: service.arn,
    clusterArn: service.clusterArn,
    startedBy: d.taskSet?.startedBy ?? 'CodeDeploy',
    externalId: d.taskSet?.externalId,
    status: d.status,
    taskDefinition: d.taskDefinition.taskDefinitionArn,
    computedDesiredCount: d.desiredCount,
    pendingCount,
    runningCount,
    createdAt: date(d.createdAt),
    updatedAt: date(d.updatedAt),
    launchType: d.placement.launchType,
    platformVersion: d.placement.platformVersion,
    networkConfiguration: d.placement.networkConfiguration,
    loadBalancers: (d.revision.loadBalancers ?? service.extra.loadBalancers).map((lb, i) =>
      compact({ ...lb, targetGroupArn: d.revision.targetGroups?.[i] ?? lb.targetGroupArn }),
    ),
    serviceRegistries: [],
    scale: { value: 100, unit: 'PERCENT' },
    stabilityStatus: steady ? 'STEADY_STATE' : 'STABILIZING',
    stabilityStatusAt: date(d.updatedAt),
  });
}

export function renderTaskSets(service: Service): sdk.TaskSet[] {
  return liveTaskSets(service).map((d) => renderTaskSet(service, d));
}

/** DescribeTaskSets: a service's task sets, all or those named (by id or ARN); unknown ones in failures[]. */
export function describeTaskSets(
  world: EcsWorld,
  region: string,
  input: sdk.DescribeTaskSetsRequest,
): sdk.DescribeTaskSetsResponse {
  const cluster = world.clusters.get(region, input.cluster);
  const service = cluster.services.get(serviceName(input.service ?? ''));
  if (!service || service.status === 'INACTIVE') throw new AwsError('ServiceNotFoundException', 'Service not found.');
  if (service.deploymentController === 'ECS') {
    throw new AwsError(
      'InvalidParameterException',
      'Amazon ECS only supports task sets on services configured to use the CODE_DEPLOY or EXTERNAL deployment controller.',
    );
  }
  const sets = liveTaskSets(service);
  const wanted = input.taskSets;
  if (!wanted || wanted.length === 0) return { taskSets: renderTaskSets(service), failures: [] };
  const taskSets: sdk.TaskSet[] = [];
  const failures: sdk.Failure[] = [];
  for (const reference of wanted) {
    const found = sets.find((d) => d.id === reference || taskSetArn(service, d) === reference);
    if (found) taskSets.push(renderTaskSet(service, found));
    else failures.push({ arn: reference, reason: 'MISSING' });
  }
  return { taskSets, failures };
}
