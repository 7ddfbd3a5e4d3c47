import type { Clock } from '@ecs-ship/action-kit';

/** A clock whose sleeps pass at once, moving its time forward; it keeps every sleep. */
export function steppingClock(start = Date.UTC(2026, 10, 23, 15, 4, 5)): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      slept.push(ms);
      now += ms;
    },
  };
}
