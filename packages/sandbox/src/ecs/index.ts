// The ECS module (awsJson1_1, `AmazonEC2ContainerServiceV20141113`) over the state machine in world.ts.
import type { AwsJsonModule, CallContext, ServiceDefinition } from '../core/module.js';
import type { EcrState } from '../ecr/state.js';
import type { LogStore } from '../logs/store.js';
import { ecsSectionSchema, type EcsSection } from './scenario.js';
import { checkShapes } from './shapes.js';
import { EcsWorld, type LogSink } from './world.js';

export { EcsWorld } from './world.js';
export { ManualClock } from './manual-clock.js';
export type { EcsSection } from './scenario.js';
export type { TransitionRecord } from './service.js';

export type EcsModule = AwsJsonModule & { state: EcsWorld };

type Handler = (input: any, ctx: CallContext) => unknown;

const MUTATING = [
  'CreateCluster',
  'RegisterTaskDefinition',
  'DeregisterTaskDefinition',
  'CreateService',
  'UpdateService',
  'DeleteService',
  'RunTask',
  'StopTask',
];

export const ecsService: ServiceDefinition<EcsSection, EcsModule> = {
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
            logs = env.get<LogStore>('logs');
          } catch {
            logs = undefined;
          }
        }
        return logs;
      },
      images: (repository, digest) => {
        try {
          const ecr = env.get<EcrState>('ecr');
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
      handlers: guarded(handlers(world)),
      mutating: new Set(MUTATING),
      state: world,
    };
  },
};

function handlers(world: EcsWorld): Record<string, Handler> {
  return {
    CreateCluster: (input, ctx) => world.createCluster(ctx.region, input),
    DescribeClusters: (input, ctx) => world.describeClusters(ctx.region, input),
    ListClusters: (_input, ctx) => world.listClusters(ctx.region),
    RegisterTaskDefinition: (input, ctx) => world.registerTaskDefinition(ctx.region, input),
    DescribeTaskDefinition: (input, ctx) => world.describeTaskDefinition(ctx.region, input),
    DeregisterTaskDefinition: (input, ctx) => world.deregisterTaskDefinition(ctx.region, input),
    ListTaskDefinitions: (input, ctx) => world.listTaskDefinitions(ctx.region, input),
    ListTaskDefinitionFamilies: (input, ctx) => world.listTaskDefinitionFamilies(ctx.region, input),
    CreateService: (input, ctx) => world.createService(ctx.region, input),
    UpdateService: (input, ctx) => world.updateService(ctx.region, input),
    DeleteService: (input, ctx) => world.deleteService(ctx.region, input),
    DescribeServices: (input, ctx) => world.describeServices(ctx.region, input),
    ListServices: (input, ctx) => world.listServices(ctx.region, input),
    DescribeServiceDeployments: (input, ctx) => world.describeServiceDeployments(ctx.region, input),
    ListServiceDeployments: (input, ctx) => world.listServiceDeployments(ctx.region, input),
    DescribeServiceRevisions: (input, ctx) => world.describeServiceRevisions(ctx.region, input),
    RunTask: (input, ctx) => world.runTask(ctx.region, input),
    DescribeTasks: (input, ctx) => world.describeTasks(ctx.region, input),
    StopTask: (input, ctx) => world.stopTask(ctx.region, input),
    ListTasks: (input, ctx) => world.listTasks(ctx.region, input),
  };
}

/** Every handler first refuses members of the wrong JSON type. */
function guarded(table: Record<string, Handler>): Record<string, Handler> {
  return Object.fromEntries(
    Object.entries(table).map(([operation, handler]) => [operation, (input, ctx) => handler(checkShapes(input), ctx)]),
  );
}
