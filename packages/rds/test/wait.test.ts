import { MemoryLogger, UserError } from '@ecs-ship/action-kit';
import { Deadline, HEARTBEAT_MS, waitFor, type Progress } from '../src/wait.js';
import { steppingClock } from '@ecs-ship/testing/clock';

/** Statuses returned one per look; the last one repeats. */
function script(...statuses: string[]) {
  let looks = 0;
  return {
    looks: () => looks,
    look: async () => statuses[Math.min(looks++, statuses.length - 1)]!,
    assess: (status: string): Progress =>
      status === 'available'
        ? { state: 'done' }
        : status === 'failed'
          ? { state: 'failed', reason: 'DB instance x ended in status "failed"' }
          : { state: 'waiting', status },
  };
}

test('prints each change once and a heartbeat at least every 30 s with elapsed and time left', async () => {
  const clock = steppingClock();
  const logger = new MemoryLogger();
  const printedAt: number[] = [];
  const info = logger.info.bind(logger);
  logger.info = (message) => (printedAt.push(clock.now()), info(message));
  const awaited = script(...Array<string>(20).fill('creating'), 'backing-up', 'available');
  const deadline = new Deadline(clock, 3_600_000, 'timeout-minutes');
  await waitFor(
    { what: 'DB instance x to be available', ...awaited },
    { logger, clock, deadline, pollIntervalMs: 10_000 },
  );
  // 210 s of waiting, never more than 30 s without a line.
  const gaps = [...printedAt.slice(1), clock.now()].map((at, i) => at - printedAt[i]!);
  expect(clock.now() - deadline.startedAt).toBe(210_000);
  expect(Math.max(...gaps)).toBeLessThanOrEqual(HEARTBEAT_MS);
  expect(logger.lines[0]).toBe('Waiting for DB instance x to be available: creating');
  expect(logger.lines).toContain(
    'Still waiting for DB instance x to be available: creating; 30.0 s elapsed, 59 min 30 s left',
  );
  expect(logger.lines).toContain('Waiting for DB instance x to be available: backing-up');
});

test('a poll interval longer than the heartbeat still gets a line every 30 s, and looks only when the poll is due', async () => {
  const clock = steppingClock();
  const logger = new MemoryLogger();
  const awaited = script('creating', 'creating', 'available');
  const deadline = new Deadline(clock, 3_600_000, 'timeout-minutes');
  await waitFor({ what: 'x', ...awaited }, { logger, clock, deadline, pollIntervalMs: 90_000 });
  expect(clock.slept).toEqual([30_000, 30_000, 30_000, 30_000, 30_000, 30_000]);
  expect(awaited.looks()).toBe(3);
  expect(logger.lines.filter((line) => line.startsWith('Still waiting'))).toHaveLength(5);
});

test('never sleeps past the deadline, looks once more at it, then says what it waited for and which input to raise', async () => {
  const clock = steppingClock();
  const awaited = script('creating');
  const deadline = new Deadline(clock, 25_000, 'timeout-minutes');
  const error = await waitFor(
    { what: 'DB instance x to be available', ...awaited },
    { logger: new MemoryLogger(), clock, deadline, pollIntervalMs: 10_000, consequence: 'DB instance y is untouched' },
  ).catch((e: unknown) => e as Error);
  expect(clock.slept).toEqual([10_000, 10_000, 5_000]);
  expect(awaited.looks()).toBe(4);
  expect(error).toBeInstanceOf(UserError);
  expect(error.message).toBe(
    'Gave up waiting for DB instance x to be available after 25.0 s: still creating; DB instance y is untouched. Raise "timeout-minutes" if RDS needs longer.',
  );
});

test('a status that cannot become available fails at once with its reason and the consequence', async () => {
  const clock = steppingClock();
  await expect(
    waitFor(
      { what: 'x', ...script('creating', 'failed') },
      {
        logger: new MemoryLogger(),
        clock,
        deadline: new Deadline(clock, 60_000, 'timeout-minutes'),
        pollIntervalMs: 1000,
        consequence: 'nothing else was changed',
      },
    ),
  ).rejects.toThrow('DB instance x ended in status "failed"; nothing else was changed.');
});
