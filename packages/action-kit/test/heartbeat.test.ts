import { Heartbeat, MemoryLogger, heartbeatLine, type Clock } from '@ecs-ship/action-kit';
import { steppingClock } from '@ecs-ship/testing/clock';

/** A clock whose sleeps pass at once, moving its time forward, and that records each sleep. */

describe('Heartbeat', () => {
  test('a quiet wait gets a line every interval with what is awaited, elapsed and time left', async () => {
    const clock = steppingClock();
    const logger = new MemoryLogger();
    const startedAt = clock.now();
    const heartbeat = new Heartbeat({ logger, clock }, () => ({
      what: 'web: deploying: 3/6 new tasks running, 2 old draining',
      startedAt,
      deadline: startedAt + 30 * 60_000,
    }));
    // Two minutes of 5 s polls in which nothing changes.
    for (let i = 0; i < 24; i++) await heartbeat.sleep(5000);
    expect(logger.lines).toEqual([
      'web: deploying: 3/6 new tasks running, 2 old draining · 30 s elapsed, 29 min 30 s left',
      'web: deploying: 3/6 new tasks running, 2 old draining · 1 min 00 s elapsed, 29 min 00 s left',
      'web: deploying: 3/6 new tasks running, 2 old draining · 1 min 30 s elapsed, 28 min 30 s left',
      'web: deploying: 3/6 new tasks running, 2 old draining · 2 min 00 s elapsed, 28 min 00 s left',
    ]);
    expect(clock.slept.reduce((a, b) => a + b)).toBe(120_000);
  });

  test('every line printed through its logger puts the next heartbeat off', async () => {
    const clock = steppingClock();
    const memory = new MemoryLogger();
    const heartbeat = new Heartbeat({ logger: memory, clock }, () => ({ what: 'x', startedAt: 0 }));
    await heartbeat.sleep(20_000);
    heartbeat.logger.info('web: a change');
    await heartbeat.sleep(20_000);
    expect(memory.lines).toEqual(['web: a change']);
    await heartbeat.sleep(10_000);
    expect(memory.lines).toHaveLength(2);
  });

  test('a sleep longer than the interval wakes for each heartbeat and still lasts exactly as long', async () => {
    const clock = steppingClock();
    const logger = new MemoryLogger();
    const heartbeat = new Heartbeat({ logger, clock, progressIntervalMs: 10_000 }, () => [
      { what: 'web: waiting', startedAt: clock.now() },
      { what: 'api: waiting', startedAt: clock.now() },
    ]);
    await heartbeat.sleep(45_000);
    expect(clock.slept).toEqual([10_000, 10_000, 10_000, 10_000, 5000]);
    // One line per awaited thing at each beat; without a deadline only the time elapsed.
    expect(logger.lines).toHaveLength(8);
    expect(logger.lines[0]).toBe('web: waiting · 0 s elapsed');
  });

  test('a clock that does not move (a test double) cannot make the sleep loop forever', async () => {
    const slept: number[] = [];
    const frozen: Clock = { now: () => 0, sleep: async (ms) => void slept.push(ms) };
    const heartbeat = new Heartbeat({ logger: new MemoryLogger(), clock: frozen }, () => undefined);
    await heartbeat.sleep(3000);
    expect(slept).toEqual([3000]);
  });

  test('a cancelled sleep rejects, as the clock does', async () => {
    const clock = steppingClock();
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    const heartbeat = new Heartbeat({ logger: new MemoryLogger(), clock }, () => undefined);
    await expect(heartbeat.sleep(1000, controller.signal)).rejects.toThrow('cancelled');
  });

  test('the line says no time is left once the deadline has passed', () => {
    expect(heartbeatLine({ what: 'x', startedAt: 0, deadline: 60_000 }, 75_400)).toBe(
      'x · 1 min 15 s elapsed, 0 s left',
    );
  });
});
