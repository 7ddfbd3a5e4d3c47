/**
 * Putting a service's previous revision back from the step itself (on-timeout rollback, rollback-others-on-failure)
 * and, when asked, turning its watch into the watch of that restore.
 */
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { describeAwsFailure } from '@ecs-ship/action-kit';
import { revisionName } from './assess.js';
import type { DeployContext, DeployOptions } from './types.js';
import { startedDeployment, type Before, type Watched } from './watched.js';

/** Puts the previous revision back (see restorePrevious); when that fails, says so: the step fails anyway. */
export async function restoreOrSay(
  w: Watched,
  now: number,
  options: DeployOptions,
  context: DeployContext,
): Promise<boolean> {
  try {
    return await restorePrevious(w, now, options, context);
  } catch (error) {
    if (context.signal.aborted) throw error;
    const reason = `could not put ${revisionName(w.target.previousTaskDefinition)} back: ${describeAwsFailure(error)}`;
    w.report.rollback = { healthy: false, reason, by: 'step' };
    context.logger.error(reason, w.target.service);
    return false;
  }
}

/** on-timeout rollback: put the previous revision back ourselves and, when asked, watch it come back. */
async function restorePrevious(
  w: Watched,
  now: number,
  options: DeployOptions,
  context: DeployContext,
): Promise<boolean> {
  const { ecs, logger, clock } = context;
  const { target, report } = w;
  // Putting the previous revision back is a wait of its own: its calls get its time.
  context.deadline?.extendTo(now + options.timeoutMs);
  const answer = await ecs.send(
    new UpdateServiceCommand({
      cluster: options.cluster,
      service: target.service,
      taskDefinition: target.previousTaskDefinition,
    }),
  );
  const before: Before = { primaryId: target.deploymentId, serviceDeploymentArn: target.serviceDeploymentArn };
  const started = startedDeployment(before, answer.service, target.previousTaskDefinition, true);
  logger.info(
    `${target.service}: put ${revisionName(target.previousTaskDefinition)} back (deployment ${started.id ?? '?'}).`,
  );
  if (!options.waitForRollback) {
    report.rollback = {
      healthy: false,
      taskDefinition: target.previousTaskDefinition,
      reason: `${revisionName(target.previousTaskDefinition)} put back; not waited for`,
      by: 'step',
      pending: true,
    };
    return false;
  }
  const restartedAt = clock.now();
  report.phases.push({
    label: `restore ${revisionName(target.previousTaskDefinition)}`,
    start: now,
    outcome: 'active',
  });
  w.kind = 'restore';
  w.before = before;
  w.expectsNew = true;
  w.target = {
    ...target,
    phase: 'rollout',
    deploymentId: started.id ?? '',
    serviceDeploymentArn: started.arn,
    taskDefinition: target.previousTaskDefinition,
    startedAt: restartedAt,
    deadline: restartedAt + options.timeoutMs,
  };
  context.deadline?.extendTo(w.target.deadline);
  return true;
}
