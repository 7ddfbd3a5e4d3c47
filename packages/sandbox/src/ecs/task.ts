// One ECS task and its lifecycle, driven by the sandbox clock:
// PROVISIONING → PENDING → ACTIVATING → RUNNING → DEACTIVATING → STOPPING → DEPROVISIONING → STOPPED,
// or PENDING → STOPPED for a task that fails to start or is over before ECS reports it RUNNING.
import type * as sdk from '@aws-sdk/client-ecs';
import type { SandboxClock } from '../core/module.js';
import type { Outcome, Timings } from './scenario.js';

export type TaskStatus =
  'PROVISIONING' | 'PENDING' | 'ACTIVATING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPING' | 'DEPROVISIONING' | 'STOPPED';

export type StopCode =
  | 'TaskFailedToStart'
  | 'EssentialContainerExited'
  | 'UserInitiated'
  | 'ServiceSchedulerInitiated'
  | 'SpotInterruption'
  | 'TerminationNotice';

/** How one container behaves, resolved from the scenario's image table. */
export interface Behaviour {
  outcome: Outcome;
  startDelay: number;
  healthyAfter: number;
  after: number;
  duration: number | undefined;
  exitCode: number;
  reason: string;
  straightToStopped: boolean;
  lines(): string[];
}

export interface ContainerPlan {
  name: string;
  image: string;
  essential: boolean;
  behaviour: Behaviour;
  /** Where the awslogs driver sends its output, when it is configured. */
  logs?: { region: string; group: string; stream: string };
}

export interface ContainerState {
  containerArn: string;
  name: string;
  image: string;
  essential: boolean;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  exitCode?: number;
  reason?: string;
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
}

export interface TaskEnvironment {
  clock: SandboxClock;
  timings: Timings;
  /** Appends lines to a CloudWatch Logs stream (no-op when there is no Logs module). */
  writeLogs(region: string, group: string, stream: string, lines: string[]): void;
  /** Called after every change of state, so a service scheduler can react. */
  changed(task: Task): void;
}

/** Exit code of a container stopped by a signal (SIGTERM from a stop request). */
const SIGTERM_EXIT = 143;
/** Log lines are written in at most this many batches over a container's run. */
const LOG_BATCHES = 20;

export class Task {
  lastStatus: TaskStatus = 'PROVISIONING';
  desiredStatus: 'RUNNING' | 'STOPPED' = 'RUNNING';
  readonly createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  executionStoppedAt?: number;
  stoppedAt?: number;
  stopCode?: StopCode;
  stoppedReason?: string;
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN' = 'UNKNOWN';
  /** The task passed its health check (service tasks: counts toward the deployment). */
  healthy = false;
  /** The task failed to start, crashed before becoming healthy or failed its health checks. */
  failed = false;
  readonly containers: ContainerState[];
  /** Every status the task went through, with the instant (for tests and benchmarks). */
  readonly history: { status: TaskStatus; at: number }[] = [];
  private readonly timers = new Set<() => void>();
  private readonly outcome: Behaviour;

  constructor(
    readonly id: string,
    readonly arn: string,
    readonly plans: ContainerPlan[],
    private readonly env: TaskEnvironment,
    readonly details: TaskDetails,
  ) {
    this.createdAt = env.clock.now();
    this.containers = plans.map((p, i) => ({
      containerArn: `${arn.replace(':task/', ':container/')}/${i}`,
      name: p.name,
      image: p.image,
      essential: p.essential,
      lastStatus: 'PENDING',
      healthStatus: 'UNKNOWN',
    }));
    const essential = plans.filter((p) => p.essential);
    // The essential container that does something other than run healthily decides the task's fate.
    this.outcome = (essential.find((p) => p.behaviour.outcome !== 'healthy') ?? essential[0] ?? plans[0]!).behaviour;
    this.history.push({ status: 'PROVISIONING', at: this.createdAt });
  }

  get alive(): boolean {
    return this.desiredStatus === 'RUNNING';
  }

  /** The scenario's starting point: already running and healthy, no lifecycle to wait for. */
  startSteady(): void {
    const now = this.env.clock.now();
    this.lastStatus = 'RUNNING';
    this.startedAt = this.pullStartedAt = this.pullStoppedAt = now;
    this.healthy = true;
    this.healthStatus = 'HEALTHY';
    for (const c of this.containers) {
      c.lastStatus = 'RUNNING';
      c.healthStatus = 'HEALTHY';
    }
    this.history.push({ status: 'RUNNING', at: now });
  }

  start(): void {
    if (this.desiredStatus === 'STOPPED') return; // stopped before it was placed
    this.schedule(this.env.timings.provisioning, () => {
      this.pullStartedAt = this.env.clock.now();
      this.setStatus('PENDING');
      this.schedule(this.outcome.startDelay, () => this.pulled());
    });
  }

  /** Stops the task (StopTask, the service scheduler, a failed health check). Does nothing when already stopping. */
  stop(code: StopCode, reason: string): void {
    if (this.desiredStatus === 'STOPPED') return;
    this.cancelTimers();
    this.desiredStatus = 'STOPPED';
    this.stopCode = code;
    this.stoppedReason = reason;
    this.stoppingAt = this.env.clock.now();
    if (this.lastStatus === 'RUNNING') {
      this.setStatus('DEACTIVATING');
      this.schedule(this.env.timings.deactivating, () => {
        this.setStatus('STOPPING');
        this.schedule(this.env.timings.stopping, () => {
          this.executionStoppedAt = this.env.clock.now();
          for (const c of this.containers) {
            if (c.lastStatus === 'RUNNING') {
              c.lastStatus = 'STOPPED';
              c.exitCode = SIGTERM_EXIT;
            }
          }
          this.setStatus('DEPROVISIONING');
          this.schedule(this.env.timings.deprovisioning, () => this.finish());
        });
      });
    } else {
      // Never ran: no container has an exit code.
      for (const c of this.containers) c.lastStatus = 'STOPPED';
      this.setStatus('DEPROVISIONING');
      this.schedule(this.env.timings.deprovisioning, () => this.finish());
    }
    this.env.changed(this);
  }

  private pulled(): void {
    this.pullStoppedAt = this.env.clock.now();
    const b = this.outcome;
    if (b.outcome === 'fails-to-start') {
      this.failed = true;
      for (const c of this.containers) {
        c.lastStatus = 'STOPPED';
        c.reason = b.reason;
      }
      this.desiredStatus = 'STOPPED';
      this.stopCode = 'TaskFailedToStart';
      this.stoppedReason = b.reason;
      this.stoppingAt = this.env.clock.now();
      this.finish();
      return;
    }
    if (b.straightToStopped) {
      // Ran and exited between two agent reports: ECS never shows RUNNING.
      for (const plan of this.plans) this.writeAllLogs(plan);
      this.exited(b.exitCode, true);
      return;
    }
    this.setStatus('ACTIVATING');
    this.schedule(this.env.timings.activating, () => this.running());
  }

  private running(): void {
    this.startedAt = this.env.clock.now();
    for (const c of this.containers) c.lastStatus = 'RUNNING';
    this.setStatus('RUNNING');
    const b = this.outcome;
    const runFor = b.outcome === 'exits' ? (b.duration ?? 0) : b.outcome === 'crashes' ? b.after : 0;
    for (const plan of this.plans) this.paceLogs(plan, runFor);
    switch (b.outcome) {
      case 'healthy':
        this.schedule(b.healthyAfter, () => this.becameHealthy());
        break;
      case 'exits':
        // Without a failing health check a running task counts as healthy, until its container exits.
        // (no health check is reported, as for a container without one).
        if (b.healthyAfter < (b.duration ?? 0)) this.schedule(b.healthyAfter, () => this.becameHealthy(false));
        this.schedule(b.duration ?? 0, () => this.exited(b.exitCode, false));
        break;
      case 'crashes':
        this.schedule(b.after, () => {
          this.failed = !this.healthy;
          this.exited(b.exitCode, false);
        });
        break;
      case 'fails-health-checks':
        this.schedule(b.after, () => {
          this.failed = true;
          this.healthStatus = 'UNHEALTHY';
          for (const c of this.containers) if (c.essential) c.healthStatus = 'UNHEALTHY';
          // The scheduler replaces an unhealthy service task, and the task keeps its own reason even when its
          // failure is the one that trips the circuit breaker (which then stops the deployment's other tasks).
          if (this.details.group.startsWith('service:')) {
            this.stop('ServiceSchedulerInitiated', 'Task failed container health checks');
          } else {
            this.env.changed(this);
          }
        });
        break;
      case 'fails-to-start':
        break;
    }
  }

  private becameHealthy(reported = true): void {
    this.healthy = true;
    if (reported) {
      this.healthStatus = 'HEALTHY';
      for (const c of this.containers) c.healthStatus = 'HEALTHY';
    }
    this.env.changed(this);
  }

  /** The deciding essential container exited on its own. */
  private exited(exitCode: number, neverReportedRunning: boolean): void {
    this.cancelTimers();
    const now = this.env.clock.now();
    for (const c of this.containers) {
      if (c.lastStatus === 'STOPPED') continue;
      c.lastStatus = 'STOPPED';
      const plan = this.plans.find((p) => p.name === c.name);
      c.exitCode = plan?.behaviour === this.outcome ? exitCode : SIGTERM_EXIT;
    }
    this.desiredStatus = 'STOPPED';
    this.stopCode = 'EssentialContainerExited';
    this.stoppedReason = 'Essential container in task exited';
    this.stoppingAt = now;
    this.executionStoppedAt = now;
    if (neverReportedRunning) {
      this.finish();
      return;
    }
    this.setStatus('DEACTIVATING');
    this.schedule(this.env.timings.deactivating, () => {
      this.setStatus('STOPPING');
      this.schedule(this.env.timings.stopping, () => {
        this.setStatus('DEPROVISIONING');
        this.schedule(this.env.timings.deprovisioning, () => this.finish());
      });
    });
  }

  private finish(): void {
    this.cancelTimers();
    this.stoppedAt = this.env.clock.now();
    this.executionStoppedAt ??= this.stoppedAt;
    this.setStatus('STOPPED');
  }

  private setStatus(status: TaskStatus): void {
    this.lastStatus = status;
    this.history.push({ status, at: this.env.clock.now() });
    this.env.changed(this);
  }

  /** Spreads a container's lines over `seconds` in a few batches, as a running process would print them. */
  private paceLogs(plan: ContainerPlan, seconds: number): void {
    if (!plan.logs) return;
    const lines = plan.behaviour.lines();
    if (lines.length === 0) return;
    const batches = Math.min(LOG_BATCHES, lines.length);
    const size = Math.ceil(lines.length / batches);
    const target = plan.logs;
    for (let i = 0; i * size < lines.length; i++) {
      const chunk = lines.slice(i * size, (i + 1) * size);
      const write = () => this.env.writeLogs(target.region, target.group, target.stream, chunk);
      if (i === 0) write();
      else this.schedule((seconds * i) / batches, write);
    }
  }

  private writeAllLogs(plan: ContainerPlan): void {
    if (!plan.logs) return;
    const lines = plan.behaviour.lines();
    if (lines.length > 0) this.env.writeLogs(plan.logs.region, plan.logs.group, plan.logs.stream, lines);
  }

  private schedule(seconds: number, fn: () => void): void {
    const cancel = this.env.clock.after(seconds, () => {
      this.timers.delete(cancel);
      fn();
    });
    this.timers.add(cancel);
  }

  private cancelTimers(): void {
    for (const cancel of this.timers) cancel();
    this.timers.clear();
  }
}

/** What DescribeTasks reports beyond the lifecycle. */
export interface TaskDetails {
  clusterArn: string;
  taskDefinitionArn: string;
  group: string;
  startedBy?: string;
  launchType?: sdk.LaunchType;
  capacityProviderName?: string;
  platformVersion?: string;
  cpu?: string;
  memory?: string;
  overrides: sdk.TaskOverride;
  networkConfiguration?: sdk.NetworkConfiguration;
  tags: sdk.Tag[];
  /** The service and deployment that launched it. */
  serviceName?: string;
  deploymentId?: string;
}
