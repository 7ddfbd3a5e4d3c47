// Waiting on RDS: poll until a resource is where it should be, print each change once and, while nothing changes, a
// heartbeat at least every 30 s saying what is awaited, how long it has been and how long is left. Never sleeps past
// the deadline: each sleep is the shortest of the poll interval, the time to the next heartbeat and the time left.
import { UserError, abortReason, formatDuration, type Clock, type Logger } from '@ecs-ship/action-kit';

/** The longest the log stays silent during a wait, unless the step's progress-interval-seconds says otherwise. */
export const HEARTBEAT_MS = 30_000;

/** One deadline for a whole step, shared by its waits. */
export class Deadline {
  readonly startedAt: number;

  constructor(
    private readonly clock: Clock,
    readonly timeoutMs: number,
    /** The input that sets the timeout, named when it runs out. */
    readonly timeoutInput: string,
  ) {
    this.startedAt = clock.now();
  }

  elapsed(): number {
    return this.clock.now() - this.startedAt;
  }

  left(): number {
    return Math.max(0, this.timeoutMs - this.elapsed());
  }
}

/** What one look found: done, still on its way (with the status to print), or failed for good. */
export type Progress = { state: 'done' } | { state: 'waiting'; status: string } | { state: 'failed'; reason: string };

export interface Awaited<V> {
  /** What is awaited, completing "Waiting for …": "DB instance shop-db-restored to be available". */
  what: string;
  look(): Promise<V>;
  assess(view: V): Progress;
  /** The title of the annotation a failure or a timeout gets (default "RDS"). */
  title?: string;
  /** The sentence for a timeout, when "Gave up waiting for …" does not fit. */
  timedOut?(status: string, elapsed: string): string;
}

export interface WaitTools {
  logger: Logger;
  clock: Clock;
  signal?: AbortSignal;
  deadline: Deadline;
  pollIntervalMs: number;
  /** The longest the log stays silent (the step's progress-interval-seconds; default HEARTBEAT_MS). */
  progressIntervalMs?: number;
  /** Said after a timeout or a failure: what it means for the rest of the step ("the migration was not run"). */
  consequence?: string;
}

/** Polls `awaited` until it is done; returns the last view. A failure or the deadline is a UserError. */
export async function waitFor<V>(awaited: Awaited<V>, tools: WaitTools, first?: V): Promise<V> {
  const { logger, clock, signal, deadline, pollIntervalMs } = tools;
  const heartbeatMs = tools.progressIntervalMs ?? HEARTBEAT_MS;
  const after = tools.consequence ? `; ${tools.consequence}` : '';
  let view = first ?? (await look(awaited, signal));
  let lastStatus: string | undefined;
  let lastLineAt = clock.now();
  let nextLookAt = clock.now() + pollIntervalMs;
  for (;;) {
    const progress = awaited.assess(view);
    if (progress.state === 'done') return view;
    if (progress.state === 'failed') {
      throw new UserError(`${progress.reason}${after}.`, { title: `${awaited.title ?? 'RDS'} failed` });
    }
    const now = clock.now();
    if (progress.status !== lastStatus) {
      logger.info(`Waiting for ${awaited.what}: ${progress.status}`);
      lastStatus = progress.status;
      lastLineAt = now;
    } else if (now - lastLineAt >= heartbeatMs) {
      logger.info(
        `Still waiting for ${awaited.what}: ${progress.status}; ${formatDuration(deadline.elapsed())} elapsed, ${formatDuration(deadline.left())} left`,
      );
      lastLineAt = now;
    }
    const left = deadline.left();
    if (left <= 0) {
      const elapsed = formatDuration(deadline.elapsed());
      const what =
        awaited.timedOut?.(progress.status, elapsed) ??
        `Gave up waiting for ${awaited.what} after ${elapsed}: still ${progress.status}`;
      throw new UserError(`${what}${after}. Raise "${deadline.timeoutInput}" if RDS needs longer.`, {
        title: `${awaited.title ?? 'RDS'} timed out`,
      });
    }
    await clock.sleep(Math.max(0, Math.min(nextLookAt - now, lastLineAt + heartbeatMs - now, left)), signal);
    if (clock.now() >= nextLookAt || deadline.left() <= 0) {
      view = await look(awaited, signal);
      nextLookAt = clock.now() + pollIntervalMs;
    }
  }
}

async function look<V>(awaited: Awaited<V>, signal: AbortSignal | undefined): Promise<V> {
  try {
    return await awaited.look();
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    throw error;
  }
}
