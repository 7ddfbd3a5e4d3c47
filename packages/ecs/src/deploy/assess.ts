/**
 * The pure decision at the heart of the watcher: given what we started and what one poll saw, how does the
 * deployment stand? Deployment ids decide, never task definitions alone: a rollback or another person's update
 * can run the same revision we replaced, and a "steady" service can be steady on the old revision.
 */
import type { DeploymentView, EventView, ServiceSnapshot } from './snapshot.js';
import { failedHook, hookFailure, rollbackOutcome } from './strategy/lifecycle.js';

/** One deployment being watched. */
export interface WatchTarget {
  service: string;
  /** `rollout`: the deployment we started (or, in rollback mode, the redeploy we started). `rollback`: ECS rolling
   *  back our failed deployment on its own. */
  phase: 'rollout' | 'rollback';
  /** The deployment our UpdateService created. */
  deploymentId: string;
  /** Its service-deployment ARN, when ECS gave one. */
  serviceDeploymentArn?: string;
  /** The revision we deployed and the one the service ran before. */
  taskDefinition: string;
  previousTaskDefinition: string;
  /** ECS rolls back on failure (circuit breaker or alarms with rollback). */
  rollbackEnabled: boolean;
  /** When we started it (epoch ms): events older than this are history. */
  startedAt: number;
  /** Give up at this time (epoch ms). */
  deadline: number;
}

export type Assessment =
  | { state: 'progressing'; summary: string }
  | { state: 'succeeded'; summary: string }
  | { state: 'failed'; reason: string; rollingBack: boolean }
  | { state: 'superseded'; reason: string; by?: string }
  | { state: 'gone'; reason: string }
  | { state: 'timed-out'; reason: string }
  /** Rollback phase: still on its way back. */
  | { state: 'rolling-back'; summary: string }
  /** Rollback phase: finished; `healthy` says whether the service runs its desired count on `taskDefinition`. */
  | { state: 'rolled-back'; healthy: boolean; taskDefinition?: string; reason: string };

export type AssessedState = Assessment['state'];

/** States that end the watch of a service. */
export function isFinal(assessment: Assessment): boolean {
  return assessment.state !== 'progressing' && assessment.state !== 'rolling-back';
}

export function assess(target: WatchTarget, snapshot: ServiceSnapshot, now: number): Assessment {
  const gone = goneReason(snapshot);
  if (gone) return { state: 'gone', reason: gone };
  const verdict = target.phase === 'rollout' ? assessRollout(target, snapshot) : assessRollback(target, snapshot);
  if ((verdict.state === 'progressing' || verdict.state === 'rolling-back') && now >= target.deadline) {
    const what = verdict.state === 'progressing' ? 'deployment' : 'rollback';
    return { state: 'timed-out', reason: `the ${what} did not finish in time (${verdict.summary})` };
  }
  return verdict;
}

function goneReason(snapshot: ServiceSnapshot): string | undefined {
  if (snapshot.missing) return 'the service no longer exists (DescribeServices reports it MISSING)';
  if (snapshot.status && snapshot.status !== 'ACTIVE') return `the service is ${snapshot.status}, it is being deleted`;
  return undefined;
}

function assessRollout(target: WatchTarget, snapshot: ServiceSnapshot): Assessment {
  const ours = snapshot.deployments.find((deployment) => deployment.id === target.deploymentId);
  const primary = snapshot.deployments.find((deployment) => deployment.status === 'PRIMARY');
  const record = ownRecord(target, snapshot);

  if (record) {
    switch (record.status) {
      case 'SUCCESSFUL':
        return { state: 'succeeded', summary: progress(ours ?? primary, snapshot) };
      case 'ROLLBACK_REQUESTED':
      case 'ROLLBACK_IN_PROGRESS':
      case 'ROLLBACK_SUCCESSFUL':
        return { state: 'failed', reason: failureReason(target, snapshot, ours), rollingBack: true };
      case 'ROLLBACK_FAILED':
        return { state: 'failed', reason: failureReason(target, snapshot, ours), rollingBack: false };
      case 'STOP_REQUESTED':
      case 'STOPPED':
        if (
          ours?.rolloutState !== 'FAILED' &&
          primary &&
          primary.id !== target.deploymentId &&
          !rollbackEvent(target, snapshot)
        ) {
          return superseded(primary, record.statusReason);
        }
        return { state: 'failed', reason: failureReason(target, snapshot, ours), rollingBack: target.rollbackEnabled };
      default:
        // A failed lifecycle hook rolls the deployment back: it is the failure, even before the status says so.
        if (failedHook(record.lifecycle)) {
          return { state: 'failed', reason: failureReason(target, snapshot, ours), rollingBack: true };
        }
        break; // PENDING / IN_PROGRESS: the deployments list may already say more.
    }
  }

  if (ours?.rolloutState === 'FAILED') {
    return { state: 'failed', reason: failureReason(target, snapshot, ours), rollingBack: target.rollbackEnabled };
  }
  if (ours && ours.status === 'PRIMARY') {
    // COMPLETED stays set while a later scale change runs, so the counts must agree too.
    if (ours.rolloutState === 'COMPLETED' && ours.runningCount === ours.desiredCount) {
      return { state: 'succeeded', summary: progress(ours, snapshot) };
    }
    // Without rolloutState (older API answers), the classic steady-state rule on OUR deployment.
    if (
      ours.rolloutState === undefined &&
      snapshot.deployments.length === 1 &&
      ours.runningCount === ours.desiredCount &&
      ours.pendingCount === 0
    ) {
      return { state: 'succeeded', summary: progress(ours, snapshot) };
    }
    return { state: 'progressing', summary: progress(ours, snapshot) };
  }
  if (primary && primary.id !== target.deploymentId) {
    // Our deployment lost PRIMARY (or is gone): ECS rolled it back, or someone else updated the service.
    if (rollbackEvent(target, snapshot)) {
      return { state: 'failed', reason: failureReason(target, snapshot, ours), rollingBack: true };
    }
    return superseded(primary, undefined);
  }
  // Not yet visible in this answer (eventual consistency right after UpdateService).
  return { state: 'progressing', summary: progress(ours, snapshot) };
}

function assessRollback(target: WatchTarget, snapshot: ServiceSnapshot): Assessment {
  const primary = snapshot.deployments.find((deployment) => deployment.status === 'PRIMARY');
  const record = ownRecord(target, snapshot);
  const restored = primary && primary.id !== target.deploymentId ? primary : undefined;

  // Blue/green, linear and canary: blue still runs and takes the traffic back; the record says when that is done.
  const previous = revisionName(target.previousTaskDefinition);
  const shifted = rollbackOutcome(record?.lifecycle, record?.status, previous);
  if (shifted) {
    return {
      state: 'rolled-back',
      healthy: shifted.healthy,
      taskDefinition: target.previousTaskDefinition,
      reason: shifted.healthy
        ? `rolled back: ${shifted.summary}`
        : `the rollback did not restore the previous revision ${previous}: ${shifted.summary}`,
    };
  }
  if (record?.status === 'ROLLBACK_FAILED') {
    return {
      state: 'rolled-back',
      healthy: false,
      taskDefinition: restored?.taskDefinition,
      reason: `the rollback failed: ${record.statusReason ?? 'ECS gave no reason'}`,
    };
  }
  if (restored?.rolloutState === 'FAILED') {
    return {
      state: 'rolled-back',
      healthy: false,
      taskDefinition: restored.taskDefinition,
      reason: `the rollback failed: ${restored.rolloutStateReason ?? 'ECS gave no reason'}`,
    };
  }
  const steady =
    restored !== undefined &&
    snapshot.deployments.length === 1 &&
    restored.runningCount >= restored.desiredCount &&
    restored.pendingCount === 0 &&
    (restored.rolloutState === undefined || restored.rolloutState === 'COMPLETED');
  if (steady || (record?.status === 'ROLLBACK_SUCCESSFUL' && restored)) {
    const revision = restored!.taskDefinition;
    const onPrevious = revision === target.previousTaskDefinition;
    return {
      state: 'rolled-back',
      healthy: true,
      taskDefinition: revision,
      reason: onPrevious
        ? `rolled back: ${restored!.runningCount}/${restored!.desiredCount} tasks healthy on the previous revision ${revisionName(revision)}`
        : `rolled back to ${revisionName(revision)}: ${restored!.runningCount}/${restored!.desiredCount} tasks healthy`,
    };
  }
  return { state: 'rolling-back', summary: progress(restored, snapshot) };
}

/** The service-deployment record, when it is the one our update created. */
function ownRecord(target: WatchTarget, snapshot: ServiceSnapshot) {
  const record = snapshot.serviceDeployment;
  return record && target.serviceDeploymentArn && record.arn === target.serviceDeploymentArn ? record : undefined;
}

function superseded(primary: DeploymentView, statusReason: string | undefined): Assessment {
  return {
    state: 'superseded',
    by: primary.id,
    reason: `superseded by deployment ${primary.id} of ${revisionName(primary.taskDefinition)}${statusReason ? ` (${statusReason})` : ''}; another update replaced this one`,
  };
}

/**
 * Once our failed deployment has drained (tasks that never started drain at once), the deployment ECS started to roll
 * it back still says why: "ECS deployment circuit breaker: rolling back to deploymentId …" (or "ECS deployment
 * alarms: …"), where the service's event only says "rolling back".
 */
function rollbackCause(target: WatchTarget, snapshot: ServiceSnapshot): string | undefined {
  return snapshot.deployments.find(
    (d) =>
      d.id !== target.deploymentId &&
      /^ECS deployment (circuit breaker|alarms): rolling back/.test(d.rolloutStateReason ?? ''),
  )?.rolloutStateReason;
}

/**
 * ECS's event that our deployment failed, which names the cause ("(deployment ecs-svc/…) deployment failed: tasks
 * failed to start." or "…: alarm detected."). Without the service-deployment record, once ECS's rollback has
 * completed between two polls, the events are all that still say why: the newest of them only says "rolling back".
 */
function failedEvent(target: WatchTarget, events: EventView[]): string | undefined {
  const message = events.find((event) =>
    event.message.includes(`(deployment ${target.deploymentId}) deployment failed`),
  )?.message;
  return message && withoutServicePrefix(message);
}

/** Events since our deployment started that say ECS is rolling it back. */
function rollbackEvent(target: WatchTarget, snapshot: ServiceSnapshot): EventView | undefined {
  return recentEvents(target, snapshot).find((event) => /rolling back|rolled back|rollback/i.test(event.message));
}

export function recentEvents(target: Pick<WatchTarget, 'startedAt'>, snapshot: ServiceSnapshot): EventView[] {
  // A second of slack: ECS timestamps and ours come from different clocks.
  return snapshot.events.filter((event) => event.createdAt >= target.startedAt - 1000);
}

/**
 * ECS's own words for the failure: the deployment's rollout reason, the service-deployment record's, then the events.
 * One poll reads DescribeServices and DescribeServiceDeployments at slightly different moments, so the record can
 * already say FAILED while the services' answer does not show it yet. The task failure that tripped the breaker is
 * therefore read only from a services answer that shows the failure itself, as the newest task failure before it;
 * otherwise the record's own counts tell how many tasks failed. One observation, one story.
 */
function failureReason(target: WatchTarget, snapshot: ServiceSnapshot, ours: DeploymentView | undefined): string {
  const record = ownRecord(target, snapshot);
  const events = recentEvents(target, snapshot);
  // The deployment's own rollout reason is the most specific ("circuit breaker: tasks failed to start").
  const reason =
    (ours?.rolloutState === 'FAILED' ? ours.rolloutStateReason : undefined) ??
    record?.rollbackReason ??
    record?.statusReason ??
    ours?.rolloutStateReason ??
    rollbackCause(target, snapshot) ??
    failedEvent(target, events) ??
    events.find((event) => /circuit breaker|alarm|deployment failed|rolling back/i.test(event.message))?.message ??
    'ECS reports the deployment failed without a reason';
  const parts = [sentence(reason)];
  const hook = hookFailure(record?.lifecycle);
  if (hook) parts.push(hook);
  const alarms = record?.triggeredAlarms ?? [];
  if (alarms.length > 0 && !alarms.every((alarm) => reason.includes(alarm)))
    parts.push(`Alarms in ALARM: ${alarms.join(', ')}.`);
  const taskFailure = trippingTaskFailure(target, events, ours);
  if (taskFailure) parts.push(`Latest task failure: ${sentence(withoutServicePrefix(taskFailure.message))}`);
  else if (record?.circuitBreaker?.failureCount) {
    const { failureCount, threshold } = record.circuitBreaker;
    parts.push(
      `${failureCount} task(s) failed${threshold ? ` (the circuit breaker's threshold is ${threshold})` : ''}.`,
    );
  }
  return parts.join(' ');
}

/**
 * The newest task failure before the failure, in a services answer (events newest first) that shows the failure:
 * our deployment FAILED, or ECS's event saying so. Undefined when the answer predates the failure.
 */
function trippingTaskFailure(
  target: WatchTarget,
  events: EventView[],
  ours: DeploymentView | undefined,
): EventView | undefined {
  const ownFailure = `(deployment ${target.deploymentId}) deployment failed`;
  const failedAt = events.findIndex((event) =>
    target.deploymentId ? event.message.includes(ownFailure) : /deployment failed/i.test(event.message),
  );
  if (failedAt < 0 && ours?.rolloutState !== 'FAILED') return undefined;
  // Older than the failure event (later in the list): what the breaker counted, not the rollback's own tasks.
  return events
    .slice(failedAt + 1)
    .find((event) => /\(task [^)]+\)/.test(event.message) && TASK_FAILURE.test(event.message));
}

const TASK_FAILURE =
  /failed to start|failed container health checks|failed (?:ELB|load balancer) health checks|is unhealthy|essential container .* exited/i;

function withoutServicePrefix(message: string): string {
  return message.replace(/^\(service [^)]+\)\s*/, '');
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** How far a deployment got, for people: `3/6 new tasks running, 1 pending, 2 old draining`. */
function progress(deployment: DeploymentView | undefined, snapshot: ServiceSnapshot): string {
  const stage = snapshot.serviceDeployment?.lifecycle?.stage;
  if (!deployment) return `${stage ? `${stage}, ` : ''}${snapshot.runningCount}/${snapshot.desiredCount} tasks running`;
  const parts = [...(stage ? [stage] : []), `${deployment.runningCount}/${deployment.desiredCount} new tasks running`];
  if (deployment.pendingCount > 0) parts.push(`${deployment.pendingCount} pending`);
  if (deployment.failedTasks > 0) parts.push(`${deployment.failedTasks} failed`);
  const others = snapshot.deployments.filter((other) => other.id !== deployment.id);
  const old = others.reduce((n, other) => n + other.runningCount, 0);
  // An older deployment scaled below the tasks it still runs is draining them.
  const draining = others.reduce((n, other) => n + Math.max(0, other.runningCount - other.desiredCount), 0);
  if (old > 0) {
    parts.push(
      draining === old
        ? `${old} old draining`
        : draining > 0
          ? `${old} old running (${draining} draining)`
          : `${old} old running`,
    );
  }
  return parts.join(', ');
}

/** `family:rev` from an ARN, for people. */
export function revisionName(taskDefinition: string | undefined): string {
  if (!taskDefinition) return '?';
  const slash = taskDefinition.lastIndexOf('/');
  return slash >= 0 ? taskDefinition.slice(slash + 1) : taskDefinition;
}
