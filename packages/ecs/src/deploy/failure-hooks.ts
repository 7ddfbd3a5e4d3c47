/**
 * The deploy's `onFailure` hook (the release pipeline tells Slack at detection): called the moment a failure is seen
 * without holding the watch up, and awaited before the engine returns.
 */
import type { DeployContext, DetectedFailure } from './types.js';

/** Calls `onFailure` without holding the watch up; `settled` waits for every call (a failing hook is a warning). */
export function failureHooks(context: DeployContext): {
  call: (failure: DetectedFailure) => void;
  settled: () => Promise<void>;
} {
  const pending: Promise<void>[] = [];
  return {
    call: (failure) => {
      const hook = context.onFailure;
      if (!hook) return;
      pending.push(
        Promise.resolve()
          .then(() => hook(failure))
          .catch((error: unknown) =>
            context.logger.warning(
              `The failure of ${failure.service} could not be passed on: ${(error as Error).message}`,
            ),
          ),
      );
    },
    settled: async () => {
      await Promise.all(pending);
    },
  };
}
