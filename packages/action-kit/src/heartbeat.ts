/**
 * Heartbeats: during a long wait the log prints each change at once, and whenever it has been quiet for the
 * progress interval (30 s unless a `progress-interval-seconds` input or config key says otherwise) a line saying
 * what is awaited, where it stands, how long it has been and how long is left before the step gives up:
 *
 *     web: deploying: 3/6 new tasks running, 2 old draining · 4 min 10 s elapsed, 25 min 50 s left
 *
 * Every wait of the suite (a deploy watch, a one-off task, a snapshot, an image scan, a smoke warm-up) uses this one
 * helper: it hands its logger out through `heartbeat.logger` (every line printed through it counts as a sign of
 * life) and sleeps through `heartbeat.sleep`, which wakes in time for the next heartbeat without shortening the
 * wait it was asked for.
 */
import type { Bounds } from './rules.js';
import type { Clock } from './clock.js';
import type { InputReader } from './inputs.js';
import type { Logger } from './logger.js';
import { formatDuration } from './markdown.js';

/** The longest the log stays quiet during a wait, unless configured otherwise. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 30_000;

/** `progress-interval-seconds` (milliseconds): from a line a second to one every ten minutes. */
export const PROGRESS_INTERVAL: Bounds = { min: 1000, max: 600_000 };

/** The `progress-interval-seconds` input of every action that waits (milliseconds). */
export function readProgressInterval(inputs: InputReader): number {
  return inputs.duration('progress-interval-seconds', {
    unit: 's',
    ...PROGRESS_INTERVAL,
    default: DEFAULT_PROGRESS_INTERVAL_MS,
  });
}

/** What one heartbeat line tells of one awaited thing. */
export interface Beat {
  /** What is awaited and where it stands, printed as it is: "web: deploying: 3/6 new tasks running". */
  what: string;
  /** When the wait began (epoch ms), for the time elapsed. */
  startedAt: number;
  /** When the step gives up on it (epoch ms), for the time left; without one, only the time elapsed is said. */
  deadline?: number;
}

/** What a heartbeat needs of the engine's context; `progressIntervalMs` comes from the step's input or config. */
export interface HeartbeatTools {
  logger: Logger;
  clock: Clock;
  progressIntervalMs?: number;
}

export class Heartbeat {
  /** The logger to print through during the wait: each line it prints puts the next heartbeat off. */
  readonly logger: Logger;
  readonly intervalMs: number;
  private lastLineAt: number;

  constructor(
    private readonly tools: HeartbeatTools,
    /** Where the wait stands now: one beat, several (one line each), or nothing to say. */
    private readonly status: () => Beat | readonly Beat[] | undefined,
  ) {
    this.intervalMs = tools.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
    this.lastLineAt = tools.clock.now();
    const { logger } = tools;
    const said = <A extends unknown[]>(print: (...args: A) => void) => {
      return (...args: A) => {
        this.lastLineAt = tools.clock.now();
        print(...args);
      };
    };
    this.logger = {
      info: said((message: string) => logger.info(message)),
      warning: said((message: string, title?: string) => logger.warning(message, title)),
      error: said((message: string, title?: string) => logger.error(message, title)),
      notice: said((message: string, title?: string) => logger.notice(message, title)),
      debug: (message) => logger.debug(message),
      startGroup: said((name: string) => logger.startGroup(name)),
      endGroup: () => logger.endGroup(),
    };
  }

  /** Milliseconds until the next heartbeat is due (at least 1, so that a loop around it always moves on). */
  dueIn(): number {
    return Math.max(1, this.lastLineAt + this.intervalMs - this.tools.clock.now());
  }

  /** Prints the heartbeat when the log has been quiet for the interval; returns whether it printed. */
  beat(): boolean {
    const now = this.tools.clock.now();
    if (now - this.lastLineAt < this.intervalMs) return false;
    this.lastLineAt = now;
    const status = this.status();
    const beats = status === undefined ? [] : Array.isArray(status) ? status : [status as Beat];
    for (const beat of beats) this.tools.logger.info(heartbeatLine(beat, now));
    return beats.length > 0;
  }

  /**
   * Sleeps `ms` (as `clock.sleep` does, cancellation included), waking to print a heartbeat each time one falls
   * due. The pieces add up to `ms` whatever the clock reads, so a wait is never cut short or stretched.
   */
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    let left = Math.max(0, ms);
    do {
      const piece = Math.min(left, this.dueIn());
      await this.tools.clock.sleep(piece, signal);
      left -= piece;
      this.beat();
    } while (left > 0);
  }
}

/** `<what> · 4 min 10 s elapsed, 25 min 50 s left` (whole seconds: a heartbeat is read, not measured). */
export function heartbeatLine(beat: Beat, now: number): string {
  const elapsed = `${formatDuration(now - beat.startedAt, { wholeSeconds: true })} elapsed`;
  if (beat.deadline === undefined) return `${beat.what} · ${elapsed}`;
  return `${beat.what} · ${elapsed}, ${formatDuration(beat.deadline - now, { wholeSeconds: true })} left`;
}
