/**
 * Deadlines that hold. A step that promises an answer within a timeout keeps it within a second: every wait sleeps
 * the shorter of its poll interval and the time left, every AWS call retries throttling only until the deadline
 * (./aws.ts), and every message gives the time that really passed. The one rule for all the suite's waits (the
 * deploy watch, the one-off task, the image scan, the smoke warm-up, snapshots), and for the inputs that set them: a
 * poll interval longer than its timeout is refused, since the step would sleep past its own deadline.
 * Light on purpose: input readers load it.
 */
import type { Clock } from './clock.js';
import { inUnit, type DurationUnit, type TypedDuration } from './duration.js';
import { formatDuration } from './markdown.js';

/**
 * Until when an AWS client retries throttling (epoch ms), read at each retry so that a wait may move it; undefined
 * between waits, when each call retries throttling for a fixed budget of its own.
 */
export interface RetryDeadline {
  readonly at: number | undefined;
}

/** A point in time a step has promised to answer by. */
export class Deadline implements RetryDeadline {
  readonly startedAt: number;
  private end: number;

  constructor(
    private readonly clock: Clock,
    timeoutMs: number,
    startedAt = clock.now(),
  ) {
    this.startedAt = startedAt;
    this.end = startedAt + timeoutMs;
  }

  /** The deadline, in epoch milliseconds. */
  get at(): number {
    return this.end;
  }

  elapsed(): number {
    return this.clock.now() - this.startedAt;
  }

  /** Milliseconds until the deadline; 0 once it has passed. */
  left(): number {
    return Math.max(0, this.end - this.clock.now());
  }

  passed(): boolean {
    return this.clock.now() >= this.end;
  }

  /** Moves the deadline to `at` when that is later (a new wait with its own timeout began); never earlier. */
  extendTo(at: number): void {
    this.end = Math.max(this.end, at);
  }

  /** How long "N elapsed" is right now, for messages: the time that really passed, not the timeout. */
  elapsedText(): string {
    return formatDuration(this.elapsed());
  }

  /** Sleeps `ms`, or only until the deadline when that comes first. Rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.clock.sleep(sleepWithin(ms, this.end - this.clock.now()), signal);
  }
}

/** The rule of every wait: the shorter of the poll interval and the time left, never negative. */
export function sleepWithin(pollMs: number, leftMs: number): number {
  return Math.max(0, Math.min(pollMs, leftMs));
}

/**
 * The problem with a poll interval longer than the timeout it polls within, worded for the poll's input or key;
 * undefined when it fits. `timeoutName` is the input or key that sets the timeout.
 */
export function pollIntervalProblem(
  poll: TypedDuration & { unit: DurationUnit },
  timeout: TypedDuration & { name: string },
): { problem: string; fix: string } | undefined {
  if (poll.ms <= timeout.ms) return undefined;
  return {
    problem: `${poll.text} is longer than the whole wait ("${timeout.name}" is ${timeout.text}), so the step would sleep past its deadline`,
    fix: `Use at most ${inUnit(timeout.ms, poll.unit)}, or raise "${timeout.name}"`,
  };
}

/**
 * The deadline of the wait in progress, for a client shared by several waits (the release's stages, a publish and
 * its scan): between waits, each call retries throttling for its own fixed budget.
 */
export class RetryBudget implements RetryDeadline {
  private current?: Deadline;

  get at(): number | undefined {
    return this.current?.at;
  }

  /** Runs `work` with throttled calls retried until `deadline` (which the work may move later). */
  async within<T>(deadline: Deadline, work: () => Promise<T>): Promise<T> {
    const previous = this.current;
    this.current = deadline;
    try {
      return await work();
    } finally {
      this.current = previous;
    }
  }
}
