// How long the watch sleeps between two polls.
import { sleepWithin } from '@ecs-ship/action-kit';
import type { WatchTarget } from './assess.js';

/**
 * How long to sleep before the next poll: the rest of the poll interval, but never past the earliest deadline of
 * the services still watched, so that a timeout is seen when it falls due rather than a poll later.
 */
export function nextPollIn(
  active: ReadonlyMap<string, { target: Pick<WatchTarget, 'deadline'> }>,
  pollStarted: number,
  pollIntervalMs: number,
  now: number,
): number {
  const earliest = Math.min(...[...active.values()].map((w) => w.target.deadline));
  return sleepWithin(pollStarted + pollIntervalMs - now, earliest - now);
}
