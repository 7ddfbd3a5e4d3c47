// The revision the task runs: as referenced, or registered anew from a file or with the migration's image.
import {
  DescribeTaskDefinitionCommand,
  type ContainerDefinition,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
  type Tag,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { UserError, type Logger } from '@ecs-ship/action-kit';
import { READ_ONLY_FIELDS, unwrapTaskDefinition } from '../taskdef/render.js';
import { registerTaskDefinition } from '../taskdef/register.js';
import { chooseContainer } from './container.js';
import type { OneOffTaskSpec } from './spec.js';

export interface PreparedTaskDefinition {
  arn: string;
  family: string;
  containers: ContainerDefinition[];
  /** The container whose exit code decides. */
  container: string;
  /** True when a new revision was registered for this run. */
  registered: boolean;
}

/** A described (or exported) task definition turned into RegisterTaskDefinition input, with the image applied. */
export function registrationInput(
  definition: Record<string, unknown>,
  tags: Tag[] | undefined,
  change?: { container: string; image: string },
): RegisterTaskDefinitionCommandInput {
  const input: Record<string, unknown> = structuredClone(definition);
  for (const field of READ_ONLY_FIELDS) delete input[field];
  if (change) {
    const containers = (input.containerDefinitions as ContainerDefinition[] | undefined) ?? [];
    input.containerDefinitions = containers.map((c) =>
      c.name === change.container ? { ...c, image: change.image } : c,
    );
  }
  if (tags && tags.length > 0) input.tags = tags;
  else delete input.tags;
  return input as unknown as RegisterTaskDefinitionCommandInput;
}

export async function prepareTaskDefinition(
  ecs: ECSClient,
  spec: Pick<OneOffTaskSpec, 'taskDefinition' | 'container' | 'image'>,
  logger: Logger,
): Promise<PreparedTaskDefinition> {
  if (spec.taskDefinition.kind === 'file') {
    const { definition, tags } = unwrapTaskDefinition(spec.taskDefinition.definition);
    const family = String(definition.family ?? '');
    const containers = (definition.containerDefinitions as ContainerDefinition[] | undefined) ?? [];
    const container = chooseContainer(containers, spec.container, family || spec.taskDefinition.path);
    const input = registrationInput(definition, tags, spec.image ? { container, image: spec.image } : undefined);
    const registered = await register(ecs, input, `the task definition in ${spec.taskDefinition.path}`, logger);
    logger.info(`Registered ${registered.family}:${registered.revision} from ${spec.taskDefinition.path}`);
    return described(registered, container, true);
  }

  const reference = spec.taskDefinition.reference;
  let current: TaskDefinition;
  let tags: Tag[] | undefined;
  try {
    const answer = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: reference, include: ['TAGS'] }));
    if (!answer.taskDefinition) throw new Error('no task definition in the answer');
    current = answer.taskDefinition;
    tags = answer.tags;
  } catch (error) {
    throw new UserError(
      `Input "task-definition": cannot read task definition ${reference}: ${describeAwsError(error)}. Check the family or ARN and the region.`,
      { cause: error },
    );
  }
  const family = current.family ?? reference;
  const container = chooseContainer(
    current.containerDefinitions ?? [],
    spec.container,
    `${family}:${current.revision}`,
  );
  const currentImage = current.containerDefinitions?.find((c) => c.name === container)?.image;
  if (!spec.image || spec.image === currentImage) {
    // Nothing to change: no new revision, so repeated runs of one release do not pile up identical revisions.
    logger.info(
      `Using task definition ${family}:${current.revision}${spec.image ? ` (already runs ${spec.image})` : ''}`,
    );
    return described(current, container, false);
  }
  const input = registrationInput(current as Record<string, unknown>, tags, { container, image: spec.image });
  const registered = await register(ecs, input, `a revision of ${family}`, logger);
  logger.info(
    `Registered ${registered.family}:${registered.revision} from ${family}:${current.revision} with image ${spec.image} for container ${container} (was ${currentImage ?? 'unset'})`,
  );
  return described(registered, container, true);
}

async function register(
  ecs: ECSClient,
  input: RegisterTaskDefinitionCommandInput,
  what: string,
  logger: Logger,
): Promise<TaskDefinition> {
  try {
    const { taskDefinition, foundEarlierAttempt } = await registerTaskDefinition(ecs, input);
    if (foundEarlierAttempt) {
      logger.info(`The answer to the first registration was lost; ECS had registered it, so it was not repeated.`);
    }
    return taskDefinition;
  } catch (error) {
    throw new UserError(`Could not register ${what}: ${describeAwsError(error)}`, { cause: error });
  }
}

function described(definition: TaskDefinition, container: string, registered: boolean): PreparedTaskDefinition {
  return {
    arn: definition.taskDefinitionArn!,
    family: definition.family ?? '',
    containers: definition.containerDefinitions ?? [],
    container,
    registered,
  };
}

/** An AWS error as one line: its code and message. */
export function describeAwsError(error: unknown): string {
  if (error instanceof Error) {
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return `${name}${error.message}`;
  }
  return String(error);
}
