// Where a task may run: the launch types a task definition was validated for, the network configuration its network
// mode needs, and whether an EC2 cluster has a container instance to place it on. RunTask, CreateService and
// UpdateService refuse what ECS refuses; a service whose tasks cannot be placed says so in its events.
import type * as sdk from '@aws-sdk/client-ecs';
import { AwsError } from '../core/module.js';
import type { Cluster } from './clusters.js';
import type { TaskDefinition, TaskDefinitionBody } from './task-definitions.js';

/** What a task definition was validated for at registration: EC2 always, and each launch type it requires. */
export function compatibilitiesOf(body: Pick<TaskDefinitionBody, 'requiresCompatibilities'>): sdk.Compatibility[] {
  const requires = body.requiresCompatibilities ?? [];
  return ['EC2', ...(['FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const).filter((t) => requires.includes(t))];
}

/** The launch type a task gets: the one asked for, the one its capacity providers stand for, else EC2 (a cluster
 *  without a default capacity provider strategy). */
export function launchTypeOf(placement: {
  launchType?: sdk.LaunchType;
  capacityProviderStrategy?: sdk.CapacityProviderStrategyItem[];
}): sdk.LaunchType {
  if (placement.launchType) return placement.launchType;
  const provider = placement.capacityProviderStrategy?.[0]?.capacityProvider;
  if (provider === 'FARGATE' || provider === 'FARGATE_SPOT') return 'FARGATE';
  return 'EC2';
}

/** Refuses a launch type or network configuration the task definition does not allow, as ECS does. */
export function checkPlacement(
  definition: TaskDefinition,
  launchType: sdk.LaunchType,
  networkConfiguration: sdk.NetworkConfiguration | undefined,
): void {
  if (!(compatibilitiesOf(definition.body) as string[]).includes(launchType)) {
    throw new AwsError('InvalidParameterException', `Task definition does not support launch_type ${launchType}.`);
  }
  const awsvpc = definition.body.networkMode === 'awsvpc';
  if (awsvpc && !networkConfiguration?.awsvpcConfiguration) {
    throw new AwsError(
      'InvalidParameterException',
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
  }
  if (!awsvpc && networkConfiguration?.awsvpcConfiguration) {
    throw new AwsError(
      'InvalidParameterException',
      'Network Configuration is not valid for the given networkMode of this task definition.',
    );
  }
}

/**
 * Refuses service-managed EBS volume settings ECS refuses: a task takes one such volume, and it must be a volume of
 * the task definition marked `configuredAtLaunch`.
 */
export function checkVolumeConfigurations(
  definition: TaskDefinition,
  configurations: sdk.ServiceVolumeConfiguration[] | undefined,
): void {
  if (!configurations || configurations.length === 0) return;
  if (configurations.length > 1) {
    throw new AwsError(
      'InvalidParameterException',
      'Invalid VolumeConfiguration. Only one volume can be configured at launch.',
    );
  }
  const atLaunch = (definition.body.volumes ?? []).filter((v) => v.configuredAtLaunch).map((v) => v.name);
  if (!configurations.every((c) => atLaunch.includes(c.name))) {
    throw new AwsError(
      'InvalidParameterException',
      'Volume configuration provided but no matching configuredAtLaunch volume found in task definition.',
    );
  }
}

/** Why no EC2 task can be placed in the cluster, if none can. */
export function placementProblem(cluster: Cluster, launchType: sdk.LaunchType): string | undefined {
  return launchType === 'EC2' && cluster.containerInstances === 0
    ? 'No Container Instances were found in your cluster.'
    : undefined;
}

/** The network a scenario's service runs in when the scenario names none. */
export const SCENARIO_NETWORK: sdk.NetworkConfiguration = {
  awsvpcConfiguration: {
    subnets: ['subnet-0a1b2c3d4e5f60718'],
    securityGroups: ['sg-0a1b2c3d4e5f60718'],
    assignPublicIp: 'DISABLED',
  },
};
