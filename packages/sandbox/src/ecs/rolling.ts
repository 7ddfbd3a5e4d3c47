// The rolling-update scheduler's pass over a service under the ECS deployment controller: fail the primary on an
// alarm or the circuit breaker, stop and launch tasks within the minimum-healthy and maximum percent bounds, drop
// drained deployments, and complete the primary once the service is steady.
import type { Deployment } from './deployments.js';
import { failDeployment } from './rollback.js';
import type { Service } from './service.js';
import type { Task } from './task.js';

export function rollingPass(service: Service): void {
  let primary = service.primary;
  if (primary.rolloutState === 'IN_PROGRESS') {
    const triggered = service.triggeredAlarms(primary);
    if (triggered.length > 0) {
      primary.record.alarms.triggeredAlarmNames = triggered;
      failDeployment(service, primary, 'alarm', triggered);
    } else if (primary.record.deploymentConfiguration.deploymentCircuitBreaker.enable && primary.breaker.tripped) {
      failDeployment(service, primary, 'breaker', []);
    }
  }
  primary = service.primary;
  const desired = service.desiredCount;
  primary.desiredCount = desired;
  const maxAlive = Math.floor((desired * service.deploymentConfiguration.maximumPercent) / 100);
  const minHealthy = Math.ceil((desired * service.deploymentConfiguration.minimumHealthyPercent) / 100);
  const launching = primary.rolloutState !== 'FAILED';
  const stopped: Task[] = [];
  const scale = `Scaling activity initiated by (deployment ${primary.id})`;

  // The primary above its desired count (scaled in): stop the least useful tasks first.
  const primaryAlive = primary.tasks.filter((t) => t.alive).sort(byUsefulness);
  if (primaryAlive.length > desired) stopped.push(...service.stopTasks(primaryAlive.slice(desired), scale, true));

  // Older deployments: tasks that are not healthy help nobody; healthy ones go as the primary covers for them,
  // or to make room for the primary within maximumPercent without dropping below minimumHealthyPercent.
  const olds = service.deployments.slice(1).sort((a, b) => oldRank(a) - oldRank(b));
  const oldUnhealthy = olds.flatMap((d) => d.tasks.filter((t) => t.alive && !t.healthy));
  stopped.push(...service.stopTasks(oldUnhealthy, scale, true));
  const oldHealthy = olds.flatMap((d) => d.tasks.filter((t) => t.alive && t.healthy));
  const primaryHealthy = primary.tasks.filter((t) => t.alive && t.healthy).length;
  const primaryLive = primary.tasks.filter((t) => t.alive).length;
  const aliveAll = () => service.deployments.reduce((n, d) => n + d.tasks.filter((t) => t.alive).length, 0);
  const wantLaunch = launching ? Math.max(0, desired - primaryLive) : 0;
  const excess = oldHealthy.length - Math.max(0, desired - primaryHealthy);
  const needRoom = Math.max(0, wantLaunch - (maxAlive - aliveAll()));
  const stoppable = primaryHealthy + oldHealthy.length - minHealthy;
  const stopCount = Math.min(oldHealthy.length, Math.max(excess, Math.min(needRoom, stoppable), 0));
  stopped.push(...service.stopTasks(oldHealthy.slice(0, stopCount), scale, true));

  service.launchTasks(primary, Math.min(wantLaunch, Math.max(0, maxAlive - aliveAll())));
  if (stopped.length > 0) {
    service.event(`has stopped ${stopped.length} running tasks: ${stopped.map((t) => `(task ${t.id})`).join(' ')}.`);
  }

  // Older deployments are gone once their last task has stopped; a FAILED one stays listed until the primary
  // completes, so that a watcher polling deployments[] sees the failure.
  const drained = (d: Deployment) => d.tasks.every((t) => t.lastStatus === 'STOPPED');
  for (const old of service.deployments.slice(1)) {
    if (!drained(old) || old.rolloutState === 'FAILED') continue;
    service.removeDeployment(old);
  }

  const live = primary.tasks.filter((t) => t.alive);
  const steady =
    service.deployments.slice(1).every(drained) &&
    live.length === desired &&
    live.every((t) => t.healthy && t.lastStatus === 'RUNNING') &&
    primary.tasks.every((t) => t.alive || t.lastStatus === 'STOPPED');
  if (steady && primary.rolloutState === 'IN_PROGRESS' && service.baked(primary)) service.complete(primary);
  if (steady) for (const old of service.deployments.slice(1)) service.removeDeployment(old);
  if (steady && primary.rolloutState === 'COMPLETED' && !service.steadyAnnounced) {
    service.event('has reached a steady state.');
    service.steadyAnnounced = true;
  }
  if (!steady) {
    service.steadyAnnounced = false;
    primary.bakeStartedAt = undefined;
  }
}

/** Failed deployments are drained first, then the oldest. */
function oldRank(d: Deployment): number {
  return (d.rolloutState === 'FAILED' ? 0 : 1e15) + d.createdAt;
}

/** Pending and unhealthy tasks are the first to go when a deployment shrinks. */
function byUsefulness(a: Task, b: Task): number {
  return Number(b.healthy) - Number(a.healthy);
}
