// The container-instance attributes ECS derives from what a task definition uses (`requiresAttributes`), in the
// order ECS lists them. Only the features below add attributes; everything else a definition may use adds none here.
import type * as sdk from '@aws-sdk/client-ecs';
import type { ContainerDefinition, TaskDefinitionBody } from './task-definitions.js';

const CAPABILITY = 'com.amazonaws.ecs.capability';

export function requiredAttributes(
  body: Omit<TaskDefinitionBody, 'containerDefinitions'> & { containerDefinitions: ContainerDefinition[] },
): sdk.Attribute[] {
  const containers = body.containerDefinitions;
  const drivers = [
    ...new Set(containers.flatMap((c) => (c.logConfiguration?.logDriver ? [c.logConfiguration.logDriver] : []))),
  ];
  const awslogs = drivers.includes('awslogs');
  const ecrImage = containers.some((c) => /\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//.test(c.image));
  const secrets = containers.flatMap((c) => [...(c.secrets ?? []), ...(c.logConfiguration?.secretOptions ?? [])]);
  const execution = body.executionRoleArn !== undefined;
  const names = [
    ...drivers.map((driver) => `${CAPABILITY}.logging-driver.${driver}`),
    awslogs && execution && 'ecs.capability.execution-role-awslogs',
    ecrImage && `${CAPABILITY}.ecr-auth`,
    drivers.length > 0 && `${CAPABILITY}.docker-remote-api.1.19`,
    body.taskRoleArn !== undefined && `${CAPABILITY}.task-iam-role`,
    containers.some((c) => c.healthCheck) && 'ecs.capability.container-health-check',
    containers.some((c) => c.dependsOn?.length) && 'ecs.capability.container-ordering',
    ecrImage && execution && 'ecs.capability.execution-role-ecr-pull',
    secrets.some((s) => s.valueFrom?.startsWith('arn:aws:secretsmanager:')) &&
      'ecs.capability.secrets.asm.environment-variables',
    secrets.some((s) => s.valueFrom !== undefined && !s.valueFrom.startsWith('arn:aws:secretsmanager:')) &&
      'ecs.capability.secrets.ssm.environment-variables',
    body.networkMode === 'awsvpc' && `${CAPABILITY}.docker-remote-api.1.18`,
    body.networkMode === 'awsvpc' && 'ecs.capability.task-eni',
  ];
  return names.filter((name): name is string => typeof name === 'string').map((name) => ({ name }));
}
