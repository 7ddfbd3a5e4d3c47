/**
 * The `watch-minutes` and `watch-metrics` inputs of the deploy action, read with the rule the release config uses
 * too (./thresholds.ts). Light on purpose (no AWS SDK).
 */
import type { InputReader } from '@ecs-ship/action-kit';
import { WATCH_AFTER, WATCH_METRIC, parseWatchMetric, type WatchedMetric } from './thresholds.js';

export interface WatchAfterSettings {
  watchAfterMs: number;
  watchMetrics: WatchedMetric[];
}

export function readWatchAfter(
  inputs: InputReader,
  step: { wait: boolean; mode: 'deploy' | 'plan' | 'rollback' },
): WatchAfterSettings {
  const watchAfterMs = inputs.duration('watch-minutes', { unit: 'm', ...WATCH_AFTER, default: 0 }) ?? 0;
  const lines = inputs.list('watch-metrics', { rule: WATCH_METRIC, separator: 'lines' });
  const watchMetrics = lines.flatMap((line) => {
    const parsed = parseWatchMetric(line);
    return 'problem' in parsed ? [] : [parsed];
  });
  if (watchMetrics.length > 0 && watchAfterMs === 0) {
    inputs.fail(
      'watch-metrics',
      'it is given without "watch-minutes", so nothing would watch the thresholds',
      'Set "watch-minutes", for example 15',
    );
  }
  if (watchAfterMs > 0 && !step.wait) {
    inputs.fail(
      'watch-minutes',
      'it needs the step to watch the deployments, and "wait" is false',
      'Set "wait: true", or remove "watch-minutes"',
    );
  }
  if (watchAfterMs > 0 && step.mode === 'rollback') {
    inputs.fail(
      'watch-minutes',
      'a rollback is not watched after it (a breach would have nothing earlier to go back to)',
      'Remove "watch-minutes" from the rollback step',
    );
  }
  return { watchAfterMs, watchMetrics };
}
