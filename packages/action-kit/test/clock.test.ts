import { CancelledError, systemClock } from '@ecs-ship/action-kit';

describe('systemClock.sleep', () => {
  test('resolves after the delay', async () => {
    await expect(systemClock.sleep(5)).resolves.toBeUndefined();
  });

  test('rejects with the abort reason as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    controller.abort(new CancelledError('The job was cancelled (SIGTERM).'));
    await expect(sleeping).rejects.toThrow('The job was cancelled (SIGTERM).');
  });

  test('rejects at once when the signal already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(systemClock.sleep(60_000, controller.signal)).rejects.toBeInstanceOf(CancelledError);
  });
});
