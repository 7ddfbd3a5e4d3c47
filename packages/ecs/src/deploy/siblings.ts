/**
 * When one service of a multi-service deploy fails, the others. By default each is watched to its own outcome (the
 * summary and the `service-states` output say where each one ends). With `rollback-others-on-failure`, every other
 * service this run changed is put back on its previous revision, so that the deploy is all-or-nothing; those
 * rollbacks are watched like the failed service's own.
 */
import type { Logger } from '@ecs-ship/action-kit';
import { revisionName } from './assess.js';
import type { ServiceResult } from './types.js';
import { closePhase, type Watched } from './watched.js';

/** Results that fail the deploy. */
export const FAILING_RESULTS: readonly ServiceResult[] = ['failed', 'rolled-back', 'timed-out', 'superseded', 'gone'];

/** The services whose deployment failed (not those this step rolled back because of them). */
export function failedServices(watched: ReadonlyMap<string, Watched>): string[] {
  return [...watched.values()]
    .filter((w) => FAILING_RESULTS.includes(w.report.result) && !rolledBackBecauseOfOthers(w))
    .map((w) => w.target.service);
}

export function rolledBackBecauseOfOthers(w: Pick<Watched, 'report'>): boolean {
  return w.report.rolledBackBecauseOf !== undefined;
}

/**
 * rollback-others-on-failure: every other service this run changed (still deploying, or already done) goes back to
 * its previous revision through `restore`, which says whether to watch it come back.
 */
export async function rollBackOthers(
  watched: ReadonlyMap<string, Watched>,
  active: Map<string, Watched>,
  failed: string[],
  now: number,
  logger: Logger,
  restore: (w: Watched) => Promise<boolean>,
): Promise<void> {
  for (const [service, w] of watched) {
    if (w.kind !== 'deploy' || (w.report.result !== 'in-progress' && w.report.result !== 'succeeded')) continue;
    const because = `${failed.join(', ')} failed (rollback-others-on-failure)`;
    logger.info(`${service}: putting ${revisionName(w.target.previousTaskDefinition)} back because ${because}.`);
    closePhase(w.report, now, w.report.result === 'succeeded' ? 'ok' : 'active');
    Object.assign(w.report, {
      result: 'rolled-back',
      reason: `rolled back by this step because ${because}`,
      rolledBackBecauseOf: failed,
      finishedAt: w.report.finishedAt ?? now,
    });
    if (await restore(w)) active.set(service, w);
    else active.delete(service);
  }
}
