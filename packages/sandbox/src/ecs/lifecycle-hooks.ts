// The lifecycle hooks of one stage of a blue/green, linear or canary deployment, as the developer guide's "Lifecycle
// hooks for Amazon ECS service deployments" describes them. A Lambda hook is invoked when the stage starts; while its
// function answers IN_PROGRESS, ECS invokes it again after the callBackDelay it returned (30 s by default), until it
// answers SUCCEEDED or FAILED or the hook's timeout passes (timeoutConfiguration: 1440 minutes and ROLLBACK by
// default). A PAUSE hook waits, AWAITING_ACTION, for ContinueServiceDeployment or its timeout. The stage goes on once
// every hook succeeded (or timed out with CONTINUE); a failure rolls the deployment back. The functions themselves are
// not run: the scenario says how each answers (traffic-scenario.ts `hooks`); their ARNs are only recorded.
import type * as sdk from '@aws-sdk/client-ecs';
import type { SandboxClock } from '../core/module.js';
import { randomBytes } from 'node:crypto';
import { imageMatches } from './alarms.js';
import type { HookRun } from './lifecycle.js';
import type { HookBehaviour, HookStage } from './traffic-scenario.js';

/** DeploymentLifecycleHookTimeoutConfiguration's defaults. */
export const HOOK_TIMEOUT_DEFAULTS = { timeoutInMinutes: 1440, action: 'ROLLBACK' } as const;

export interface HookEnvironment {
  clock: SandboxClock;
  /** How the hook's function answers at this stage (undefined: it succeeds at once). */
  behaviour(hook: sdk.DeploymentLifecycleHook, stage: HookStage): HookBehaviour | undefined;
  /** Called after any hook changed status. */
  changed(): void;
}

export class StageHooks {
  readonly runs: HookRun[];
  private readonly cancels: (() => void)[] = [];

  constructor(
    readonly stage: HookStage,
    private readonly hooks: sdk.DeploymentLifecycleHook[],
    private readonly env: HookEnvironment,
  ) {
    const now = env.clock.now();
    this.runs = hooks.map((hook) => {
      const timeout = hook.timeoutConfiguration?.timeoutInMinutes ?? HOOK_TIMEOUT_DEFAULTS.timeoutInMinutes;
      const pause = hook.targetType === 'PAUSE';
      return {
        hookId: `ecs-${pause ? 'pause' : 'hook'}-${randomBytes(32).toString('base64url').slice(0, 43)}`,
        stage,
        targetType: hook.targetType ?? 'AWS_LAMBDA',
        ...(!pause && hook.hookTargetArn ? { targetArn: hook.hookTargetArn } : {}),
        status: pause ? 'AWAITING_ACTION' : 'IN_PROGRESS',
        expiresAt: now + env.clock.scaled(timeout * 60),
        timeoutAction: hook.timeoutConfiguration?.action ?? HOOK_TIMEOUT_DEFAULTS.action,
      };
    });
  }

  /** Invokes the Lambda hooks and starts every hook's timeout. */
  start(): void {
    this.hooks.forEach((hook, i) => {
      const run = this.runs[i]!;
      const timeout = hook.timeoutConfiguration?.timeoutInMinutes ?? HOOK_TIMEOUT_DEFAULTS.timeoutInMinutes;
      this.cancels.push(this.env.clock.after(timeout * 60, () => this.finish(run, 'TIMED_OUT')));
      if (run.targetType === 'PAUSE') return;
      const behaviour = this.env.behaviour(hook, this.stage);
      const outcome = behaviour?.outcome ?? 'succeed';
      if (outcome === 'keep-in-progress') return;
      // The answer comes at the first invocation at or after the function is done.
      const delay = behaviour?.callBackDelay ?? 30;
      const seconds = behaviour && behaviour.seconds > 0 ? Math.ceil(behaviour.seconds / delay) * delay : 0;
      this.cancels.push(
        this.env.clock.after(seconds, () => this.finish(run, outcome === 'fail' ? 'FAILED' : 'SUCCEEDED')),
      );
    });
  }

  /** Every hook succeeded, or timed out with CONTINUE. */
  get done(): boolean {
    return this.runs.every(
      (run) => run.status === 'SUCCEEDED' || (run.status === 'TIMED_OUT' && run.timeoutAction === 'CONTINUE'),
    );
  }

  /** The hook that failed the stage: FAILED, timed out with ROLLBACK, or a pause answered with ROLLBACK. */
  get failed(): HookRun | undefined {
    return this.runs.find(
      (run) => run.status === 'FAILED' || (run.status === 'TIMED_OUT' && run.timeoutAction === 'ROLLBACK'),
    );
  }

  /** ContinueServiceDeployment on a paused hook of this stage; false when no such hook awaits action. */
  continue(hookId: string, action: sdk.DeploymentLifecycleHookAction): boolean {
    const run = this.runs.find((r) => r.hookId === hookId && r.status === 'AWAITING_ACTION');
    if (!run) return false;
    this.finish(run, action === 'ROLLBACK' ? 'FAILED' : 'SUCCEEDED');
    return true;
  }

  cancel(): void {
    for (const cancel of this.cancels.splice(0)) cancel();
  }

  private finish(run: HookRun, status: sdk.DeploymentLifecycleHookStatus): void {
    if (run.status !== 'IN_PROGRESS' && run.status !== 'AWAITING_ACTION') return;
    run.status = status;
    this.env.changed();
  }
}

/** The scenario's answer for a hook at a stage, for a revision running `images`: the first entry that matches its
 *  function (by ARN, or by the function name in the ARN), the stage and the image. */
export function findHookBehaviour(
  behaviours: readonly HookBehaviour[],
  hookTargetArn: string | undefined,
  stage: HookStage,
  images: readonly string[],
): HookBehaviour | undefined {
  if (!hookTargetArn) return undefined;
  const name = /:function:([^:]+)/.exec(hookTargetArn)?.[1];
  return behaviours.find(
    (b) =>
      (b.function === hookTargetArn || b.function === name) &&
      (b.stage === undefined || b.stage === stage) &&
      (b.whenImageRuns === undefined || images.some((image) => imageMatches(image, b.whenImageRuns!))),
  );
}
