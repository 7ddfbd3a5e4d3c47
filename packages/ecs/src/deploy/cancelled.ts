// What the watch says when the job is cancelled: where each deployment stands, and what ECS does next without the step.
import { revisionName } from './assess.js';
import type { DeployContext } from './types.js';
import { closePhase, type Watched } from './watched.js';

/** On SIGINT/SIGTERM: say where each deployment stands and what ECS does next without us. */
export function cancel(active: Map<string, Watched>, logger: DeployContext['logger'], now: number): true {
  logger.info('Cancelled: no longer watching. ECS carries on without this job:');
  for (const [service, w] of active) {
    const stand = w.report.stand ? ` (${w.report.stand})` : '';
    const previous = revisionName(w.target.previousTaskDefinition);
    let next: string;
    if (w.kind === 'restore') next = `ECS keeps putting ${revisionName(w.target.taskDefinition)} back.`;
    else if (w.target.phase === 'rollback') next = `ECS keeps rolling back to ${previous}.`;
    else if (w.target.rollbackEnabled) {
      next = `ECS keeps rolling out ${revisionName(w.target.taskDefinition)}; if tasks keep failing the circuit breaker rolls back to ${previous}.`;
    } else {
      next = `ECS keeps rolling out ${revisionName(w.target.taskDefinition)}; if tasks keep failing the circuit breaker stops it without rolling back.`;
    }
    logger.info(`${service}: deployment ${w.target.deploymentId}${stand}. ${next}`);
    w.report.result = 'cancelled';
    w.report.reason = `cancelled while ${w.target.phase === 'rollback' ? 'rolling back' : 'deploying'}${stand}. ${next}`;
    closePhase(w.report, now, 'active');
  }
  return true;
}
