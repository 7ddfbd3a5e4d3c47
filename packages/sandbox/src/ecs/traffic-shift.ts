// A blue/green, linear or canary deployment of one service, stage by stage (lifecycle.ts has the order and the traffic
// steps, the sandbox README the sources): green scales up beside blue, takes the test traffic, then the production
// traffic (at once, in steps with a bake after each, or a canary share and then the rest), bakes, and blue is removed.
// Lifecycle hooks run at their stages; a failed hook, an alarm in ALARM or the circuit breaker fails the deployment,
// and ECS shifts the traffic back to blue (the rollback) and removes green. The listener rules of the service's load
// balancers carry the split (ELBv2 module); the service-deployment record reports the stage, hooks and weights.
import type { SandboxClock } from '../core/module.js';
import { logRollout, setRecordStatus, type Deployment, type DeploymentOwner } from './deployments.js';
import { StageHooks } from './lifecycle-hooks.js';
import {
  hooksAt,
  newLifecycle,
  productionSteps,
  stepBakeMinutes,
  strategyOf,
  type Lifecycle,
  type LifecycleStage,
} from './lifecycle.js';
import type { ServiceExtras } from './service.js';
import type { Task } from './task.js';
import type { HookBehaviour, HookStage } from './traffic-scenario.js';

/** What a shifting deployment needs from its service. */
export interface ShiftOwner extends DeploymentOwner {
  deployments: Deployment[];
  extra: ServiceExtras;
  lastCompleted?: Deployment;
  launchTasks(deployment: Deployment, count: number): Task[];
  stopTasks(tasks: Task[], reason: string, quiet?: boolean): Task[];
  event(text: string): void;
  triggeredAlarms(deployment: Deployment): string[];
  complete(deployment: Deployment): void;
  removeDeployment(deployment: Deployment): void;
  announceSteady(): void;
}

/** What a shifting deployment needs from the world: timing, hook answers, and the listener rules. */
export interface ShiftHost {
  clock: SandboxClock;
  stageSeconds: number;
  hookBehaviour(hookTargetArn: string | undefined, stage: HookStage, green: Deployment): HookBehaviour | undefined;
  /** Sets a listener rule's weights by target-group ARN (absent without an ELBv2 module). */
  setWeights?(ruleArn: string, weights: Record<string, number>, by: string): void;
}

interface Step {
  stage: LifecycleStage;
  hooks?: HookStage;
  /** Scenario seconds the step lasts at least (default: the scenario's stageSeconds). */
  seconds?: number;
  enter?(): void;
  /** The step is over once this holds (besides its time and hooks). */
  until?(): boolean;
}

type Failure =
  | { cause: 'hook'; hook: string; stage: HookStage; timedOut: boolean }
  | { cause: 'alarm'; alarms: string[] }
  | { cause: 'breaker' };

export class TrafficShift {
  readonly lifecycle: Lifecycle;
  /** rollout → (done | rollback → done | halted); halted: failed without rollback, the service stays as it is. */
  phase: 'rollout' | 'rollback' | 'halted' | 'done' = 'rollout';
  private steps: Step[] = [];
  private index = -1;
  private token = 0;
  private timerDone = false;
  private hooks?: StageHooks;
  private advancing = false;
  /** Green's tasks were registered with its target groups (POST_SCALE_UP). */
  private registered = false;
  private readonly cancels: (() => void)[] = [];

  constructor(
    private readonly owner: ShiftOwner,
    private readonly host: ShiftHost,
    readonly green: Deployment,
    readonly blue: Deployment | undefined,
    /** Older revisions still running (a deployment that was superseded): stopped at RECONCILE_SERVICE. */
    private readonly others: Deployment[],
  ) {
    this.lifecycle = newLifecycle(strategyOf(green.record.deploymentConfiguration));
    green.record.lifecycle = this.lifecycle;
  }

  /** Stops driving the deployment (a newer one superseded it). */
  stop(): void {
    this.cancel();
    this.phase = 'done';
  }

  start(): void {
    this.steps = this.rolloutSteps();
    this.enter(0);
  }

  /** Called by the service's scheduler after every task or alarm change. */
  reconcile(): void {
    if (this.phase !== 'rollout') {
      if (this.phase === 'rollback') this.advance();
      return;
    }
    const triggered = this.owner.triggeredAlarms(this.green);
    if (triggered.length > 0) return this.fail({ cause: 'alarm', alarms: triggered });
    if (this.green.record.deploymentConfiguration.deploymentCircuitBreaker.enable && this.green.breaker.tripped) {
      return this.fail({ cause: 'breaker' });
    }
    if (this.scalingUp()) this.scaleGreen();
    this.advance();
  }

  /** Green at the service's desired count: launched at SCALE_UP, and failed tasks replaced from then on. */
  private scaleGreen(): void {
    const alive = this.green.tasks.filter((t) => t.alive).length;
    this.green.desiredCount = this.owner.desiredCount;
    if (alive < this.owner.desiredCount) this.owner.launchTasks(this.green, this.owner.desiredCount - alive);
  }

  private rolloutSteps(): Step[] {
    const config = this.green.record.deploymentConfiguration;
    const steps: Step[] = [];
    if (this.others.length > 0) {
      steps.push({
        stage: 'RECONCILE_SERVICE',
        hooks: 'RECONCILE_SERVICE',
        enter: () => {
          this.setTraffic(0, 0);
          this.owner.stopTasks(
            this.others.flatMap((d) => d.tasks.filter((t) => t.alive)),
            `Scaling activity initiated by (deployment ${this.green.id})`,
          );
        },
      });
    }
    steps.push(
      { stage: 'PRE_SCALE_UP', hooks: 'PRE_SCALE_UP' },
      { stage: 'SCALE_UP', enter: () => this.scaleGreen(), until: () => this.greenReady() },
      {
        stage: 'POST_SCALE_UP',
        hooks: 'POST_SCALE_UP',
        enter: () => {
          this.announceTargets('registered', this.green);
          this.registered = true;
        },
      },
      { stage: 'TEST_TRAFFIC_SHIFT', hooks: 'TEST_TRAFFIC_SHIFT', enter: () => this.setTraffic(0, 100) },
      { stage: 'POST_TEST_TRAFFIC_SHIFT', hooks: 'POST_TEST_TRAFFIC_SHIFT' },
    );
    const shares = productionSteps(config);
    const bake = stepBakeMinutes(config) * 60;
    shares.forEach((share, i) => {
      // PRE_PRODUCTION_TRAFFIC_SHIFT hooks run before each shift; ECS's lifecycleStage has no such value (botocore's
      // and the SDK's enums), so the stage reads PRODUCTION_TRAFFIC_SHIFT while they run.
      if (hooksAt(config, 'PRE_PRODUCTION_TRAFFIC_SHIFT').length > 0) {
        steps.push({ stage: 'PRODUCTION_TRAFFIC_SHIFT', hooks: 'PRE_PRODUCTION_TRAFFIC_SHIFT', seconds: 0 });
      }
      steps.push({
        stage: 'PRODUCTION_TRAFFIC_SHIFT',
        hooks: 'PRODUCTION_TRAFFIC_SHIFT',
        enter: () => this.setTraffic(share, 100),
      });
      if (i < shares.length - 1) steps.push({ stage: 'PRODUCTION_TRAFFIC_SHIFT', seconds: bake });
    });
    steps.push(
      { stage: 'POST_PRODUCTION_TRAFFIC_SHIFT', hooks: 'POST_PRODUCTION_TRAFFIC_SHIFT' },
      { stage: 'BAKE_TIME', seconds: (config.bakeTimeInMinutes ?? 0) * 60 },
      {
        stage: 'CLEAN_UP',
        enter: () => this.removeRevision(this.blue),
        until: () => drained(this.blue),
      },
    );
    return steps;
  }

  private enter(index: number): void {
    const step = this.steps[index]!;
    this.index = index;
    const token = ++this.token;
    this.timerDone = false;
    this.hooks?.cancel();
    const now = this.host.clock.now();
    if (this.lifecycle.stage !== step.stage) {
      this.lifecycle.stage = step.stage;
      this.lifecycle.stages.push({ stage: step.stage, at: now });
    }
    this.touch();
    const hooks = step.hooks ? hooksAt(this.green.record.deploymentConfiguration, step.hooks) : [];
    this.hooks =
      step.hooks && hooks.length > 0
        ? new StageHooks(step.hooks, hooks, {
            clock: this.host.clock,
            behaviour: (hook, stage) => this.host.hookBehaviour(hook.hookTargetArn, stage, this.green),
            changed: () => this.hooksChanged(),
          })
        : undefined;
    if (this.phase === 'rollout') this.lifecycle.hooks = this.hooks?.runs ?? [];
    step.enter?.();
    this.hooks?.start();
    this.cancels.push(
      this.host.clock.after(step.seconds ?? this.host.stageSeconds, () => {
        if (token !== this.token) return;
        this.timerDone = true;
        this.advance();
      }),
    );
  }

  /** Moves on while the current step is over. */
  private advance(): void {
    if (this.advancing || this.phase === 'done' || this.phase === 'halted') return;
    this.advancing = true;
    try {
      for (;;) {
        const step = this.steps[this.index];
        if (!step || !this.timerDone || !(this.hooks?.done ?? true) || !(step.until?.() ?? true)) return;
        if (this.index + 1 < this.steps.length) this.enter(this.index + 1);
        else return this.finish();
      }
    } finally {
      this.advancing = false;
    }
  }

  private hooksChanged(): void {
    this.touch();
    const failed = this.phase === 'rollout' ? this.hooks?.failed : undefined;
    if (failed) {
      const functionArn = failed.targetArn ?? `pause hook ${failed.hookId}`;
      this.fail({ cause: 'hook', hook: functionArn, stage: failed.stage, timedOut: failed.status === 'TIMED_OUT' });
    } else this.advance();
  }

  /** ContinueServiceDeployment on a paused hook of the current stage. */
  continueHook(hookId: string, action: 'CONTINUE' | 'ROLLBACK'): boolean {
    return this.phase === 'rollout' && (this.hooks?.continue(hookId, action) ?? false);
  }

  private finish(): void {
    this.cancel();
    const record = this.green.record;
    if (this.phase === 'rollback') {
      if (this.green.status !== 'INACTIVE') this.owner.removeDeployment(this.green);
      record.finishedAt = this.host.clock.now();
      setRecordStatus(this.owner, record, 'ROLLBACK_SUCCESSFUL', record.rollback?.reason);
    } else {
      if (this.blue && this.blue.status !== 'INACTIVE') this.owner.removeDeployment(this.blue);
      this.lifecycle.hooks = [];
      this.owner.complete(this.green);
    }
    this.phase = 'done';
    this.owner.announceSteady();
  }

  private fail(failure: Failure): void {
    if (this.phase !== 'rollout') return;
    this.cancel();
    const now = this.host.clock.now();
    const green = this.green;
    const record = green.record;
    const config = record.deploymentConfiguration;
    green.rolloutState = 'FAILED';
    green.rolloutStateReason = rolloutReason(failure);
    green.updatedAt = now;
    logRollout(this.owner, green);
    this.owner.event(`(deployment ${green.id}) deployment failed: ${eventReason(failure)}.`);
    if (failure.cause === 'breaker') record.circuitBreaker.status = 'TRIGGERED';
    if (failure.cause === 'alarm') {
      record.alarms.status = 'TRIGGERED';
      record.alarms.triggeredAlarmNames = failure.alarms;
    }
    const rollback =
      failure.cause === 'hook' ||
      (failure.cause === 'alarm' ? (config.alarms?.rollback ?? false) : config.deploymentCircuitBreaker.rollback);
    const blue = this.blue;
    if (!rollback || !blue) {
      const why = rollback ? ' There is no earlier revision to shift the traffic back to.' : '';
      setRecordStatus(this.owner, record, 'STOPPED', `${green.rolloutStateReason}${why}`);
      record.stoppedAt = now;
      this.phase = 'halted';
      return;
    }
    const reason = rollbackReason(failure);
    setRecordStatus(this.owner, record, 'ROLLBACK_REQUESTED', reason);
    record.rollback = { reason, startedAt: now, serviceRevisionArn: blue.revision.arn };
    record.rollbackDeployment = blue;
    // Blue still runs: it takes the traffic back and is the service's primary again.
    green.status = 'ACTIVE';
    blue.status = 'PRIMARY';
    this.owner.deployments = [blue, ...this.owner.deployments.filter((d) => d !== blue)];
    setRecordStatus(this.owner, record, 'ROLLBACK_IN_PROGRESS', reason);
    this.owner.event(`rolling back to deployment ${blue.id}.`);
    this.phase = 'rollback';
    this.steps = [
      { stage: 'PRODUCTION_TRAFFIC_SHIFT', enter: () => this.setTraffic(0, this.lifecycle.test) },
      { stage: 'TEST_TRAFFIC_SHIFT', enter: () => this.setTraffic(0, 0) },
      {
        stage: 'CLEAN_UP',
        enter: () => this.removeRevision(green),
        until: () => drained(green),
      },
    ];
    this.enter(0);
  }

  /** The traffic split, on the record and in the load balancers' listener rules (green's share in percent). */
  private setTraffic(production: number, test: number): void {
    const now = this.host.clock.now();
    if (production !== this.lifecycle.production) this.lifecycle.shifts.push({ production, at: now });
    this.lifecycle.production = production;
    this.lifecycle.test = test;
    this.touch();
    const blueGroups = this.blue?.revision.targetGroups ?? [];
    const greenGroups = this.green.revision.targetGroups ?? [];
    this.owner.extra.loadBalancers.forEach((lb, i) => {
      const advanced = lb.advancedConfiguration;
      const greenGroup = greenGroups[i];
      if (!advanced || !greenGroup || !this.host.setWeights) return;
      const split = (share: number): Record<string, number> => {
        const toGreen = Math.round(share);
        const blueGroup = blueGroups[i];
        return blueGroup && blueGroup !== greenGroup
          ? { [blueGroup]: 100 - toGreen, [greenGroup]: toGreen }
          : { [greenGroup]: 100 };
      };
      const by = `ecs:${this.owner.clusterName}/${this.owner.name}`;
      if (advanced.productionListenerRule) this.host.setWeights(advanced.productionListenerRule, split(production), by);
      if (advanced.testListenerRule) this.host.setWeights(advanced.testListenerRule, split(test), by);
    });
  }

  /** Deregisters and stops a revision's tasks (clean-up of blue, or of green after a rollback). */
  private removeRevision(deployment: Deployment | undefined): void {
    if (!deployment) return;
    const alive = deployment.tasks.filter((t) => t.alive);
    if (deployment !== this.green || this.registered) this.announceTargets('deregistered', deployment);
    this.owner.stopTasks(alive, `Scaling activity initiated by (deployment ${this.green.id})`);
  }

  /** "(service web) registered 2 targets in (target-group arn:...)", as ECS reports load balancer registrations. */
  private announceTargets(verb: 'registered' | 'deregistered', deployment: Deployment): void {
    const count = deployment.tasks.filter((t) => t.alive && t.healthy).length;
    for (const group of deployment.revision.targetGroups ?? []) {
      if (count > 0) this.owner.event(`${verb} ${count} targets in (target-group ${group})`);
    }
  }

  private scalingUp(): boolean {
    const scaleUp = this.steps.findIndex((s) => s.stage === 'SCALE_UP');
    return this.phase === 'rollout' && scaleUp >= 0 && this.index >= scaleUp;
  }

  private greenReady(): boolean {
    const live = this.green.tasks.filter((t) => t.alive);
    return live.length === this.owner.desiredCount && live.every((t) => t.healthy && t.lastStatus === 'RUNNING');
  }

  private touch(): void {
    this.green.record.updatedAt = this.host.clock.now();
  }

  private cancel(): void {
    this.token++;
    this.hooks?.cancel();
    for (const cancel of this.cancels.splice(0)) cancel();
  }
}

function drained(deployment: Deployment | undefined): boolean {
  return !deployment || deployment.tasks.every((t) => t.lastStatus === 'STOPPED');
}

function rolloutReason(failure: Failure): string {
  switch (failure.cause) {
    case 'hook':
      return 'ECS deployment failed: hook execution failure(s) detected.';
    case 'alarm':
      return `ECS deployment alarms: alarm(s) ${failure.alarms.join(', ')} in ALARM state.`;
    case 'breaker':
      return 'ECS deployment circuit breaker: tasks failed to start.';
  }
}

function eventReason(failure: Failure): string {
  return failure.cause === 'hook'
    ? 'hook execution failure(s) detected'
    : failure.cause === 'alarm'
      ? 'alarm detected'
      : 'tasks failed to start';
}

function rollbackReason(failure: Failure): string {
  switch (failure.cause) {
    case 'hook':
      return `Service deployment rolled back because lifecycle hook ${failure.hook} ${failure.timedOut ? 'timed out' : 'failed'} at stage ${failure.stage}.`;
    case 'alarm':
      return `Service deployment rolled back because alarm(s) ${failure.alarms.join(', ')} entered ALARM state.`;
    case 'breaker':
      return 'Service deployment rolled back because the circuit breaker threshold was exceeded.';
  }
}
