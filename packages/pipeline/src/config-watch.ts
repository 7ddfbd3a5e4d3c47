// The deploy's watch after the deploy in the release config: `watch-minutes` and `watch-metrics`, checked by the
// rule the deploy action's inputs use (@ecs-ship/ecs/watch-rules).
import * as z from 'zod';
import { duration, keyMessage, ruled } from '@ecs-ship/action-kit/zod';
import { WATCH_AFTER, WATCH_METRIC } from '@ecs-ship/ecs/watch-rules';

export const watchKeys = {
  'watch-minutes': duration('minutes', WATCH_AFTER)
    .default(0)
    .describe(
      "After every service succeeded, watch the deployments' alarms and watch-metrics this long; a breach rolls every service back and fails the release. 0: no watch",
    ),
  'watch-metrics': z
    .array(ruled(WATCH_METRIC))
    .default([])
    .describe(
      'Thresholds watched during watch-minutes, as the deploy action\'s watch-metrics lines, e.g. "target-5xx-rate > 2% LoadBalancer=app/shop/50dc6c495c0c9188"',
    ),
};

/** Thresholds without a watch to watch them are a mistake, said at the key. */
export function checkWatch(
  value: { 'watch-minutes': number; 'watch-metrics': string[] },
  context: z.RefinementCtx,
): void {
  if (value['watch-metrics'].length > 0 && value['watch-minutes'] === 0) {
    context.addIssue({
      code: 'custom',
      path: ['watch-metrics'],
      message: keyMessage('nothing watches them while watch-minutes is 0', 'Set watch-minutes, for example 15'),
    });
  }
}
