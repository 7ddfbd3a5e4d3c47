// One CodeDeploy deployment of an ECS service (blue/green), as the CodeDeploy user guide's "What happens during an
// Amazon ECS deployment" describes it: BeforeInstall, Install (the replacement task set is created and scaled up
// beside the original), AfterInstall, AllowTestTraffic (the test listener moves to it), AfterAllowTestTraffic, an
// optional wait for a go-ahead (status Ready), BeforeAllowTraffic, AllowTraffic (the production listener moves all at
// once, or in canary or linear steps), AfterAllowTraffic, then the original task set is terminated. A hook that
// reports Failed fails the deployment; an alarm in ALARM or StopDeployment stops it; with auto-rollback a rollback
// deployment moves the traffic back to the original task set and removes the replacement. The traffic moves are
// the listener rules' weights of the sandbox's ELBv2 module.
import { randomBytes } from 'node:crypto';
import type * as sdk from '@aws-sdk/client-codedeploy';
import type { SandboxClock } from '../core/module.js';
import { imageMatches } from '../ecs/alarms.js';
import type { Deployment } from '../ecs/deployments.js';
import type { Service } from '../ecs/service.js';
import type { TaskDefinition } from '../ecs/task-definitions.js';
import type { TrafficSteps } from './configs.js';
import { ECS_LIFECYCLE_EVENTS, type HookSection, type LifecycleEventName } from './scenario.js';
import { createReplacement, isReady, listenerWeights, removeTaskSet, type TrafficRoutes } from './task-sets.js';

/** What a deployment needs from the module: time, the scenario's hooks, the listener rules and the alarms. */
export interface DeploymentHost {
  clock: SandboxClock;
  stepSeconds: number;
  hooks: readonly HookSection[];
  setWeights?(ruleArn: string, weights: Record<string, number>, by: string): void;
  alarmInAlarm(name: string): boolean;
  /** Starts the rollback deployment of a deployment that failed or stopped. */
  rollBack(failed: EcsDeployment): EcsDeployment;
}

/** The deployment group as a deployment uses it. */
export interface GroupView extends TrafficRoutes {
  applicationName: string;
  name: string;
  alarms: string[];
  readyWait?: { actionOnTimeout: 'CONTINUE_DEPLOYMENT' | 'STOP_DEPLOYMENT'; waitTimeInMinutes: number };
  terminationWaitMinutes: number;
}

export interface LifecycleEventState {
  name: LifecycleEventName;
  status: sdk.LifecycleEventStatus;
  startTime?: number;
  endTime?: number;
  diagnostics?: sdk.Diagnostics;
}

interface Step {
  event: LifecycleEventName;
  /** Called when the event starts; calls `done` (or fails the deployment) when it is over. */
  run(done: () => void): void;
}

export class EcsDeployment {
  readonly id = `d-${randomBytes(9)
    .toString('hex')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 9)}`;
  status: sdk.DeploymentStatus = 'Created';
  errorInformation?: sdk.ErrorInformation;
  readonly createTime: number;
  startTime?: number;
  completeTime?: number;
  rollbackInfo?: sdk.RollbackInfo;
  readonly events: LifecycleEventState[] = ECS_LIFECYCLE_EVENTS.map((name) => ({ name, status: 'Pending' }));
  /** The replacement task set (this deployment's), once Install created it. */
  green?: Deployment;
  /** Green's share of each listener's traffic, in percent. */
  readonly weights = { production: 0, test: 0 };
  updatedAt: number;
  private steps: Step[] = [];
  private index = -1;
  private readonly cancels: (() => void)[] = [];
  private waitingForReady?: () => void;
  private greenReady?: () => void;

  constructor(
    private readonly host: DeploymentHost,
    readonly group: GroupView,
    readonly service: Service,
    readonly configName: string,
    readonly traffic: TrafficSteps,
    readonly revision: sdk.RevisionLocation,
    readonly description: string | undefined,
    readonly creator: sdk.DeploymentCreator,
    readonly autoRollback: sdk.AutoRollbackConfiguration,
    /** The AppSpec's task definition, container and hook functions by event. */
    readonly appSpec: { taskDefinition?: TaskDefinition; problem?: string; hooks: Map<string, string> },
    /** The original task set this deployment replaces (or, for a rollback, restores). */
    readonly blue: Deployment,
    /** For a rollback deployment: the replacement task set to remove (none when the failure came before Install). */
    private readonly rollback?: { undo?: Deployment },
  ) {
    this.createTime = host.clock.now();
    this.updatedAt = this.createTime;
  }

  get finished(): boolean {
    return this.status === 'Succeeded' || this.status === 'Failed' || this.status === 'Stopped';
  }

  /** The lifecycle event under way, if any. */
  get currentEvent(): LifecycleEventState | undefined {
    return this.events.find((e) => e.status === 'InProgress');
  }

  start(): void {
    this.status = 'InProgress';
    this.startTime = this.host.clock.now();
    this.service.taskSetDriver = this;
    this.steps = this.rollback ? this.rollbackSteps(this.rollback.undo) : this.rolloutSteps();
    this.next();
  }

  /** Called by the service after every task or alarm change. */
  reconcile(): void {
    if (this.finished) return;
    if (!this.rollback) {
      const alarms = this.group.alarms.filter((name) => this.host.alarmInAlarm(name));
      if (alarms.length > 0) {
        this.stop(
          'ALARM_ACTIVE',
          `One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: <${alarms.join(', ')}>`,
          this.rollsBackOn('DEPLOYMENT_STOP_ON_ALARM'),
        );
        return;
      }
    }
    this.greenReady?.();
  }

  /** ContinueDeployment(READY_WAIT): the go-ahead the deployment waits for while Ready. */
  continueReady(): boolean {
    const go = this.waitingForReady;
    if (!go) return false;
    go();
    return true;
  }

  /** StopDeployment, an alarm, or a wait that ran out: Stopped, then a rollback deployment when asked. */
  stop(code: sdk.ErrorCode, message: string, rollback: boolean): EcsDeployment | undefined {
    if (this.finished) return undefined;
    this.end('Stopped', { code, message });
    return rollback ? this.startRollback() : this.release();
  }

  private rollsBackOn(event: sdk.AutoRollbackEvent): boolean {
    return (this.autoRollback.enabled ?? false) && (this.autoRollback.events ?? []).includes(event);
  }

  private rolloutSteps(): Step[] {
    const after = (seconds: number, fn: () => void) => this.cancels.push(this.host.clock.after(seconds, fn));
    const hook = (event: LifecycleEventName): Step => ({ event, run: (done) => this.runHook(event, done) });
    return [
      hook('BeforeInstall'),
      {
        event: 'Install',
        run: (done) => {
          const problem = this.appSpec.problem;
          if (problem) return this.fail('ECS_UPDATE_ERROR', problem, 'Install');
          this.green = createReplacement(this.service, this.group, this.blue, this.appSpec.taskDefinition!, this.id);
          let timed = false;
          this.greenReady = () => {
            if (timed && this.green && isReady(this.green, this.service.desiredCount)) {
              this.greenReady = undefined;
              done();
            }
          };
          after(this.host.stepSeconds, () => {
            timed = true;
            this.greenReady?.();
          });
        },
      },
      hook('AfterInstall'),
      {
        event: 'AllowTestTraffic',
        run: (done) => {
          this.setTraffic('test', 100);
          after(this.host.stepSeconds, done);
        },
      },
      hook('AfterAllowTestTraffic'),
      hook('BeforeAllowTraffic'),
      {
        event: 'AllowTraffic',
        run: (done) => {
          const shares = this.traffic.shares;
          const shift = (i: number) => {
            this.setTraffic('production', shares[i]!);
            if (i + 1 < shares.length) after(this.traffic.intervalMinutes * 60, () => shift(i + 1));
            else after(this.host.stepSeconds, done);
          };
          shift(0);
        },
      },
      hook('AfterAllowTraffic'),
    ];
  }

  /** Moves the traffic back to the original task set and removes the replacement. */
  private rollbackSteps(green: Deployment | undefined): Step[] {
    const after = (seconds: number, fn: () => void) => this.cancels.push(this.host.clock.after(seconds, fn));
    for (const event of this.events) {
      if (!['Install', 'AllowTestTraffic', 'AllowTraffic'].includes(event.name)) event.status = 'Skipped';
    }
    return [
      { event: 'Install', run: (done) => after(this.host.stepSeconds, done) },
      {
        event: 'AllowTestTraffic',
        run: (done) => {
          this.setTraffic('test', 0, green);
          after(this.host.stepSeconds, done);
        },
      },
      {
        event: 'AllowTraffic',
        run: (done) => {
          this.setTraffic('production', 0, green);
          after(this.host.stepSeconds, done);
        },
      },
    ];
  }

  private next(): void {
    const current = this.steps[this.index];
    if (current) this.setEvent(current.event, 'Succeeded');
    this.index++;
    // A ready wait sits between the test traffic and the production traffic (deploymentReadyOption).
    const step = this.steps[this.index];
    if (step?.event === 'BeforeAllowTraffic' && this.group.readyWait && !this.rollback) return this.waitForReady(step);
    if (!step) return this.terminateBlue();
    this.setEvent(step.event, 'InProgress');
    step.run(() => this.next());
  }

  private waitForReady(step: Step): void {
    const wait = this.group.readyWait!;
    this.status = 'Ready';
    this.touch();
    const go = () => {
      if (this.waitingForReady !== go) return;
      this.waitingForReady = undefined;
      this.status = 'InProgress';
      this.setEvent(step.event, 'InProgress');
      step.run(() => this.next());
    };
    this.waitingForReady = go;
    if (wait.waitTimeInMinutes <= 0 && wait.actionOnTimeout === 'CONTINUE_DEPLOYMENT') return go();
    if (wait.waitTimeInMinutes <= 0) return;
    this.cancels.push(
      this.host.clock.after(wait.waitTimeInMinutes * 60, () => {
        if (this.waitingForReady !== go) return;
        if (wait.actionOnTimeout === 'CONTINUE_DEPLOYMENT') return go();
        this.waitingForReady = undefined;
        this.stop(
          'TIMEOUT',
          'The deployment was stopped because the replacement task set was not given the go-ahead to receive production traffic within the ready wait time.',
          this.rollsBackOn('DEPLOYMENT_FAILURE'),
        );
      }),
    );
  }

  /** After the traffic moved: green is the PRIMARY task set; blue is terminated after the termination wait. */
  private terminateBlue(): void {
    if (this.rollback) {
      const undo = this.rollback.undo;
      if (undo) removeTaskSet(this.service, undo, this.id);
      this.blue.status = 'PRIMARY';
      this.service.deployments = [this.blue, ...this.service.deployments.filter((d) => d !== this.blue)];
      return this.succeedWhenDrained(undo);
    }
    const green = this.green!;
    green.status = 'PRIMARY';
    green.rolloutState = 'COMPLETED';
    this.blue.status = 'ACTIVE';
    this.service.deployments = [green, ...this.service.deployments.filter((d) => d !== green)];
    this.touch();
    this.cancels.push(
      this.host.clock.after(Math.max(this.group.terminationWaitMinutes * 60, this.host.stepSeconds), () => {
        removeTaskSet(this.service, this.blue, this.id);
        this.succeedWhenDrained(this.blue);
      }),
    );
  }

  private succeedWhenDrained(removed: Deployment | undefined): void {
    this.greenReady = () => {
      if (removed && !removed.tasks.every((t) => t.lastStatus === 'STOPPED')) return;
      this.greenReady = undefined;
      this.end('Succeeded');
      this.release();
    };
    this.greenReady();
  }

  private runHook(event: LifecycleEventName, done: () => void): void {
    const fn = this.appSpec.hooks.get(event);
    const seconds = this.host.stepSeconds;
    if (!fn) return void this.cancels.push(this.host.clock.after(seconds, done));
    const images = (this.green ?? this.blue).taskDefinition.body.containerDefinitions.map((c) => c.image ?? '');
    const behaviour = this.host.hooks.find(
      (h) =>
        h.event === event &&
        (h.function === undefined || h.function === fn || fn.endsWith(`:function:${h.function}`)) &&
        (h.whenImageRuns === undefined || images.some((image) => imageMatches(image, h.whenImageRuns!))),
    );
    this.cancels.push(
      this.host.clock.after(Math.max(seconds, behaviour?.seconds ?? 0), () => {
        if (behaviour?.outcome !== 'Failed') return done();
        const said = behaviour.message ?? 'the function reported Failed';
        this.setEvent(event, 'Failed', { errorCode: 'ScriptFailed', scriptName: fn, message: said });
        this.fail(
          'HOOK_EXECUTION_FAILURE',
          `The deployment failed because a lifecycle event hook failed: ${fn} at ${event}: ${said}`,
          undefined,
        );
      }),
    );
  }

  /** A failed deployment: Failed, then a rollback deployment when auto-rollback covers failures. */
  private fail(code: sdk.ErrorCode, message: string, event: LifecycleEventName | undefined): void {
    if (event) this.setEvent(event, 'Failed', { errorCode: 'UnknownError', message });
    this.end('Failed', { code, message });
    if (this.rollsBackOn('DEPLOYMENT_FAILURE')) this.startRollback();
    else this.release();
  }

  private end(status: 'Succeeded' | 'Failed' | 'Stopped', error?: sdk.ErrorInformation): void {
    for (const cancel of this.cancels.splice(0)) cancel();
    this.waitingForReady = undefined;
    this.greenReady = undefined;
    const now = this.host.clock.now();
    for (const event of this.events) {
      if (event.status === 'InProgress')
        Object.assign(event, { status: status === 'Succeeded' ? 'Succeeded' : 'Failed', endTime: now });
      else if (event.status === 'Pending') event.status = 'Skipped';
    }
    this.status = status;
    this.errorInformation = error;
    this.completeTime = now;
    this.touch();
  }

  private startRollback(): EcsDeployment {
    const rollback = this.host.rollBack(this);
    this.rollbackInfo = {
      rollbackDeploymentId: rollback.id,
      rollbackMessage: `Deployment ${this.status.toLowerCase()}; rollback deployment ${rollback.id} restores the original task set.`,
    };
    return rollback;
  }

  /** The service's scheduler takes over again (without a replacement left running, unless this step failed so). */
  private release(): undefined {
    if (this.service.taskSetDriver === this) this.service.taskSetDriver = undefined;
    return undefined;
  }

  /** Green's share of a listener; a rollback gives the share back to `green`'s counterpart (blue). */
  private setTraffic(listener: 'production' | 'test', share: number, green = this.green): void {
    this.weights[listener] = share;
    this.touch();
    const route = listenerWeights(this.group, listener, green, share);
    if (!route || !this.host.setWeights) return;
    this.host.setWeights(
      route.ruleArn,
      route.weights,
      `codedeploy:${this.group.applicationName}/${this.group.name}/${this.id}`,
    );
  }

  private setEvent(name: LifecycleEventName, status: sdk.LifecycleEventStatus, diagnostics?: sdk.Diagnostics): void {
    const event = this.events.find((e) => e.name === name)!;
    const now = this.host.clock.now();
    event.status = status;
    if (status === 'InProgress') event.startTime = now;
    else event.endTime = now;
    if (diagnostics) event.diagnostics = diagnostics;
    else if (status === 'Succeeded') event.diagnostics = undefined;
    this.touch();
  }

  private touch(): void {
    this.updatedAt = this.host.clock.now();
  }
}
