// What a blue/green, linear or canary deployment goes through, as the ECS developer guide describes it (see the
// sandbox README, "Blue/green, linear and canary deployments"): the lifecycle stages in order, the production traffic
// steps of each strategy, and the record of where a service deployment stands (lifecycleStage, lifecycleHookDetails
// and the traffic split).
import type * as sdk from '@aws-sdk/client-ecs';
import type { DeploymentConfiguration } from './deployments.js';
import type { HookStage } from './traffic-scenario.js';

export type Strategy = 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';
export type LifecycleStage = sdk.ServiceDeploymentLifecycleStage;

/** ECS's defaults (LinearConfiguration and CanaryConfiguration in the API reference). */
export const LINEAR_DEFAULTS = { stepPercent: 10, stepBakeTimeInMinutes: 6 } as const;
export const CANARY_DEFAULTS = { canaryPercent: 5, canaryBakeTimeInMinutes: 10 } as const;

/** A lifecycle hook as it runs in one stage: what DescribeServiceDeployments lists in lifecycleHookDetails. */
export interface HookRun {
  hookId: string;
  stage: HookStage;
  targetType: sdk.DeploymentLifecycleHookTargetType;
  targetArn?: string;
  status: sdk.DeploymentLifecycleHookStatus;
  expiresAt: number;
  timeoutAction: sdk.DeploymentLifecycleHookAction;
}

/** Where a traffic-shifting service deployment stands. */
export interface Lifecycle {
  strategy: Strategy;
  stage?: LifecycleStage;
  /** The hooks of the current stage; a hook that failed stays listed while the deployment rolls back. */
  hooks: HookRun[];
  /** The share of production and test traffic the new (green) revision gets, in percent. */
  production: number;
  test: number;
  /** Every stage entered, with the instant (for tests and benchmarks). */
  stages: { stage: LifecycleStage; at: number }[];
  /** Every production traffic split, with the instant. */
  shifts: { production: number; at: number }[];
}

export function strategyOf(config: Pick<DeploymentConfiguration, 'strategy'>): Strategy {
  return (config.strategy as Strategy | undefined) ?? 'ROLLING';
}

/** BLUE_GREEN, LINEAR and CANARY shift traffic from blue to green in lifecycle stages; ROLLING replaces tasks. */
export function shiftsTraffic(config: Pick<DeploymentConfiguration, 'strategy'>): boolean {
  return strategyOf(config) !== 'ROLLING';
}

/** Green's share of production traffic after each step: all at once, in equal steps, or a canary then the rest. */
export function productionSteps(config: DeploymentConfiguration): number[] {
  switch (strategyOf(config)) {
    case 'LINEAR': {
      const step = config.linearConfiguration?.stepPercent ?? LINEAR_DEFAULTS.stepPercent;
      const steps: number[] = [];
      // Tenths of a percent, so that 33.3 + 33.3 + 33.3 does not drift.
      for (let tenths = Math.round(step * 10); tenths < 1000; tenths += Math.round(step * 10)) steps.push(tenths / 10);
      return [...steps, 100];
    }
    case 'CANARY': {
      const canary = config.canaryConfiguration?.canaryPercent ?? CANARY_DEFAULTS.canaryPercent;
      return canary >= 100 ? [100] : [canary, 100];
    }
    default:
      return [100];
  }
}

/** Minutes ECS waits after a production step before the next one (none after the last: the bake time follows). */
export function stepBakeMinutes(config: DeploymentConfiguration): number {
  switch (strategyOf(config)) {
    case 'LINEAR':
      return config.linearConfiguration?.stepBakeTimeInMinutes ?? LINEAR_DEFAULTS.stepBakeTimeInMinutes;
    case 'CANARY':
      return config.canaryConfiguration?.canaryBakeTimeInMinutes ?? CANARY_DEFAULTS.canaryBakeTimeInMinutes;
    default:
      return 0;
  }
}

/** The hooks configured for a stage. */
export function hooksAt(config: DeploymentConfiguration, stage: HookStage): sdk.DeploymentLifecycleHook[] {
  return (config.lifecycleHooks ?? []).filter((hook) => hook.lifecycleStages?.includes(stage));
}

/** The lifecycle of a deployment about to start (green has no traffic yet). */
export function newLifecycle(strategy: Strategy): Lifecycle {
  return { strategy, hooks: [], production: 0, test: 0, stages: [], shifts: [] };
}

/** The lifecycle of a deployment that completed before the scenario started: green has all the traffic. */
export function completedLifecycle(strategy: Strategy, at: number): Lifecycle {
  return {
    strategy,
    stage: 'CLEAN_UP',
    hooks: [],
    production: 100,
    test: 100,
    stages: [],
    shifts: [{ production: 100, at }],
  };
}

/** lifecycleHookDetails as DescribeServiceDeployments answers them. */
export function renderHooks(lifecycle: Lifecycle): sdk.DeploymentLifecycleHookDetail[] {
  return lifecycle.hooks.map((hook) => ({
    hookId: hook.hookId,
    targetType: hook.targetType,
    ...(hook.targetArn ? { targetArn: hook.targetArn } : {}),
    status: hook.status,
    expiresAt: new Date(hook.expiresAt),
    timeoutAction: hook.timeoutAction,
  }));
}
