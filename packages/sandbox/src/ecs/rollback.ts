// What ECS does when a deployment fails: the rollout state, the events, the service-deployment record's statuses, and
// the rollback deployment that takes over as primary.
import { logRollout, newDeployment, setRecordStatus, type Deployment } from './deployments.js';
import type { Service } from './service.js';

/** The circuit breaker or an alarm failed the service's primary deployment: FAILED, no more launches, and with
 *  rollback configured a new primary on the last COMPLETED deployment's task definition. */
export function failDeployment(
  service: Service,
  deployment: Deployment,
  cause: 'breaker' | 'alarm',
  alarms: string[],
): void {
  const now = service.clock.now();
  // Whether to roll back is the failed deployment's own configuration, as its service-deployment record holds it.
  const config = deployment.record.deploymentConfiguration;
  deployment.rolloutState = 'FAILED';
  deployment.rolloutStateReason =
    cause === 'breaker'
      ? 'ECS deployment circuit breaker: tasks failed to start.'
      : `ECS deployment alarms: alarm(s) ${alarms.join(', ')} in ALARM state.`;
  deployment.updatedAt = now;
  logRollout(service, deployment);
  service.event(
    `(deployment ${deployment.id}) deployment failed: ${cause === 'breaker' ? 'tasks failed to start' : 'alarm detected'}.`,
  );
  const record = deployment.record;
  if (cause === 'breaker') record.circuitBreaker.status = 'TRIGGERED';
  else record.alarms.status = 'TRIGGERED';
  const rollback = cause === 'breaker' ? config.deploymentCircuitBreaker.rollback : (config.alarms?.rollback ?? false);
  const target = service.lastCompleted;

  if (deployment.isRollback) {
    // The rollback itself failed: nothing left to roll back to.
    setRecordStatus(service, record, 'ROLLBACK_FAILED', deployment.rolloutStateReason);
    record.finishedAt = now;
    return;
  }
  if (!rollback || !target) {
    setRecordStatus(
      service,
      record,
      'STOPPED',
      rollback
        ? `${deployment.rolloutStateReason} No completed deployment to roll back to.`
        : deployment.rolloutStateReason,
    );
    record.stoppedAt = now;
    return;
  }
  const reason =
    cause === 'breaker'
      ? 'Service deployment rolled back because the circuit breaker threshold was exceeded.'
      : `Service deployment rolled back because alarm(s) ${alarms.join(', ')} entered ALARM state.`;
  setRecordStatus(service, record, 'ROLLBACK_REQUESTED', reason);
  const rollbackDeployment = newDeployment(service, target.taskDefinition, target.revision, true);
  rollbackDeployment.placement = target.placement;
  rollbackDeployment.rolloutStateReason = `${
    cause === 'breaker' ? 'ECS deployment circuit breaker' : 'ECS deployment alarms'
  }: rolling back to deploymentId ${target.id}.`;
  rollbackDeployment.rolloutHistory = [];
  rollbackDeployment.record = record;
  record.rollback = { reason, startedAt: now, serviceRevisionArn: target.revision.arn };
  record.rollbackDeployment = rollbackDeployment;
  deployment.status = 'ACTIVE';
  service.deployments.unshift(rollbackDeployment);
  logRollout(service, rollbackDeployment);
  setRecordStatus(service, record, 'ROLLBACK_IN_PROGRESS', reason);
  service.event(`rolling back to deployment ${target.id}.`);
}
