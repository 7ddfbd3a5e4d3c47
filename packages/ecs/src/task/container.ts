// Which container decides the run, and where its logs go.
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { UserError } from '@ecs-ship/action-kit';

/** The container named by the user, or the only essential container (ECS counts a container essential by default). */
export function chooseContainer(
  containers: ContainerDefinition[],
  requested: string | undefined,
  family: string,
): string {
  const names = containers.map((c) => c.name ?? '');
  if (requested !== undefined) {
    if (names.includes(requested)) return requested;
    throw new UserError(
      `Input "container": task definition ${family} has no container "${requested}". Use one of: ${names.join(', ')}.`,
    );
  }
  const essential = containers.filter((c) => c.essential !== false).map((c) => c.name ?? '');
  if (essential.length === 1) return essential[0]!;
  throw new UserError(
    `Input "container": task definition ${family} has ${essential.length} essential containers (${essential.join(', ') || 'none'}), so the one whose exit code decides is not clear. Set "container" to one of: ${names.join(', ')}.`,
  );
}

export interface LogLocation {
  group: string;
  stream: string;
  /** Region of the log group; undefined means the task's own region. */
  region?: string;
}

/**
 * The CloudWatch stream the `awslogs` driver writes a task's container to: `<prefix>/<container>/<task id>`.
 * Without a stream prefix the stream is named after the Docker container id, which cannot be known in advance.
 */
export function logLocation(container: ContainerDefinition | undefined, taskId: string): LogLocation | undefined {
  const config = container?.logConfiguration;
  if (!config || config.logDriver !== 'awslogs' || !container?.name) return undefined;
  const group = config.options?.['awslogs-group'];
  const prefix = config.options?.['awslogs-stream-prefix'];
  if (!group || !prefix) return undefined;
  return { group, stream: `${prefix}/${container.name}/${taskId}`, region: config.options?.['awslogs-region'] };
}

/** The 32-hex id at the end of a task ARN (`arn:aws:ecs:<region>:<account>:task/<cluster>/<id>`). */
export function taskIdOf(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf('/') + 1);
}
