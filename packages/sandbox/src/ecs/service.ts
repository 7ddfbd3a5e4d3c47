// A service under the ECS deployment controller: its deployments, the scheduler that launches and drains tasks within
// the minimum-healthy and maximum percent bounds, the circuit breaker, alarm monitoring, rollback, and the
// service-deployment records that mirror `deployments[]`. Blue/green, linear and canary deployments are driven stage
// by stage by a TrafficShift (traffic-shift.ts) instead of the rolling scheduler.
import type * as sdk from '@aws-sdk/client-ecs';
import type { SandboxClock } from '../core/module.js';
import {
  isFinished,
  logRollout,
  newDeployment,
  newRecord,
  newRevision,
  setRecordStatus,
  type Deployment,
  type DeploymentConfiguration,
  type DeploymentOwner,
  type Placement,
  type ServiceDeploymentRecord,
  type TransitionRecord,
} from './deployments.js';
import { uuid } from './ids.js';
import { completedLifecycle, shiftsTraffic, strategyOf } from './lifecycle.js';
import { rollingPass } from './rolling.js';
import type { Task } from './task.js';
import type { TaskDefinition } from './task-definitions.js';
import { TrafficShift, type ShiftHost, type ShiftOwner } from './traffic-shift.js';

/** What a service answers with beyond its deployments. */
export interface ServiceExtras {
  tags: sdk.Tag[];
  createdBy: string;
  enableECSManagedTags: boolean;
  propagateTags: sdk.PropagateTags;
  /** With ARNs (scenario names resolved); blue/green traffic shifting uses their advancedConfiguration. */
  loadBalancers: sdk.LoadBalancer[];
}

export interface ServiceEvent {
  id: string;
  createdAt: number;
  message: string;
}

/** What a service needs from the world around it. */
export interface ServiceHost {
  clock: SandboxClock;
  launch(service: Service, deployment: Deployment): Task;
  /** Why the deployment's tasks cannot be placed (an EC2 cluster without container instances), if they cannot. */
  placementProblem(deployment: Deployment): string | undefined;
  alarmInAlarm(name: string): boolean;
  /** Scenario seconds ECS keeps watching a deployment's alarms once it is steady, before calling it COMPLETED. */
  alarmBakeTime: number;
  /** Every rollout-state and service-deployment status change, for tests and benchmarks. */
  log(change: TransitionRecord): void;
  /** Timing, hook answers and listener rules for blue/green, linear and canary deployments. */
  traffic: Omit<ShiftHost, 'clock'>;
}

const MAX_EVENTS = 100;
const STOPPING_OR_AFTER: readonly string[] = ['STOPPING', 'DEPROVISIONING', 'STOPPED'];

export class Service implements DeploymentOwner, ShiftOwner {
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE' = 'ACTIVE';
  desiredCount: number;
  deploymentConfiguration: DeploymentConfiguration;
  placement: Placement;
  deployments: Deployment[] = [];
  events: ServiceEvent[] = [];
  records: ServiceDeploymentRecord[] = [];
  lastCompleted?: Deployment;
  /** The blue/green, linear or canary deployment being driven, if any. */
  shift?: TrafficShift;
  /** Under the CODE_DEPLOY controller: the CodeDeploy deployment moving the task sets, while one runs. */
  taskSetDriver?: { reconcile(): void };
  readonly createdAt: number;
  /** Every task the service ever launched (stopped ones included). */
  readonly tasks: Task[] = [];
  private reconciling = false;
  private dirty = false;
  /** "has reached a steady state" was said for the current steady spell (the rolling pass says it). */
  steadyAnnounced = false;
  private readonly counted = new Set<Task>();
  /** The deployment whose tasks could not be placed, once said. */
  private unplaceable?: Deployment;

  constructor(
    readonly arn: string,
    readonly name: string,
    readonly clusterName: string,
    readonly clusterArn: string,
    readonly deploymentController: 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL',
    desiredCount: number,
    deploymentConfiguration: DeploymentConfiguration,
    placement: Placement,
    readonly extra: ServiceExtras,
    private readonly host: ServiceHost,
  ) {
    this.createdAt = host.clock.now();
    this.desiredCount = desiredCount;
    this.deploymentConfiguration = deploymentConfiguration;
    this.placement = placement;
  }

  get clock(): SandboxClock {
    return this.host.clock;
  }

  log(change: TransitionRecord): void {
    this.host.log(change);
  }

  get primary(): Deployment {
    return this.deployments[0]!;
  }

  get taskDefinitionArn(): string {
    return this.primary.taskDefinition.taskDefinitionArn;
  }

  get currentServiceDeployment(): string | undefined {
    return this.records[0]?.arn;
  }

  /** Starts a deployment of `taskDefinition` (CreateService, UpdateService with a change, or forceNewDeployment). */
  deploy(taskDefinition: TaskDefinition): Deployment {
    const now = this.host.clock.now();
    const previous = this.deployments[0];
    const before = this.shift;
    before?.stop();
    this.shift = undefined;
    // Blue: the revision that has the production traffic (a deployment still shifting has not given it all away).
    const blue =
      before && before.phase !== 'done'
        ? before.lifecycle.production >= 100
          ? before.green
          : (before.blue ?? previous)
        : previous;
    const deployment = newDeployment(this, taskDefinition, this.revisionFor(taskDefinition, blue), false);
    const sources = this.deployments
      .filter((d) => d.tasks.some((t) => t.alive))
      .map((d) => ({ revision: d.revision, deployment: d }));
    const record = newRecord(this, deployment, sources, false);
    deployment.record = record;
    // A deployment still under way is superseded: it stays listed (ACTIVE) and is drained.
    const superseded = this.records[0];
    if (superseded && !isFinished(superseded.status)) {
      setRecordStatus(this, superseded, 'STOPPED', 'Service deployment stopped: a newer service deployment started.');
      superseded.stoppedAt = now;
    }
    if (previous) previous.status = 'ACTIVE';
    this.deployments.unshift(deployment);
    this.records.unshift(record);
    setRecordStatus(this, record, 'IN_PROGRESS');
    logRollout(this, deployment);
    this.steadyAnnounced = false;
    if (shiftsTraffic(this.deploymentConfiguration) && this.deploymentController === 'ECS') {
      const running = (d: Deployment | undefined) => d !== undefined && d.tasks.some((t) => t.alive);
      const others = this.deployments.filter((d) => d !== deployment && d !== blue && running(d));
      this.shift = new TrafficShift(
        this,
        { clock: this.host.clock, ...this.host.traffic },
        deployment,
        running(blue) ? blue : undefined,
        others,
      );
      this.shift.start();
    }
    this.reconcile();
    return deployment;
  }

  /** Adopts the scenario's starting point: a COMPLETED deployment whose tasks are already running and healthy. */
  adoptSteady(taskDefinition: TaskDefinition, launchHealthy: (deployment: Deployment) => void): void {
    const now = this.host.clock.now();
    const deployment = newDeployment(this, taskDefinition, this.revisionFor(taskDefinition, undefined), false);
    deployment.rolloutState = 'COMPLETED';
    deployment.rolloutStateReason = `ECS deployment ${deployment.id} completed.`;
    deployment.rolloutHistory = [{ state: 'COMPLETED', reason: deployment.rolloutStateReason, at: now }];
    deployment.record = newRecord(this, deployment, [], true);
    if (shiftsTraffic(this.deploymentConfiguration)) {
      deployment.record.lifecycle = completedLifecycle(strategyOf(this.deploymentConfiguration), now);
    }
    this.deployments = [deployment];
    this.records = [deployment.record];
    this.lastCompleted = deployment;
    launchHealthy(deployment);
    this.event('has reached a steady state.');
    this.steadyAnnounced = true;
  }

  /** DeleteService: DRAINING until every task is STOPPING or further along (STOPPING_OR_AFTER), then INACTIVE. */
  drain(): void {
    this.shift?.stop();
    this.status = 'DRAINING';
    this.desiredCount = 0;
    this.reconcile();
  }

  /** The scheduler: called after every task change, alarm change and update. Re-entrant calls are folded. */
  reconcile(): void {
    if (this.reconciling) {
      this.dirty = true;
      return;
    }
    this.reconciling = true;
    try {
      do {
        this.dirty = false;
        this.reconcileOnce();
      } while (this.dirty);
    } finally {
      this.reconciling = false;
    }
  }

  onTaskChanged(task: Task): void {
    const deployment = this.deployments.find((d) => d.tasks.includes(task));
    if (deployment) {
      if (task.lastStatus === 'RUNNING') deployment.breaker.taskRunning();
      if (!this.counted.has(task) && (task.failed || task.healthy)) {
        this.counted.add(task);
        if (task.failed) this.taskFailed(deployment, task);
        else if (deployment.rolloutState === 'IN_PROGRESS') {
          deployment.breaker.taskHealthy();
          if (deployment.breaker.resetOnHealthyTask) deployment.failedTasks = 0;
        }
      }
      if (deployment.record.targetDeployment === deployment) {
        deployment.record.circuitBreaker.failureCount = deployment.breaker.failures;
      }
    }
    this.reconcile();
  }

  private reconcileOnce(): void {
    if (this.status === 'INACTIVE') return;
    if (this.status === 'DRAINING') {
      this.stopTasks(
        this.tasks.filter((t) => t.alive),
        'Service is being deleted.',
      );
      if (this.tasks.every((t) => STOPPING_OR_AFTER.includes(t.lastStatus))) this.status = 'INACTIVE';
      return;
    }
    if (this.shift && this.shift.phase !== 'done') {
      this.shift.reconcile();
      return;
    }
    if (this.taskSetDriver) return this.taskSetDriver.reconcile();
    rollingPass(this);
  }

  /** Launches up to `count` tasks of `deployment` and says so; none when they cannot be placed (said once). */
  launchTasks(deployment: Deployment, count: number): Task[] {
    if (count <= 0) return [];
    const problem = this.host.placementProblem(deployment);
    if (problem) {
      // Said once per deployment, not on every pass.
      if (this.unplaceable !== deployment) {
        this.event(
          `was unable to place a task because no container instance met all of its requirements. Reason: ${problem} For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`,
        );
        this.unplaceable = deployment;
      }
      return [];
    }
    const started: Task[] = [];
    for (let i = 0; i < count; i++) {
      const task = this.host.launch(this, deployment);
      deployment.tasks.push(task);
      this.tasks.push(task);
      started.push(task);
    }
    this.event(`has started ${started.length} tasks: ${started.map((t) => `(task ${t.id})`).join(' ')}.`);
    // Read the clock now: a failure may have started this (rollback) deployment after the scheduler's pass began.
    deployment.updatedAt = this.host.clock.now();
    return started;
  }

  /** "has reached a steady state", once per steady spell. */
  announceSteady(): void {
    if (this.steadyAnnounced) return;
    this.event('has reached a steady state.');
    this.steadyAnnounced = true;
  }

  /** A revision of `taskDefinition`, registered with the target group of each load balancer that `blue` does not
   *  use (blue/green alternates between the two), or the production one. */
  private revisionFor(taskDefinition: TaskDefinition, blue: Deployment | undefined): ReturnType<typeof newRevision> {
    const revision = newRevision(this, taskDefinition);
    const loadBalancers = this.extra.loadBalancers;
    revision.loadBalancers = structuredClone(loadBalancers);
    revision.targetGroups = loadBalancers.map((lb, i) => {
      const primary = lb.targetGroupArn ?? '';
      const alternate = lb.advancedConfiguration?.alternateTargetGroupArn;
      if (!alternate || !shiftsTraffic(this.deploymentConfiguration) || !blue) return primary;
      return (blue.revision.targetGroups?.[i] ?? primary) === primary ? alternate : primary;
    });
    return revision;
  }

  /** With alarm monitoring, a steady deployment completes only after the bake time passed without an alarm. */
  baked(deployment: Deployment): boolean {
    const bake = this.host.alarmBakeTime;
    const monitors = deployment.monitorsAlarms && deployment.record.deploymentConfiguration.alarms?.enable;
    if (bake <= 0 || !monitors) return true;
    const now = this.host.clock.now();
    if (deployment.bakeStartedAt === undefined) {
      deployment.bakeStartedAt = now;
      this.host.clock.after(bake, () => this.reconcile());
      return false;
    }
    // A millisecond of slack: a real timer may fire on the boundary of Date.now()'s rounding.
    return now - deployment.bakeStartedAt >= this.host.clock.scaled(bake) - 1;
  }

  removeDeployment(deployment: Deployment): void {
    deployment.status = 'INACTIVE';
    this.deployments = this.deployments.filter((d) => d !== deployment);
  }

  private taskFailed(deployment: Deployment, task: Task): void {
    deployment.totalFailedTasks++;
    if (task.healthStatus === 'UNHEALTHY') this.event(`(task ${task.id}) failed container health checks.`);
    else if (task.stopCode === 'TaskFailedToStart')
      this.event(`(task ${task.id}) failed to start: ${task.stoppedReason}`);
    if (deployment.rolloutState !== 'IN_PROGRESS' || deployment !== this.primary) return;
    deployment.failedTasks++;
    deployment.breaker.taskFailed(task.startedAt !== undefined);
    deployment.updatedAt = this.host.clock.now();
    deployment.record.updatedAt = deployment.updatedAt;
  }

  complete(deployment: Deployment): void {
    const now = this.host.clock.now();
    deployment.rolloutState = 'COMPLETED';
    deployment.rolloutStateReason = `ECS deployment ${deployment.id} completed.`;
    deployment.updatedAt = now;
    logRollout(this, deployment);
    this.lastCompleted = deployment;
    const record = deployment.record;
    if (record.circuitBreaker.status === 'MONITORING') record.circuitBreaker.status = 'MONITORING_COMPLETE';
    if (record.alarms.status === 'MONITORING') record.alarms.status = 'MONITORING_COMPLETE';
    if (record.rollbackDeployment === deployment) {
      setRecordStatus(this, record, 'ROLLBACK_SUCCESSFUL', record.rollback?.reason);
    } else if (record.targetDeployment === deployment && !isFinished(record.status)) {
      setRecordStatus(this, record, 'SUCCESSFUL');
    }
    record.finishedAt ??= now;
    this.event(`(deployment ${deployment.id}) deployment completed.`);
  }

  /** The deployment's alarms in ALARM. ECS records the alarm configuration per service deployment (its `alarms`
   *  and `deploymentConfiguration`): the one in force when it started, so an UpdateService that only changes the
   *  service's alarms (which starts no deployment) applies from the next deployment on. */
  triggeredAlarms(deployment: Deployment): string[] {
    const alarms = deployment.record.deploymentConfiguration.alarms;
    if (!alarms?.enable || !deployment.monitorsAlarms) return [];
    return (alarms.alarmNames ?? []).filter((name) => this.host.alarmInAlarm(name));
  }

  stopTasks(tasks: Task[], reason: string, quiet = false): Task[] {
    const stopped: Task[] = [];
    for (const task of tasks) {
      if (!task.alive) continue;
      task.stop('ServiceSchedulerInitiated', reason);
      stopped.push(task);
    }
    if (!quiet && stopped.length > 0) {
      this.event(`has stopped ${stopped.length} running tasks: ${stopped.map((t) => `(task ${t.id})`).join(' ')}.`);
    }
    return stopped;
  }

  event(text: string): void {
    this.events.unshift({ id: uuid(), createdAt: this.host.clock.now(), message: `(service ${this.name}) ${text}` });
    if (this.events.length > MAX_EVENTS) this.events.length = MAX_EVENTS;
  }
}
