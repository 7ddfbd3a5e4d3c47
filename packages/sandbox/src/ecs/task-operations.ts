// One-off ECS tasks: RunTask (idempotent by client token), DescribeTasks, StopTask and ListTasks.
import type * as sdk from '@aws-sdk/client-ecs';
import { AwsError } from '../core/module.js';
import { page, serviceName } from './api.js';
import { taskId } from './ids.js';
import { managedTags, propagatedTags } from './launcher.js';
import { checkPlacement, launchTypeOf, placementProblem } from './placement.js';
import { renderTask } from './render.js';
import type { Task } from './task.js';
import type { EcsWorld } from './world.js';

export class Tasks {
  private readonly byClientToken = new Map<string, Task[]>();
  private readonly placementFailuresUsed = new Map<number, number>();

  constructor(private readonly world: EcsWorld) {}

  run(region: string, input: sdk.RunTaskRequest): sdk.RunTaskResponse {
    const cluster = this.world.clusters.get(region, input.cluster);
    // RunTask is idempotent by clientToken: a retry of a call whose answer was lost gets the tasks it already started.
    const token = typeof input.clientToken === 'string' ? `${region}/${input.clientToken}` : undefined;
    const earlier = token ? this.byClientToken.get(token) : undefined;
    if (earlier) return { tasks: earlier.map((t) => renderTask(t, false)), failures: [] };
    const definition = this.world.region(region).registry.get(input.taskDefinition);
    if (definition.status !== 'ACTIVE') throw new AwsError('ClientException', 'TaskDefinition is inactive');
    const count = input.count ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > 10) {
      throw new AwsError('InvalidParameterException', 'Task count must be between 1 and 10.');
    }
    const strategy = input.capacityProviderStrategy ?? [];
    if (input.launchType && strategy.length > 0) {
      throw new AwsError(
        'InvalidParameterException',
        'Specifying both a launch type and capacity provider strategy is not supported.',
      );
    }
    if (typeof input.startedBy === 'string' && input.startedBy.length > 128) {
      throw new AwsError('InvalidParameterException', 'startedBy must be at most 128 characters.');
    }
    const body = definition.body;
    const launchType = launchTypeOf({ launchType: input.launchType, capacityProviderStrategy: strategy });
    checkPlacement(definition, launchType, input.networkConfiguration);
    const unplaceable = placementProblem(cluster, launchType);
    // ECS refuses the call outright, rather than listing it in failures[].
    if (unplaceable) throw new AwsError('InvalidParameterException', unplaceable);
    if (input.propagateTags === 'SERVICE') {
      throw new AwsError(
        'InvalidParameterException',
        'The SERVICE option of propagateTags is only valid for services.',
      );
    }
    const names = new Set(body.containerDefinitions.map((c) => c.name));
    for (const override of input.overrides?.containerOverrides ?? []) {
      if (!override.name || !names.has(override.name)) {
        throw new AwsError(
          'InvalidParameterException',
          `Override for container named ${override.name} is not a container in the TaskDefinition.`,
        );
      }
    }
    const failure = this.placementFailure(definition.family);
    if (failure) {
      const failures = Array.from({ length: count }, () => ({
        arn: `arn:aws:ecs:${region}:${this.world.accountId}:container-instance/${cluster.name}/${taskId()}`,
        reason: failure,
      }));
      return { tasks: [], failures };
    }
    const tags = [
      ...(input.enableECSManagedTags ? managedTags(cluster.name) : []),
      ...propagatedTags(input.propagateTags, [], definition.tags),
      ...(input.tags ?? []),
    ];
    const tasks: Task[] = [];
    for (let i = 0; i < count; i++) {
      const task = this.world.launcher.create(
        region,
        cluster,
        definition,
        {
          group: input.group ?? `family:${definition.family}`,
          startedBy: input.startedBy,
          launchType: strategy.length > 0 ? undefined : launchType,
          capacityProviderName: strategy[0]?.capacityProvider,
          platformVersion:
            launchType === 'FARGATE' || input.capacityProviderStrategy ? (input.platformVersion ?? '1.4.0') : undefined,
          cpu: input.overrides?.cpu ?? body.cpu,
          memory: input.overrides?.memory ?? body.memory,
          overrides: { containerOverrides: [], inferenceAcceleratorOverrides: [], ...(input.overrides ?? {}) },
          networkConfiguration: input.networkConfiguration,
          tags,
        },
        { commands: commandOverrides(input.overrides) },
      );
      tasks.push(task);
    }
    const rendered = tasks.map((t) => renderTask(t, false));
    for (const task of tasks) task.start();
    if (token) this.byClientToken.set(token, tasks);
    return { tasks: rendered, failures: [] };
  }

  describe(region: string, input: sdk.DescribeTasksRequest): sdk.DescribeTasksResponse {
    const cluster = this.world.clusters.get(region, input.cluster);
    const refs = input.tasks ?? [];
    if (refs.length === 0) throw new AwsError('InvalidParameterException', 'Tasks cannot be empty.');
    if (refs.length > 100) throw new AwsError('InvalidParameterException', 'Tasks cannot have more than 100 elements.');
    const tasks: sdk.Task[] = [];
    const failures: sdk.Failure[] = [];
    for (const ref of refs) {
      const task = cluster.tasks.get(ref.split('/').at(-1)!);
      if (task) tasks.push(renderTask(task, input.include?.includes('TAGS') ?? false));
      else {
        failures.push({
          arn: ref.startsWith('arn:')
            ? ref
            : `arn:aws:ecs:${region}:${this.world.accountId}:task/${cluster.name}/${ref}`,
          reason: 'MISSING',
        });
      }
    }
    return { tasks, failures };
  }

  stop(region: string, input: sdk.StopTaskRequest): sdk.StopTaskResponse {
    const cluster = this.world.clusters.get(region, input.cluster);
    const task = input.task ? cluster.tasks.get(input.task.split('/').at(-1)!) : undefined;
    if (!task) throw new AwsError('InvalidParameterException', 'The referenced task was not found.');
    if (input.reason !== undefined && input.reason.length > 255) {
      throw new AwsError('InvalidParameterException', 'Reason must be at most 255 characters.');
    }
    task.stop('UserInitiated', input.reason ?? 'Task stopped by user');
    return { task: renderTask(task, false) };
  }

  list(region: string, input: sdk.ListTasksRequest): sdk.ListTasksResponse {
    const cluster = this.world.clusters.get(region, input.cluster);
    if (input.serviceName !== undefined && !cluster.services.has(serviceName(input.serviceName))) {
      throw new AwsError('ServiceNotFoundException', 'Service not found.');
    }
    const desired = input.desiredStatus ?? 'RUNNING';
    const arns = [...cluster.tasks.values()]
      .filter((t) =>
        desired === 'STOPPED' ? !t.alive : desired === 'PENDING' ? t.alive && t.lastStatus !== 'RUNNING' : t.alive,
      )
      .filter((t) => input.family === undefined || t.details.taskDefinitionArn.includes(`/${input.family}:`))
      .filter((t) => input.serviceName === undefined || t.details.group === `service:${serviceName(input.serviceName)}`)
      .filter((t) => input.startedBy === undefined || t.details.startedBy === input.startedBy)
      .filter((t) => input.launchType === undefined || t.details.launchType === input.launchType)
      .map((t) => t.arn);
    const { items, nextToken } = page(arns, input.maxResults ?? 100, input.nextToken);
    return { taskArns: items, nextToken };
  }

  /** The scenario's placement failure for a RunTask of this family, if one still applies (each counts its uses). */
  private placementFailure(family: string): string | undefined {
    for (const [index, failure] of this.world.section.placementFailures.entries()) {
      if (failure.family !== undefined && failure.family !== family) continue;
      const used = this.placementFailuresUsed.get(index) ?? 0;
      if (failure.times !== undefined && used >= failure.times) continue;
      this.placementFailuresUsed.set(index, used + 1);
      return failure.reason;
    }
    return undefined;
  }
}

/** The command each container override runs, words joined by spaces. */
function commandOverrides(overrides: sdk.TaskOverride | undefined): Map<string, string> {
  const result = new Map<string, string>();
  for (const override of overrides?.containerOverrides ?? []) {
    if (override.name && Array.isArray(override.command)) result.set(override.name, override.command.join(' '));
  }
  return result;
}
