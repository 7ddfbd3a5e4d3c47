// The ECS state machine, without HTTP: per region the clusters and the task-definition registry, and the resources
// the API works on (clusters.ts, task-definitions.ts, service-operations.ts, task-operations.ts), the alarms and
// the task launcher they share. Operations take the region and the API input and return the API output, raising
// AwsError the way ECS does; time moves only through the sandbox clock.
import type { RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import type { SandboxClock } from '../core/module.js';
import { ScenarioError } from '../core/scenario.js';
import { Alarms } from './alarms.js';
import { serviceName } from './api.js';
import { Clusters, type Cluster } from './clusters.js';
import type { TransitionRecord } from './deployments.js';
import { Launcher } from './launcher.js';
import { findHookBehaviour } from './lifecycle-hooks.js';
import { resolveLoadBalancers, routeAllTo, type ListenerRules } from './load-balancers.js';
import { checkPlacement, compatibilitiesOf, placementProblem, SCENARIO_NETWORK } from './placement.js';
import type { EcsSection } from './scenario.js';
import { Services } from './service-operations.js';
import type { Service } from './service.js';
import type { Task } from './task.js';
import type { ShiftHost as ServiceHostTraffic } from './traffic-shift.js';
import { Tasks } from './task-operations.js';
import { TaskDefinitionRegistry, TaskDefinitions, type TaskDefinition } from './task-definitions.js';

export interface LogSink {
  append(region: string, group: string, stream: string, lines: readonly string[]): void;
}

export interface RegionState {
  registry: TaskDefinitionRegistry;
  clusters: Map<string, Cluster>;
}

export interface WorldOptions {
  clock: SandboxClock;
  accountId: string;
  defaultRegion: string;
  section: EcsSection;
  /** The CloudWatch Logs store that tasks write to (looked up lazily: modules are created in turn). */
  logs?: () => LogSink | undefined;
  /** The tags ECR holds for a digest of a repository (`<registry>/<name>`), so digest-pinned images find their
   *  scenario behaviour (looked up lazily, like the logs). */
  images?: (repository: string, digest: string) => string[];
  /** The ELBv2 module's listener rules, which traffic-shifting deployments move (looked up lazily too). */
  listenerRules?: () => ListenerRules | undefined;
}

export class EcsWorld {
  readonly clock: SandboxClock;
  readonly accountId: string;
  readonly defaultRegion: string;
  readonly section: EcsSection;
  readonly logs: () => LogSink | undefined;
  readonly listenerRules: () => ListenerRules | undefined;
  /** Every rollout-state and service-deployment status change, in order, with its instant. */
  readonly transitions: TransitionRecord[] = [];
  readonly clusters = new Clusters(this);
  readonly taskDefinitions = new TaskDefinitions(this);
  readonly services = new Services(this);
  readonly tasks = new Tasks(this);
  readonly alarms: Alarms;
  readonly launcher: Launcher;
  private readonly byRegion = new Map<string, RegionState>();

  constructor(options: WorldOptions) {
    this.clock = options.clock;
    this.accountId = options.accountId;
    this.defaultRegion = options.defaultRegion;
    this.section = options.section;
    this.logs = options.logs ?? (() => undefined);
    this.listenerRules = options.listenerRules ?? (() => undefined);
    this.launcher = new Launcher(this, this.section, options.images);
    this.alarms = new Alarms(
      this.clock,
      this.section.alarms,
      () => this.allTasks(),
      () => {
        for (const cluster of this.clusters.all()) for (const service of cluster.services.values()) service.reconcile();
      },
    );
    this.load();
  }

  /** The scenario's starting point: its clusters, task definitions and steady services, in the default region. */
  private load(): void {
    const region = this.defaultRegion;
    for (const entry of this.section.clusters) {
      const { name, containerInstances } = typeof entry === 'string' ? { name: entry, containerInstances: 0 } : entry;
      this.clusters.create(region, { clusterName: name }, containerInstances);
    }
    const registry = this.region(region).registry;
    for (const td of this.section.taskDefinitions)
      registry.register(structuredClone(td) as RegisterTaskDefinitionRequest);
    for (const s of this.section.services) {
      const cluster = this.clusters.get(region, s.cluster);
      const definition = registry.get(s.taskDefinition);
      const launchType = s.launchType ?? (compatibilitiesOf(definition.body).includes('FARGATE') ? 'FARGATE' : 'EC2');
      const networkConfiguration =
        s.networkConfiguration ?? (definition.body.networkMode === 'awsvpc' ? SCENARIO_NETWORK : undefined);
      scenarioCheck(`service ${s.serviceName}`, () => {
        checkPlacement(definition, launchType, networkConfiguration);
        const problem = placementProblem(cluster, launchType);
        if (problem) {
          throw new Error(
            `it runs on EC2 and cluster ${cluster.name} has no container instances (${problem}) Give the cluster \`containerInstances\`, or require FARGATE in the task definition.`,
          );
        }
      });
      const loadBalancers = scenarioCheck(`service ${s.serviceName}`, () =>
        resolveLoadBalancers(s.loadBalancers, region, this.accountId, this.listenerRules(), true),
      );
      const service = scenarioCheck(`service ${s.serviceName}`, () =>
        this.services.add(region, cluster, s.serviceName, {
          loadBalancers,
          desiredCount: s.desiredCount,
          launchType,
          networkConfiguration,
          deploymentController: { type: s.deploymentController },
          deploymentConfiguration: s.deploymentConfiguration,
          enableECSManagedTags: s.enableECSManagedTags,
          propagateTags: s.propagateTags,
          tags: s.tags,
        }),
      );
      service.adoptSteady(definition, (deployment) => {
        for (let i = 0; i < s.desiredCount; i++) {
          const task = this.launcher.launchServiceTask(region, service, deployment, true);
          deployment.tasks.push(task);
          service.tasks.push(task);
        }
      });
      routeAllTo(
        service.extra.loadBalancers,
        service.primary.revision.targetGroups ?? [],
        this.listenerRules(),
        `ecs:${cluster.name}/${service.name}`,
      );
      if (s.status !== 'ACTIVE') service.drain();
    }
  }

  /** A region's clusters and registry (created on first use: every region exists). */
  region(name: string): RegionState {
    let state = this.byRegion.get(name);
    if (!state) {
      state = {
        registry: new TaskDefinitionRegistry(name, this.accountId, () => this.clock.now()),
        clusters: new Map(),
      };
      this.byRegion.set(name, state);
    }
    return state;
  }

  regions(): Iterable<RegionState> {
    return this.byRegion.values();
  }

  // ---- lookups for tests and for other modules (the services' endpoints) -------------------------------------

  /** A service by name or ARN (any status). */
  service(region: string, clusterRef: string | undefined, reference: string): Service | undefined {
    return this.clusters.get(region, clusterRef).services.get(serviceName(reference));
  }

  /** A task by id or ARN. */
  task(region: string, clusterRef: string | undefined, reference: string): Task | undefined {
    return this.clusters.get(region, clusterRef).tasks.get(reference.split('/').at(-1)!);
  }

  /** Every task a cluster ever ran (stopped ones included), oldest first. */
  tasksOf(region: string, clusterRef: string | undefined): Task[] {
    return [...this.clusters.get(region, clusterRef).tasks.values()];
  }

  /** A task definition by family, family:revision or ARN. */
  taskDefinition(region: string, reference: string): TaskDefinition | undefined {
    return this.region(region).registry.find(reference);
  }

  /** Moves a CloudWatch alarm to ALARM or OK; services monitoring it react at once. */
  setAlarm(name: string, state: 'OK' | 'ALARM'): void {
    this.alarms.set(name, state);
  }

  /** How the scenario says a lifecycle hook answers, for the revision being deployed. */
  hookBehaviour: ServiceHostTraffic['hookBehaviour'] = (hookTargetArn, stage, green) =>
    findHookBehaviour(
      this.section.hooks,
      hookTargetArn,
      stage,
      green.taskDefinition.body.containerDefinitions.map((c) => c.image),
    );

  private *allTasks(): Iterable<Task> {
    for (const cluster of this.clusters.all()) yield* cluster.tasks.values();
  }
}

/** Runs a check of the scenario's starting point; its failure is the scenario's error, naming what is wrong. */
function scenarioCheck<T>(what: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw new ScenarioError(`Scenario is not valid: ecs ${what}: ${(error as Error).message}`);
  }
}
