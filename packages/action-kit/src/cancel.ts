import { CancelledError } from './errors.js';

/**
 * An AbortSignal that fires when the runner cancels the job. The runner sends SIGINT, then SIGTERM about 7.5 s
 * later, then kills the process 2.5 s after that; long waits listen to this signal so they can stop cleanly
 * (stop a one-off task, say where each deployment stands) inside that window.
 */
export function cancellationSignal(): AbortSignal {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) controller.abort(new CancelledError(`The job was cancelled (${signal}).`));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return controller.signal;
}
