// The ECS state machine, without HTTP: regions, clusters, the task-definition registry, services, one-off tasks and
// CloudWatch alarms. Every public operation takes the region and the API input and returns the API output, raising
// AwsError the way ECS does; time moves only through the sandbox clock.
import { AwsError, type SandboxClock } from '../core/module.js';
import { taskId } from './ids.js';
import { compact, renderService, renderServiceDeployment, renderServiceDeploymentBrief, renderTask } from './render.js';
import type { EcsSection, ImageSection } from './scenario.js';
import {
  Service,
  type Deployment,
  type DeploymentConfiguration,
  type Placement,
  type ServiceHost,
  type TransitionRecord,
} from './service.js';
import { Task, type Behaviour, type ContainerPlan } from './task.js';
import {
  renderTaskDefinition,
  TaskDefinitionRegistry,
  type ContainerDefinition,
  type TaskDefinition,
} from './task-definitions.js';

export interface LogSink {
  append(region: string, group: string, stream: string, lines: readonly string[]): void;
}

interface Cluster {
  name: string;
  arn: string;
  createdAt: number;
  services: Map<string, Service>;
  tasks: Map<string, Task>;
}

interface RegionState {
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
}

const DEFAULT_CONFIGURATION = (): DeploymentConfiguration => ({
  maximumPercent: 200,
  minimumHealthyPercent: 100,
  deploymentCircuitBreaker: { enable: false, rollback: false },
});

export class EcsWorld {
  readonly clock: SandboxClock;
  readonly accountId: string;
  readonly defaultRegion: string;
  /** Every rollout-state and service-deployment status change, in order, with its instant. */
  readonly transitions: TransitionRecord[] = [];
  private readonly regions = new Map<string, RegionState>();
  private readonly alarms = new Map<string, { state: 'OK' | 'ALARM'; changedAt: number }>();
  private readonly sequenceCounters = new Map<string, number>();
  private readonly runTaskTokens = new Map<string, Task[]>();
  private readonly placementFailuresUsed = new Map<number, number>();
  private readonly section: EcsSection;
  private readonly logs: () => LogSink | undefined;
  private readonly images?: (repository: string, digest: string) => string[];

  constructor(options: WorldOptions) {
    this.clock = options.clock;
    this.accountId = options.accountId;
    this.defaultRegion = options.defaultRegion;
    this.section = options.section;
    this.logs = options.logs ?? (() => undefined);
    this.images = options.images;
    this.load();
  }

  // ---- scenario ---------------------------------------------------------------------------------------------

  private load(): void {
    const region = this.defaultRegion;
    for (const name of this.section.clusters) this.createCluster(region, { clusterName: name });
    const state = this.region(region);
    for (const td of this.section.taskDefinitions) state.registry.register(structuredClone(td));
    for (const alarm of this.section.alarms) {
      this.alarms.set(alarm.name, { state: 'OK', changedAt: this.clock.now() });
      if (alarm.at !== undefined) this.clock.after(alarm.at, () => this.setAlarm(alarm.name, 'ALARM'));
    }
    for (const s of this.section.services) {
      const cluster = this.cluster(region, s.cluster);
      const taskDefinition = state.registry.get(s.taskDefinition);
      const service = this.newService(region, cluster, {
        serviceName: s.serviceName,
        desiredCount: s.desiredCount,
        launchType: s.launchType,
        deploymentController: { type: s.deploymentController },
        deploymentConfiguration: s.deploymentConfiguration,
        tags: s.tags,
      });
      service.adoptSteady(taskDefinition, (deployment) => {
        for (let i = 0; i < s.desiredCount; i++) {
          const task = this.launchServiceTask(region, service, deployment, true);
          deployment.tasks.push(task);
          service.tasks.push(task);
        }
      });
      if (s.status !== 'ACTIVE') service.drain();
    }
  }

  // ---- alarms -----------------------------------------------------------------------------------------------

  /** Moves a CloudWatch alarm to ALARM or OK; services monitoring it react at once. */
  setAlarm(name: string, state: 'OK' | 'ALARM'): void {
    const current = this.alarms.get(name);
    if (current?.state === state) return;
    this.alarms.set(name, { state, changedAt: this.clock.now() });
    for (const region of this.regions.values()) {
      for (const cluster of region.clusters.values()) for (const s of cluster.services.values()) s.reconcile();
    }
  }

  alarmState(name: string): 'OK' | 'ALARM' {
    return this.alarms.get(name)?.state ?? 'OK';
  }

  // ---- lookups ----------------------------------------------------------------------------------------------

  region(name: string): RegionState {
    let state = this.regions.get(name);
    if (!state) {
      state = {
        registry: new TaskDefinitionRegistry(name, this.accountId, () => this.clock.now()),
        clusters: new Map(),
      };
      this.regions.set(name, state);
    }
    return state;
  }

  cluster(region: string, reference: string | undefined): Cluster {
    const name = clusterName(reference);
    const cluster = this.region(region).clusters.get(name);
    if (!cluster) throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
    return cluster;
  }

  /** A service by name or ARN (any status), for tests. */
  service(region: string, clusterRef: string | undefined, reference: string): Service | undefined {
    return this.cluster(region, clusterRef).services.get(serviceName(reference));
  }

  task(region: string, clusterRef: string | undefined, reference: string): Task | undefined {
    return this.cluster(region, clusterRef).tasks.get(reference.split('/').at(-1)!);
  }

  // ---- clusters ---------------------------------------------------------------------------------------------

  createCluster(region: string, input: { clusterName?: string }): unknown {
    const name = input.clusterName ?? 'default';
    const clusters = this.region(region).clusters;
    let cluster = clusters.get(name);
    if (!cluster) {
      cluster = {
        name,
        arn: `arn:aws:ecs:${region}:${this.accountId}:cluster/${name}`,
        createdAt: this.clock.now(),
        services: new Map(),
        tasks: new Map(),
      };
      clusters.set(name, cluster);
    }
    return { cluster: this.renderCluster(cluster) };
  }

  describeClusters(region: string, input: { clusters?: string[] }): unknown {
    const refs = input.clusters && input.clusters.length > 0 ? input.clusters : ['default'];
    const clusters: unknown[] = [];
    const failures: unknown[] = [];
    for (const ref of refs) {
      const cluster = this.region(region).clusters.get(clusterName(ref));
      if (cluster) clusters.push(this.renderCluster(cluster));
      else
        failures.push({
          arn: `arn:aws:ecs:${region}:${this.accountId}:cluster/${clusterName(ref)}`,
          reason: 'MISSING',
        });
    }
    return { clusters, failures };
  }

  listClusters(region: string): unknown {
    return { clusterArns: [...this.region(region).clusters.values()].map((c) => c.arn) };
  }

  private renderCluster(c: Cluster): unknown {
    const tasks = [...c.tasks.values()];
    return {
      clusterArn: c.arn,
      clusterName: c.name,
      status: 'ACTIVE',
      registeredContainerInstancesCount: 0,
      runningTasksCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
      pendingTasksCount: tasks.filter((t) => t.alive && t.lastStatus !== 'RUNNING').length,
      activeServicesCount: [...c.services.values()].filter((s) => s.status === 'ACTIVE').length,
      statistics: [],
      tags: [],
      settings: [],
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [],
    };
  }

  // ---- task definitions -------------------------------------------------------------------------------------

  registerTaskDefinition(region: string, input: Record<string, unknown>): unknown {
    const definition = this.region(region).registry.register(input);
    return { taskDefinition: renderTaskDefinition(definition), tags: definition.tags };
  }

  describeTaskDefinition(region: string, input: { taskDefinition?: string; include?: string[] }): unknown {
    const definition = this.region(region).registry.get(input.taskDefinition);
    return compact({
      taskDefinition: renderTaskDefinition(definition),
      tags: input.include?.includes('TAGS') ? definition.tags : undefined,
    });
  }

  deregisterTaskDefinition(region: string, input: { taskDefinition?: string }): unknown {
    return { taskDefinition: renderTaskDefinition(this.region(region).registry.deregister(input.taskDefinition)) };
  }

  listTaskDefinitions(
    region: string,
    input: { familyPrefix?: string; status?: 'ACTIVE' | 'INACTIVE'; sort?: 'ASC' | 'DESC' },
  ): unknown {
    return { taskDefinitionArns: this.region(region).registry.list(input.familyPrefix, input.status, input.sort) };
  }

  listTaskDefinitionFamilies(region: string, input: { familyPrefix?: string }): unknown {
    return { families: this.region(region).registry.listFamilies(input.familyPrefix) };
  }

  // ---- services ---------------------------------------------------------------------------------------------

  createService(region: string, input: Record<string, any>): unknown {
    const cluster = this.cluster(region, input.cluster);
    if (typeof input.serviceName !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(input.serviceName)) {
      throw new AwsError('InvalidParameterException', 'Service name is invalid.');
    }
    const existing = cluster.services.get(input.serviceName);
    if (existing && existing.status !== 'INACTIVE') {
      throw new AwsError('InvalidParameterException', 'Creation of service was not idempotent.');
    }
    const controller = input.deploymentController?.type ?? 'ECS';
    const registry = this.region(region).registry;
    const taskDefinition = registry.get(input.taskDefinition);
    if (taskDefinition.status !== 'ACTIVE') throw new AwsError('ClientException', 'TaskDefinition is inactive');
    const service = this.newService(region, cluster, input);
    if (controller === 'ECS' || controller === 'CODE_DEPLOY' || controller === 'EXTERNAL')
      service.deploy(taskDefinition);
    return { service: renderService(service, false) };
  }

  updateService(region: string, input: Record<string, any>): unknown {
    const service = this.activeService(region, input.cluster, input.service);
    const registry = this.region(region).registry;
    const newDefinition = input.taskDefinition !== undefined ? registry.get(input.taskDefinition) : undefined;
    const changesDefinition =
      newDefinition !== undefined && newDefinition.taskDefinitionArn !== service.taskDefinitionArn;
    if (service.deploymentController !== 'ECS' && (changesDefinition || input.forceNewDeployment)) {
      throw new AwsError(
        'InvalidParameterException',
        `Unable to update task definition on services with a ${service.deploymentController} deployment controller. ${
          service.deploymentController === 'CODE_DEPLOY'
            ? 'Use AWS CodeDeploy to trigger a new deployment.'
            : 'Use task sets to trigger a new deployment.'
        }`,
      );
    }
    if (newDefinition && newDefinition.status !== 'ACTIVE') {
      throw new AwsError('ClientException', 'TaskDefinition is inactive');
    }
    if (input.desiredCount !== undefined) {
      if (!Number.isInteger(input.desiredCount) || input.desiredCount < 0) {
        throw new AwsError('InvalidParameterException', 'Desired count must be a non-negative integer.');
      }
    }
    if (input.deploymentConfiguration) {
      service.deploymentConfiguration = mergeConfiguration(
        service.deploymentConfiguration,
        input.deploymentConfiguration,
      );
    }
    const placement = placementOf(input, service.placement);
    const placementChanged = JSON.stringify(placement) !== JSON.stringify(service.placement);
    service.placement = placement;
    if (input.desiredCount !== undefined) service.desiredCount = input.desiredCount;
    if (changesDefinition || input.forceNewDeployment || placementChanged) {
      service.deploy(newDefinition ?? service.primary.taskDefinition);
    } else {
      service.reconcile();
    }
    return { service: renderService(service, false) };
  }

  deleteService(region: string, input: { cluster?: string; service?: string; force?: boolean }): unknown {
    const cluster = this.cluster(region, input.cluster);
    const service = cluster.services.get(serviceName(input.service ?? ''));
    if (!service || service.status === 'INACTIVE') throw new AwsError('ServiceNotFoundException', 'Service not found.');
    if (service.status === 'ACTIVE' && service.desiredCount > 0 && !input.force) {
      throw new AwsError('InvalidParameterException', 'The service cannot be stopped while it is scaled above 0.');
    }
    service.drain();
    return { service: renderService(service, false) };
  }

  describeServices(region: string, input: { cluster?: string; services?: string[]; include?: string[] }): unknown {
    const cluster = this.cluster(region, input.cluster);
    const refs = input.services ?? [];
    if (refs.length === 0) throw new AwsError('InvalidParameterException', 'Services cannot be empty.');
    if (refs.length > 10) {
      throw new AwsError(
        'InvalidParameterException',
        "1 validation error detected: Value at 'services' failed to satisfy constraint: Member must have length less than or equal to 10",
      );
    }
    const services: unknown[] = [];
    const failures: unknown[] = [];
    const includeTags = input.include?.includes('TAGS') ?? false;
    for (const ref of refs) {
      const service = cluster.services.get(serviceName(ref));
      if (service) services.push(renderService(service, includeTags));
      else {
        failures.push({
          arn: `arn:aws:ecs:${region}:${this.accountId}:service/${cluster.name}/${serviceName(ref)}`,
          reason: 'MISSING',
        });
      }
    }
    return { services, failures };
  }

  listServices(
    region: string,
    input: { cluster?: string; launchType?: string; maxResults?: number; nextToken?: string },
  ): unknown {
    const cluster = this.cluster(region, input.cluster);
    const arns = [...cluster.services.values()]
      .filter((s) => s.status !== 'INACTIVE')
      .filter((s) => input.launchType === undefined || s.placement.launchType === input.launchType)
      .map((s) => s.arn);
    return page(arns, input.maxResults ?? 10, input.nextToken, 'serviceArns');
  }

  describeServiceDeployments(region: string, input: { serviceDeploymentArns?: string[] }): unknown {
    const arns = input.serviceDeploymentArns ?? [];
    if (arns.length === 0 || arns.length > 20) {
      throw new AwsError('InvalidParameterException', 'serviceDeploymentArns must hold between 1 and 20 ARNs.');
    }
    const serviceDeployments: unknown[] = [];
    const failures: unknown[] = [];
    for (const arn of arns) {
      const found = this.findRecord(region, arn);
      if (found) serviceDeployments.push(renderServiceDeployment(found.service, found.record));
      else failures.push({ arn, reason: 'MISSING' });
    }
    return { serviceDeployments, failures };
  }

  listServiceDeployments(
    region: string,
    input: {
      cluster?: string;
      service?: string;
      status?: string[];
      createdAt?: { before?: number | string; after?: number | string };
      maxResults?: number;
      nextToken?: string;
    },
  ): unknown {
    if (input.status !== undefined && !Array.isArray(input.status)) {
      throw new AwsError('SerializationException', 'Unexpected value type for member "status".');
    }
    const cluster = this.cluster(region, input.cluster);
    const service = cluster.services.get(serviceName(input.service ?? ''));
    if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
    const before = toMillis(input.createdAt?.before);
    const after = toMillis(input.createdAt?.after);
    const briefs = service.records
      .filter((r) => !input.status || input.status.length === 0 || input.status.includes(r.status))
      .filter((r) => (before === undefined || r.createdAt <= before) && (after === undefined || r.createdAt >= after))
      .map((r) => renderServiceDeploymentBrief(service, r));
    return page(briefs, input.maxResults ?? 20, input.nextToken, 'serviceDeployments');
  }

  describeServiceRevisions(region: string, input: { serviceRevisionArns?: string[] }): unknown {
    const arns = input.serviceRevisionArns ?? [];
    if (arns.length === 0 || arns.length > 20) {
      throw new AwsError('InvalidParameterException', 'serviceRevisionArns must hold between 1 and 20 ARNs.');
    }
    const serviceRevisions: unknown[] = [];
    const failures: unknown[] = [];
    for (const arn of arns) {
      const found = this.findRevision(region, arn);
      if (!found) {
        failures.push({ arn, reason: 'MISSING' });
        continue;
      }
      serviceRevisions.push(
        compact({
          serviceRevisionArn: arn,
          serviceArn: found.service.arn,
          clusterArn: found.service.clusterArn,
          taskDefinition: found.deployment.taskDefinition.taskDefinitionArn,
          launchType: found.deployment.placement.launchType,
          platformVersion: found.deployment.placement.platformVersion,
          networkConfiguration: found.deployment.placement.networkConfiguration,
          createdAt: new Date(found.deployment.revision.createdAt),
        }),
      );
    }
    return { serviceRevisions, failures };
  }

  // ---- one-off tasks ----------------------------------------------------------------------------------------

  runTask(region: string, input: Record<string, any>): unknown {
    const cluster = this.cluster(region, input.cluster);
    // RunTask is idempotent by clientToken: a retry of a call whose answer was lost gets the tasks it already started.
    const token = typeof input.clientToken === 'string' ? `${region}/${input.clientToken}` : undefined;
    const earlier = token ? this.runTaskTokens.get(token) : undefined;
    if (earlier) return { tasks: earlier.map((t) => renderTask(t, false)), failures: [] };
    const registry = this.region(region).registry;
    const definition = registry.get(input.taskDefinition);
    if (definition.status !== 'ACTIVE') throw new AwsError('ClientException', 'TaskDefinition is inactive');
    const count = input.count ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > 10) {
      throw new AwsError('InvalidParameterException', 'Task count must be between 1 and 10.');
    }
    if (input.launchType && input.capacityProviderStrategy?.length) {
      throw new AwsError(
        'InvalidParameterException',
        'Specifying both a launch type and capacity provider strategy is not supported.',
      );
    }
    if (typeof input.startedBy === 'string' && input.startedBy.length > 128) {
      throw new AwsError('InvalidParameterException', 'startedBy must be at most 128 characters.');
    }
    const body = definition.body as { networkMode?: string; containerDefinitions: ContainerDefinition[] };
    if (body.networkMode === 'awsvpc' && !input.networkConfiguration?.awsvpcConfiguration) {
      throw new AwsError(
        'InvalidParameterException',
        "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
      );
    }
    const names = new Set(body.containerDefinitions.map((c) => c.name));
    for (const override of (input.overrides?.containerOverrides ?? []) as { name?: string }[]) {
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
        arn: `arn:aws:ecs:${region}:${this.accountId}:container-instance/${cluster.name}/${taskId()}`,
        reason: failure,
      }));
      return { tasks: [], failures };
    }
    const launchType =
      input.capacityProviderStrategy?.length > 0
        ? undefined
        : (input.launchType ??
          (Array.isArray((definition.body as any).requiresCompatibilities)
            ? (definition.body as any).requiresCompatibilities[0]
            : 'EC2'));
    const tasks: Task[] = [];
    for (let i = 0; i < count; i++) {
      const id = taskId();
      const task = new Task(
        id,
        `arn:aws:ecs:${region}:${this.accountId}:task/${cluster.name}/${id}`,
        this.plans(region, definition, id, commandOverrides(input.overrides)),
        this.taskEnvironment(region, undefined),
        {
          clusterArn: cluster.arn,
          taskDefinitionArn: definition.taskDefinitionArn,
          group: input.group ?? `family:${definition.family}`,
          startedBy: input.startedBy,
          launchType,
          capacityProviderName: input.capacityProviderStrategy?.[0]?.capacityProvider,
          platformVersion:
            launchType === 'FARGATE' || input.capacityProviderStrategy ? (input.platformVersion ?? '1.4.0') : undefined,
          cpu: (input.overrides?.cpu ?? (definition.body as any).cpu) as string | undefined,
          memory: (input.overrides?.memory ?? (definition.body as any).memory) as string | undefined,
          overrides: { containerOverrides: [], inferenceAcceleratorOverrides: [], ...(input.overrides ?? {}) },
          networkConfiguration: input.networkConfiguration,
          tags: input.tags ?? [],
        },
      );
      cluster.tasks.set(id, task);
      tasks.push(task);
    }
    const rendered = tasks.map((t) => renderTask(t, false));
    for (const task of tasks) task.start();
    if (token) this.runTaskTokens.set(token, tasks);
    return { tasks: rendered, failures: [] };
  }

  describeTasks(region: string, input: { cluster?: string; tasks?: string[]; include?: string[] }): unknown {
    const cluster = this.cluster(region, input.cluster);
    const refs = input.tasks ?? [];
    if (refs.length === 0) throw new AwsError('InvalidParameterException', 'Tasks cannot be empty.');
    if (refs.length > 100) throw new AwsError('InvalidParameterException', 'Tasks cannot have more than 100 elements.');
    const tasks: unknown[] = [];
    const failures: unknown[] = [];
    for (const ref of refs) {
      const task = cluster.tasks.get(ref.split('/').at(-1)!);
      if (task) tasks.push(renderTask(task, input.include?.includes('TAGS') ?? false));
      else {
        failures.push({
          arn: ref.startsWith('arn:') ? ref : `arn:aws:ecs:${region}:${this.accountId}:task/${cluster.name}/${ref}`,
          reason: 'MISSING',
        });
      }
    }
    return { tasks, failures };
  }

  stopTask(region: string, input: { cluster?: string; task?: string; reason?: string }): unknown {
    const cluster = this.cluster(region, input.cluster);
    const task = input.task ? cluster.tasks.get(input.task.split('/').at(-1)!) : undefined;
    if (!task) throw new AwsError('InvalidParameterException', 'The referenced task was not found.');
    if (input.reason !== undefined && input.reason.length > 255) {
      throw new AwsError('InvalidParameterException', 'Reason must be at most 255 characters.');
    }
    task.stop('UserInitiated', input.reason ?? 'Task stopped by user');
    return { task: renderTask(task, false) };
  }

  listTasks(
    region: string,
    input: {
      cluster?: string;
      family?: string;
      serviceName?: string;
      startedBy?: string;
      desiredStatus?: 'RUNNING' | 'PENDING' | 'STOPPED';
      launchType?: string;
      maxResults?: number;
      nextToken?: string;
    },
  ): unknown {
    const cluster = this.cluster(region, input.cluster);
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
    return page(arns, input.maxResults ?? 100, input.nextToken, 'taskArns');
  }

  // ---- internals --------------------------------------------------------------------------------------------

  private activeService(region: string, clusterRef: string | undefined, reference: string | undefined): Service {
    const cluster = this.cluster(region, clusterRef);
    const service = reference ? cluster.services.get(serviceName(reference)) : undefined;
    if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
    if (service.status !== 'ACTIVE') throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
    return service;
  }

  private newService(region: string, cluster: Cluster, input: Record<string, any>): Service {
    const host: ServiceHost = {
      clock: this.clock,
      launch: (service, deployment) => this.launchServiceTask(region, service, deployment, false),
      alarmInAlarm: (name) => this.alarmState(name) === 'ALARM',
      alarmBakeTime: this.section.alarmBakeTime,
      record: (change) => this.transitions.push(change),
    };
    const service = new Service(
      `arn:aws:ecs:${region}:${this.accountId}:service/${cluster.name}/${input.serviceName}`,
      input.serviceName,
      cluster.name,
      cluster.arn,
      input.deploymentController?.type ?? 'ECS',
      input.desiredCount ?? 0,
      mergeConfiguration(DEFAULT_CONFIGURATION(), input.deploymentConfiguration ?? {}),
      placementOf(input, {}),
      { tags: input.tags ?? [], createdBy: `arn:aws:iam::${this.accountId}:role/sandbox` },
      host,
    );
    cluster.services.set(service.name, service);
    return service;
  }

  /** Service tasks; `steady` ones (the scenario's starting point) are RUNNING and healthy at once. */
  private launchServiceTask(region: string, service: Service, deployment: Deployment, steady: boolean): Task {
    const cluster = this.cluster(region, service.clusterName);
    const id = taskId();
    const definition = deployment.taskDefinition;
    const plans = this.plans(region, definition, id);
    if (steady) {
      for (const plan of plans)
        plan.behaviour = { ...plan.behaviour, outcome: 'healthy', startDelay: 0, healthyAfter: 0 };
    }
    const task = new Task(
      id,
      `arn:aws:ecs:${region}:${this.accountId}:task/${cluster.name}/${id}`,
      plans,
      this.taskEnvironment(region, service),
      {
        clusterArn: cluster.arn,
        taskDefinitionArn: definition.taskDefinitionArn,
        group: `service:${service.name}`,
        startedBy: deployment.id,
        launchType: deployment.placement.launchType,
        platformVersion:
          deployment.placement.launchType === 'FARGATE' ? (deployment.placement.platformVersion ?? '1.4.0') : undefined,
        cpu: (definition.body as any).cpu,
        memory: (definition.body as any).memory,
        overrides: { containerOverrides: [], inferenceAcceleratorOverrides: [] },
        networkConfiguration: deployment.placement.networkConfiguration,
        tags: [],
        serviceName: service.name,
        deploymentId: deployment.id,
      },
    );
    cluster.tasks.set(id, task);
    if (steady) {
      // The scenario's starting point: already running and healthy, no lifecycle to wait for.
      task.lastStatus = 'RUNNING';
      task.startedAt = this.clock.now();
      task.pullStartedAt = task.pullStoppedAt = task.startedAt;
      task.healthy = true;
      task.healthStatus = 'HEALTHY';
      for (const c of task.containers) {
        c.lastStatus = 'RUNNING';
        c.healthStatus = 'HEALTHY';
      }
      task.history.push({ status: 'RUNNING', at: task.startedAt });
    } else {
      this.clock.after(0, () => task.start());
    }
    return task;
  }

  private taskEnvironment(region: string, service: Service | undefined) {
    return {
      clock: this.clock,
      timings: this.section.timings,
      writeLogs: (logRegion: string, group: string, stream: string, lines: string[]) =>
        this.logs()?.append(logRegion || region, group, stream, lines),
      changed: (task: Task) => {
        this.watchImageAlarms(task);
        service?.onTaskChanged(task);
      },
    };
  }

  /** Alarms fed by an image: ALARM once a task with it has run long enough, OK when none runs any more. */
  private watchImageAlarms(task: Task): void {
    for (const alarm of this.section.alarms) {
      if (!alarm.whenImageRuns) continue;
      const image = alarm.whenImageRuns;
      if (!task.containers.some((c) => imageMatches(c.image, image))) continue;
      if (task.lastStatus === 'RUNNING' && task.history.at(-1)?.at === this.clock.now()) {
        this.clock.after(alarm.after, () => {
          if (task.alive && task.lastStatus === 'RUNNING') this.setAlarm(alarm.name, 'ALARM');
        });
      }
      if (!task.alive) {
        const stillRunning = [...this.allTasks()].some(
          (t) => t.alive && t.lastStatus === 'RUNNING' && t.containers.some((c) => imageMatches(c.image, image)),
        );
        if (!stillRunning && this.alarmState(alarm.name) === 'ALARM') {
          this.clock.after(alarm.okAfter, () => {
            const again = [...this.allTasks()].some(
              (t) => t.alive && t.lastStatus === 'RUNNING' && t.containers.some((c) => imageMatches(c.image, image)),
            );
            if (!again) this.setAlarm(alarm.name, 'OK');
          });
        }
      }
    }
  }

  private *allTasks(): Iterable<Task> {
    for (const region of this.regions.values()) {
      for (const cluster of region.clusters.values()) yield* cluster.tasks.values();
    }
  }

  /** What each container runs and where its awslogs output goes. A command override picks the image's behaviour for
   *  that command (`commands` in the scenario), so one image can serve and also run a migration. */
  private plans(
    region: string,
    definition: TaskDefinition,
    id: string,
    commands: ReadonlyMap<string, string> = new Map(),
  ): ContainerPlan[] {
    const containers = (definition.body as { containerDefinitions: ContainerDefinition[] }).containerDefinitions;
    return containers.map((c) => {
      const options = c.logConfiguration?.logDriver === 'awslogs' ? (c.logConfiguration.options ?? {}) : undefined;
      const group = options?.['awslogs-group'];
      const prefix = options?.['awslogs-stream-prefix'];
      return {
        name: c.name,
        image: c.image,
        essential: c.essential !== false,
        behaviour: this.behaviour(c.image, commands.get(c.name) ?? commandOf(c)),
        logs:
          options && group
            ? {
                region: options['awslogs-region'] ?? region,
                group,
                stream: prefix ? `${prefix}/${c.name}/${id}` : id,
              }
            : undefined,
      };
    });
  }

  /** The scenario's behaviour for an image (exact reference, or the part after the registry host; an image pinned by
   *  digest also matches the tags ECR holds for that digest), and for the command it runs when one is given. */
  behaviour(image: string, command?: string): Behaviour {
    const candidates = [image, ...this.taggedAliases(image)];
    const entry = Object.entries(this.section.images).find(([key]) => candidates.some((c) => imageMatches(c, key)));
    const key = entry?.[0] ?? '*';
    const imageSection: ImageSection = entry?.[1] ?? this.section.defaultImage;
    const forCommand = command !== undefined ? imageSection.commands[command] : undefined;
    const section = forCommand ? { ...forCommand, commands: {} } : imageSection;
    let outcome = section.behaviour ?? (section.duration !== undefined ? 'exits' : 'healthy');
    if (section.sequence) {
      const n = this.sequenceCounters.get(key) ?? 0;
      this.sequenceCounters.set(key, n + 1);
      outcome = section.sequence[n % section.sequence.length]!;
    }
    return {
      outcome,
      startDelay: section.startDelay,
      healthyAfter: section.healthyAfter,
      after: section.after,
      duration: section.duration,
      exitCode: section.exitCode ?? (outcome === 'crashes' ? 1 : 0),
      reason:
        section.reason ??
        `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${image}: not found`,
      straightToStopped: section.straightToStopped,
      lines: () => {
        const lines = [...section.logLines];
        for (let i = 1; i <= section.generatedLines; i++)
          lines.push(`generated line ${i} of ${section.generatedLines}`);
        return lines;
      },
    };
  }

  /** `repo:tag` for each tag ECR holds on the digest of `repo@sha256:...`; none for other references. */
  private taggedAliases(image: string): string[] {
    const at = image.indexOf('@sha256:');
    if (at < 0 || !this.images) return [];
    const repository = image.slice(0, at);
    return this.images(repository, image.slice(at + 1)).map((tag) => `${repository}:${tag}`);
  }

  private placementFailure(family: string): string | undefined {
    for (const [index, failure] of this.section.placementFailures.entries()) {
      if (failure.family !== undefined && failure.family !== family) continue;
      const used = this.placementFailuresUsed.get(index) ?? 0;
      if (failure.times !== undefined && used >= failure.times) continue;
      this.placementFailuresUsed.set(index, used + 1);
      return failure.reason;
    }
    return undefined;
  }

  private findRecord(region: string, arn: string) {
    for (const cluster of this.region(region).clusters.values()) {
      for (const service of cluster.services.values()) {
        const record = service.records.find((r) => r.arn === arn);
        if (record) return { service, record };
      }
    }
    return undefined;
  }

  private findRevision(region: string, arn: string) {
    for (const cluster of this.region(region).clusters.values()) {
      for (const service of cluster.services.values()) {
        for (const record of service.records) {
          for (const deployment of [
            record.targetDeployment,
            record.rollbackDeployment,
            ...record.sources.map((s) => s.deployment),
          ]) {
            if (deployment?.revision.arn === arn) return { service, deployment };
          }
        }
      }
    }
    return undefined;
  }
}

function clusterName(reference: string | undefined): string {
  if (!reference) return 'default';
  return reference.includes(':cluster/') ? reference.split(':cluster/')[1]! : reference;
}

function serviceName(reference: string): string {
  return reference.startsWith('arn:') ? reference.split('/').at(-1)! : reference;
}

/** The command each container override runs, words joined by spaces. */
function commandOverrides(overrides: unknown): Map<string, string> {
  const result = new Map<string, string>();
  const list = (overrides as { containerOverrides?: { name?: string; command?: string[] }[] } | undefined)
    ?.containerOverrides;
  for (const override of list ?? []) {
    if (override.name && Array.isArray(override.command)) result.set(override.name, override.command.join(' '));
  }
  return result;
}

function commandOf(container: ContainerDefinition): string | undefined {
  const command = (container as { command?: unknown }).command;
  return Array.isArray(command) ? command.join(' ') : undefined;
}

export function imageMatches(image: string, key: string): boolean {
  return image === key || image.endsWith(`/${key}`);
}

function mergeConfiguration(current: DeploymentConfiguration, update: Record<string, any>): DeploymentConfiguration {
  const merged: DeploymentConfiguration = { ...structuredClone(current), ...structuredClone(update) };
  merged.maximumPercent = update.maximumPercent ?? current.maximumPercent;
  merged.minimumHealthyPercent = update.minimumHealthyPercent ?? current.minimumHealthyPercent;
  merged.deploymentCircuitBreaker = update.deploymentCircuitBreaker
    ? structuredClone(update.deploymentCircuitBreaker)
    : current.deploymentCircuitBreaker;
  if (merged.maximumPercent < 100 && merged.minimumHealthyPercent >= 100) {
    throw new AwsError(
      'InvalidParameterException',
      'The maximumPercent must be at least 100 when minimumHealthyPercent is 100.',
    );
  }
  return merged;
}

function placementOf(input: Record<string, any>, current: Placement): Placement {
  return compact({
    launchType: input.capacityProviderStrategy ? undefined : (input.launchType ?? current.launchType),
    platformVersion: input.platformVersion ?? current.platformVersion,
    capacityProviderStrategy: input.capacityProviderStrategy ?? current.capacityProviderStrategy,
    networkConfiguration: input.networkConfiguration ?? current.networkConfiguration,
  }) as Placement;
}

function toMillis(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'number' ? value * 1000 : Date.parse(value);
}

function page<T>(items: T[], maxResults: number, nextToken: string | undefined, key: string): Record<string, unknown> {
  const start = nextToken ? Number(Buffer.from(nextToken, 'base64url').toString('utf8')) || 0 : 0;
  const slice = items.slice(start, start + maxResults);
  return compact({
    [key]: slice,
    nextToken:
      start + maxResults < items.length ? Buffer.from(String(start + maxResults)).toString('base64url') : undefined,
  });
}
