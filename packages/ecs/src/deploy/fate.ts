/**
 * Where each service stands when the step ends, said the same way in the summary, the `service-states` output and
 * the release's Slack message: every service of a multi-service deploy is accounted for, whichever of them failed.
 */
import { revisionName } from './assess.js';
import type { ServiceReport } from './types.js';

/**
 * `healthy`: runs its desired count on `taskDefinition` (the new revision, or the previous one after a rollback);
 * `deploying` / `rolling-back`: still moving to `taskDefinition` when the step stopped watching (ECS carries on);
 * `failed`: a failed deployment or rollback left as it is; `unchanged`: nothing was deployed; `unknown`: the step
 * cannot tell (another update replaced the deployment, or the service is gone).
 */
export type ServiceStateName = 'healthy' | 'deploying' | 'rolling-back' | 'failed' | 'unchanged' | 'unknown';

export interface ServiceState {
  state: ServiceStateName;
  /** The task definition the service runs, or is moving to (ARN). */
  taskDefinition?: string;
  rolledBackBy?: 'ecs' | 'step' | 'codedeploy';
  /** One sentence for people. */
  detail: string;
}

export function serviceState(s: ServiceReport): ServiceState {
  const rev = revisionName;
  const rollback = s.rollback;
  if (rollback) {
    const by = rollback.by === 'step' ? 'this step' : rollback.by === 'codedeploy' ? 'CodeDeploy' : 'ECS';
    const target = rollback.taskDefinition ?? s.previousTaskDefinition;
    const base = { taskDefinition: target, ...(rollback.by ? { rolledBackBy: rollback.by } : {}) };
    if (rollback.healthy) {
      return { ...base, state: 'healthy', detail: `healthy on ${rev(target)} again, rolled back by ${by}` };
    }
    if (rollback.pending) {
      return {
        ...base,
        state: 'rolling-back',
        detail: `${by} still rolling back to ${rev(target)}: ${rollback.reason}`,
      };
    }
    return { ...base, state: 'failed', detail: `the rollback by ${by} did not end healthy: ${rollback.reason}` };
  }
  switch (s.result) {
    case 'succeeded':
      return { state: 'healthy', taskDefinition: s.taskDefinition, detail: `healthy on ${rev(s.taskDefinition)}` };
    case 'unchanged':
      return {
        state: 'unchanged',
        taskDefinition: s.taskDefinition,
        detail: `already ran ${rev(s.taskDefinition)}; nothing deployed`,
      };
    case 'planned':
      return { state: 'unchanged', taskDefinition: s.previousTaskDefinition, detail: 'plan only: nothing changed' };
    case 'started':
      return {
        state: 'deploying',
        taskDefinition: s.taskDefinition,
        detail: `deployment of ${rev(s.taskDefinition)} started; not watched (wait is false)`,
      };
    case 'in-progress':
      return {
        state: 'deploying',
        taskDefinition: s.taskDefinition,
        detail: `still deploying ${rev(s.taskDefinition)}`,
      };
    case 'rolled-back':
      // ECS rolls back on its own; the step did not wait for it (wait-for-rollback is false).
      return {
        state: 'rolling-back',
        taskDefinition: s.previousTaskDefinition,
        rolledBackBy: 'ecs',
        detail: `ECS is rolling back to ${rev(s.previousTaskDefinition)}; not waited for`,
      };
    case 'failed':
      return {
        state: 'failed',
        taskDefinition: s.taskDefinition,
        detail: `the deployment of ${rev(s.taskDefinition)} failed and nothing rolls it back`,
      };
    case 'timed-out':
      return {
        state: 'deploying',
        taskDefinition: s.taskDefinition,
        detail: `still deploying ${rev(s.taskDefinition)} when the step gave up; left to ECS (on-timeout is fail)`,
      };
    case 'cancelled':
      return { state: 'deploying', taskDefinition: s.taskDefinition, detail: s.reason ?? 'cancelled' };
    case 'superseded':
      return { state: 'unknown', detail: 'another update replaced this deployment' };
    case 'gone':
      return { state: 'unknown', detail: 'the service no longer exists' };
  }
}
