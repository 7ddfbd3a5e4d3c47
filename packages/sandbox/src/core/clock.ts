import type { SandboxClock } from './module.js';

/** The sandbox clock plus the means to drop every pending timer when the sandbox stops or reloads. */
export interface ManagedClock extends SandboxClock {
  /** Cancels every timer scheduled through `after` (on stop and on scenario reload). */
  clearTimers(): void;
  readonly timeScale: number;
  /** Scenario seconds since the clock started (the scenario loaded). */
  elapsedSeconds(): number;
}

/**
 * A clock whose declared durations shrink by `timeScale` (0.01 turns a scenario's "30 s" into 300 ms),
 * while timestamps stay real wall-clock time so answers look like AWS's.
 */
export function createClock(timeScale: number): ManagedClock {
  const timers = new Set<NodeJS.Timeout>();
  const startedAt = Date.now();
  return {
    timeScale,
    elapsedSeconds: () => (Date.now() - startedAt) / 1000 / timeScale,
    now: () => Date.now(),
    scaled: (seconds) => Math.max(0, seconds * 1000 * timeScale),
    after(seconds, fn) {
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          fn();
        },
        Math.max(0, seconds * 1000 * timeScale),
      );
      // A pending scenario timer must not keep a test process or the CLI alive on its own.
      timer.unref();
      timers.add(timer);
      return () => {
        clearTimeout(timer);
        timers.delete(timer);
      };
    },
    clearTimers() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
