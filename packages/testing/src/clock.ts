/**
 * A clock for tests of code that waits: time moves only when the code sleeps, by exactly what it asked for, so a
 * test of a 30-minute wait runs at once and can read every sleep back.
 */
import type { Clock } from '@ecs-ship/action-kit';

export function steppingClock(start = Date.UTC(2026, 10, 23, 12, 0, 0)): Clock & { slept: number[] } {
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

/**
 * The engine's clock on a sandbox's manual clock (`startSandbox({ clock })`): now is the sandbox's scenario time, and
 * each sleep moves it on by what was asked, running every sandbox timer that falls due. A test of a five-minute
 * watch against the sandbox over HTTP then takes as long as its requests.
 */
export function sandboxClock(manual: { now(): number; advance(seconds: number): void }): Clock & { slept: number[] } {
  const slept: number[] = [];
  return {
    slept,
    now: () => manual.now(),
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      slept.push(ms);
      manual.advance(ms / 1000);
    },
  };
}
