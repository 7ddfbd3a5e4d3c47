// Starting the task: RunTask with the overrides and network settings. A non-empty failures[] means no task started.
import { RunTaskCommand, type ECSClient, type RunTaskCommandInput, type Task } from '@aws-sdk/client-ecs';
import { UserError } from '@ecs-ship/action-kit';
import { describeAwsError } from './task-definition.js';
import type { OneOffTaskSpec } from './spec.js';

/**
 * RunTask input for one task. `clientToken` makes the call idempotent: RunTask is not, and the SDK retries a call
 * whose answer was lost, which without a token could start the migration twice.
 */
export function runTaskInput(
  spec: OneOffTaskSpec,
  taskDefinitionArn: string,
  container: string,
  clientToken?: string,
): RunTaskCommandInput {
  const input: RunTaskCommandInput = {
    cluster: spec.cluster,
    taskDefinition: taskDefinitionArn,
    count: 1,
    startedBy: spec.startedBy,
    ...(clientToken ? { clientToken } : {}),
  };
  if (spec.capacityProviderStrategy.length > 0) input.capacityProviderStrategy = spec.capacityProviderStrategy;
  else if (spec.launchType) input.launchType = spec.launchType;
  if (spec.platformVersion) input.platformVersion = spec.platformVersion;
  if (spec.network && spec.network.subnets.length > 0) {
    input.networkConfiguration = {
      awsvpcConfiguration: {
        subnets: spec.network.subnets,
        ...(spec.network.securityGroups.length > 0 ? { securityGroups: spec.network.securityGroups } : {}),
        assignPublicIp: spec.network.assignPublicIp ? 'ENABLED' : 'DISABLED',
      },
    };
  }
  if (spec.command || spec.environment.size > 0) {
    input.overrides = {
      containerOverrides: [
        {
          name: container,
          ...(spec.command ? { command: spec.command } : {}),
          ...(spec.environment.size > 0
            ? { environment: [...spec.environment].map(([name, value]) => ({ name, value })) }
            : {}),
        },
      ],
    };
  }
  return input;
}

/** Calls RunTask and returns the one task it started, or fails with ECS's reasons. */
export async function startTask(ecs: ECSClient, input: RunTaskCommandInput): Promise<Task> {
  let answer;
  try {
    answer = await ecs.send(new RunTaskCommand(input));
  } catch (error) {
    throw new UserError(`RunTask failed: ${describeAwsError(error)}`, { title: 'Migration not started', cause: error });
  }
  const failures = answer.failures ?? [];
  if (failures.length > 0) {
    const reasons = failures
      .map((f) => [f.reason, f.detail].filter(Boolean).join(' ') + (f.arn ? ` (${f.arn})` : ''))
      .join('; ');
    throw new UserError(`ECS did not start the migration task: ${reasons}`, { title: 'Migration not started' });
  }
  const task = answer.tasks?.[0];
  if (!task?.taskArn) throw new UserError('ECS did not start the migration task and gave no reason.');
  return task;
}
