// A sandbox clock that only moves when told to: the state machine's tables of transitions run on it, so a test can
// say "FAILED is recorded at instant T" without waiting in real time. A whole sandbox can run on one
// (`startSandbox({ clock })`): scenario time is then the clock's time, and a client whose sleeps advance it (see
// @ecs-ship/testing's sandboxClock) waits minutes of scenario time in no time at all.
import type { ManagedClock } from '../core/clock.js';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

export class ManualClock implements ManagedClock {
  readonly timeScale = 1;
  private current: number;
  private loadedAt: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
    this.loadedAt = start;
  }

  /** Drops every pending timer (a sandbox reloading its scenario); time goes on from where it is. */
  clearTimers(): void {
    this.timers = [];
    this.loadedAt = this.current;
  }

  /** Scenario seconds since the clock started or its timers were last cleared (the scenario loaded). */
  elapsedSeconds(): number {
    return (this.current - this.loadedAt) / 1000;
  }

  now(): number {
    return this.current;
  }

  scaled(seconds: number): number {
    return seconds * 1000;
  }

  after(seconds: number, fn: () => void): () => void {
    const timer: Timer = { at: this.current + seconds * 1000, seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Seconds from `start` (an epoch-ms instant) to now, for readable assertions. */
  elapsedSince(start: number): number {
    return (this.current - start) / 1000;
  }

  /** Moves time forward by `seconds`, running every timer that falls due, in order (ties in scheduling order). */
  advance(seconds: number): void {
    const target = this.current + seconds * 1000;
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.current = next.at;
      next.fn();
    }
    this.current = target;
  }

  /** Advances step by step (at most `maxSeconds`) until `done()` holds; returns the seconds that passed. */
  advanceUntil(done: () => boolean, maxSeconds = 3600, step = 0.1): number {
    let passed = 0;
    while (!done()) {
      if (passed >= maxSeconds) throw new Error(`condition not reached within ${maxSeconds} s`);
      this.advance(step);
      passed = Math.round((passed + step) * 1000) / 1000;
    }
    return passed;
  }

  pending(): number {
    return this.timers.length;
  }

  private nextDue(target: number): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers) {
      if (t.at > target) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
