/**
 * RegisterTaskDefinition without duplicates. The call takes no client token, so when ECS registers a revision and
 * its answer is then lost (a dropped connection, a 5xx), the SDK's retry registers a second, identical revision and
 * the first is left unused. Before a retry that follows such a failure, this looks at the family's newest
 * revision: if it already holds exactly what is being registered, that revision is the answer and nothing is
 * registered again. A throttled or refused attempt (HTTP 4xx) proves nothing was registered, so its retry goes
 * straight to the registration: under a throttling storm the look would otherwise take every free slot and the
 * registration never get through.
 */
import {
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
  type RegisterTaskDefinitionCommandOutput,
  type Tag,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import type {
  FinalizeRequestHandlerOptions,
  FinalizeRequestMiddleware,
  RelativeMiddlewareOptions,
} from '@smithy/types';
import { isThrottling } from '@ecs-ship/action-kit/aws';
import { sameTaskDefinition } from './compare.js';

export interface Registration {
  taskDefinition: TaskDefinition;
  tags?: Tag[];
  /** True when a retry found the revision an earlier attempt of this call had registered. */
  foundEarlierAttempt: boolean;
}

/** Runs inside the SDK's retry loop, once per attempt (the retry middleware wraps it). */
const PER_ATTEMPT: RelativeMiddlewareOptions & Partial<FinalizeRequestHandlerOptions> = {
  name: 'findRegisteredTwinBeforeRetry',
  relation: 'after',
  toMiddleware: 'retryMiddleware',
};

export async function registerTaskDefinition(
  ecs: ECSClient,
  input: RegisterTaskDefinitionCommandInput,
): Promise<Registration> {
  const command = new RegisterTaskDefinitionCommand(input);
  let lastFailure: unknown;
  let twin: { taskDefinition: TaskDefinition; tags?: Tag[] } | undefined;
  const findTwinBeforeRetry: FinalizeRequestMiddleware<object, RegisterTaskDefinitionCommandOutput> =
    (next) => async (args) => {
      if (lastFailure !== undefined && mayHaveTakenEffect(lastFailure)) twin = await registeredTwin(ecs, input);
      if (twin) {
        return {
          response: { statusCode: 200, headers: {} },
          output: { taskDefinition: twin.taskDefinition, tags: twin.tags, $metadata: {} },
        };
      }
      try {
        return await next(args);
      } catch (error) {
        lastFailure = error;
        throw error;
      }
    };
  command.middlewareStack.addRelativeTo(findTwinBeforeRetry as never, PER_ATTEMPT);
  const answer = await ecs.send(command);
  if (!answer.taskDefinition?.taskDefinitionArn) throw new Error('no task definition in the answer');
  return { taskDefinition: answer.taskDefinition, tags: answer.tags, foundEarlierAttempt: twin !== undefined };
}

/** An attempt whose failure does not prove that ECS left it undone: a 5xx, a timeout, a lost connection. */
function mayHaveTakenEffect(error: unknown): boolean {
  if (isThrottling(error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === undefined || status >= 500;
}

/**
 * The family's newest ACTIVE revision when it holds exactly the definition being registered (tags included).
 * A look that fails is no twin: the retry then goes ahead as the SDK meant it to.
 */
async function registeredTwin(
  ecs: ECSClient,
  input: RegisterTaskDefinitionCommandInput,
): Promise<{ taskDefinition: TaskDefinition; tags?: Tag[] } | undefined> {
  if (!input.family) return undefined;
  try {
    const { taskDefinition, tags } = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: input.family, include: ['TAGS'] }),
    );
    if (!taskDefinition) return undefined;
    const registered = { ...(taskDefinition as Record<string, unknown>), ...(tags?.length ? { tags } : {}) };
    return sameTaskDefinition(registered, input as unknown as Record<string, unknown>)
      ? { taskDefinition, tags }
      : undefined;
  } catch {
    return undefined;
  }
}
