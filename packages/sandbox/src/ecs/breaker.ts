// The deployment circuit breaker of one deployment, in the two stages the ECS developer guide describes ("How the
// Amazon ECS deployment circuit breaker detects failures"):
//   1. until a task of the deployment reaches RUNNING, it counts the tasks that fail to reach RUNNING;
//   2. once one has, that count no longer applies: it counts the tasks that fail their health checks (container
//      health checks here; an essential container that stops before the task is healthy fails it too).
// A task that becomes healthy resets the count (`resetOnHealthyTask`, on by default). At the threshold the
// deployment fails.
import type { DeploymentConfiguration } from './deployments.js';

export type BreakerStage = 'RUNNING' | 'HEALTH';

export class CircuitBreaker {
  /** The stage it is in: waiting for a task to reach RUNNING, or watching health checks. */
  stage: BreakerStage = 'RUNNING';
  /** Failures counted in the current stage (ServiceDeployment.deploymentCircuitBreaker.failureCount). */
  failures = 0;

  constructor(
    readonly threshold: number,
    readonly resetOnHealthyTask: boolean,
  ) {}

  static for(config: DeploymentConfiguration, desiredCount: number): CircuitBreaker {
    return new CircuitBreaker(
      breakerThreshold(config, desiredCount),
      config.deploymentCircuitBreaker.resetOnHealthyTask ?? true,
    );
  }

  /** A task of the deployment reached RUNNING: the start failures no longer count. */
  taskRunning(): void {
    if (this.stage === 'HEALTH') return;
    this.stage = 'HEALTH';
    this.failures = 0;
  }

  /** A task failed; `ranBefore` tells whether it had reached RUNNING. Returns whether the breaker counted it. */
  taskFailed(ranBefore: boolean): boolean {
    const counts = this.stage === 'RUNNING' ? !ranBefore : ranBefore;
    if (counts) this.failures++;
    return counts;
  }

  taskHealthy(): void {
    if (this.resetOnHealthyTask) this.failures = 0;
  }

  get tripped(): boolean {
    return this.failures >= this.threshold;
  }
}

/** The failure threshold: by default half the desired count, at least 3 and at most 200 (BOUNDED_PERCENT of 50);
 *  UNBOUNDED_PERCENT drops the bounds, COUNT gives the number itself. */
export function breakerThreshold(config: DeploymentConfiguration, desiredCount: number): number {
  const threshold = config.deploymentCircuitBreaker.thresholdConfiguration;
  const type = threshold?.type ?? 'BOUNDED_PERCENT';
  const value = threshold?.value ?? 50;
  if (type === 'COUNT') return Math.max(1, value);
  const computed = Math.ceil((desiredCount * value) / 100);
  return type === 'BOUNDED_PERCENT' ? Math.min(200, Math.max(3, computed)) : Math.max(1, computed);
}
