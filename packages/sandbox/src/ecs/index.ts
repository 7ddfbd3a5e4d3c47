// The ECS module (awsJson1_1, `AmazonEC2ContainerServiceV20141113`) over the state machine in world.ts.
import type { AwsJsonModule, ServiceDefinition } from '../core/module.js';
import { guardJsonTypes } from '../core/json-shapes.js';
import { ecrService } from '../ecr/index.js';
import { elbv2Service } from '../elbv2/index.js';
import { logsService } from '../logs/index.js';
import { ECS_MUTATING, type EcsHandlers } from './api.js';
import { describeTaskSets } from './task-sets.js';
import { ecsSectionSchema, type EcsSection } from './scenario.js';
import { EcsWorld, type LogSink } from './world.js';

export { EcsWorld } from './world.js';
export { ManualClock } from './manual-clock.js';
export type { EcsSection } from './scenario.js';
export type { EcsOperations } from './api.js';
export type { TransitionRecord } from './deployments.js';
export type { Service } from './service.js';
export type { Task } from './task.js';
export type { TaskDefinition } from './task-definitions.js';

export type EcsModule = AwsJsonModule & { state: EcsWorld };

export const ecsService: ServiceDefinition<EcsSection, EcsModule, 'ecs'> = {
  key: 'ecs',
  schema: ecsSectionSchema,
  create(section, env) {
    let logs: LogSink | undefined | null = null;
    const world = new EcsWorld({
      clock: env.clock,
      accountId: env.accountId,
      defaultRegion: env.defaultRegion,
      section,
      // Looked up on first use: the Logs module may be built after this one, or not be served at all.
      logs: () => {
        if (logs === null) {
          try {
            logs = env.stateOf(logsService);
          } catch {
            logs = undefined;
          }
        }
        return logs;
      },
      // Looked up on first use, like the logs: a sandbox may serve ECS without ELBv2.
      listenerRules: () => {
        try {
          return env.stateOf(elbv2Service);
        } catch {
          return undefined;
        }
      },
      images: (repository, digest) => {
        try {
          const ecr = env.stateOf(ecrService);
          const host = repository.indexOf('/');
          const region = /\.ecr\.([a-z0-9-]+)\.amazonaws\.com/.exec(repository)?.[1] ?? env.defaultRegion;
          return ecr.tagsOf(ecr.repository(region, repository.slice(host + 1)), digest);
        } catch {
          return [];
        }
      },
    });
    return {
      protocol: 'json',
      signingName: 'ecs',
      targetPrefix: 'AmazonEC2ContainerServiceV20141113',
      handlers: guardJsonTypes(handlers(world)),
      mutating: new Set(ECS_MUTATING),
      state: world,
    };
  },
};

function handlers(world: EcsWorld): EcsHandlers {
  const { clusters, taskDefinitions, services, tasks } = world;
  return {
    CreateCluster: (input, ctx) => clusters.create(ctx.region, input),
    DescribeClusters: (input, ctx) => clusters.describe(ctx.region, input),
    ListClusters: (_input, ctx) => clusters.list(ctx.region),
    RegisterTaskDefinition: (input, ctx) => taskDefinitions.register(ctx.region, input),
    DescribeTaskDefinition: (input, ctx) => taskDefinitions.describe(ctx.region, input),
    DeregisterTaskDefinition: (input, ctx) => taskDefinitions.deregister(ctx.region, input),
    ListTaskDefinitions: (input, ctx) => taskDefinitions.list(ctx.region, input),
    ListTaskDefinitionFamilies: (input, ctx) => taskDefinitions.listFamilies(ctx.region, input),
    CreateService: (input, ctx) => services.create(ctx.region, input),
    UpdateService: (input, ctx) => services.update(ctx.region, input),
    DeleteService: (input, ctx) => services.delete(ctx.region, input),
    DescribeServices: (input, ctx) => services.describe(ctx.region, input),
    ListServices: (input, ctx) => services.list(ctx.region, input),
    DescribeServiceDeployments: (input, ctx) => services.describeDeployments(ctx.region, input),
    ListServiceDeployments: (input, ctx) => services.listDeployments(ctx.region, input),
    DescribeServiceRevisions: (input, ctx) => services.describeRevisions(ctx.region, input),
    ContinueServiceDeployment: (input, ctx) => services.continueDeployment(ctx.region, input),
    RunTask: (input, ctx) => tasks.run(ctx.region, input),
    DescribeTasks: (input, ctx) => tasks.describe(ctx.region, input),
    StopTask: (input, ctx) => tasks.stop(ctx.region, input),
    ListTasks: (input, ctx) => tasks.list(ctx.region, input),
    DescribeTaskSets: (input, ctx) => describeTaskSets(world, ctx.region, input),
  };
}
