// The watch after a deploy (`watch-minutes`, `watch-metrics`): see after-deploy.ts.
export { deployAndWatch, type WatchingContext } from './after-deploy.js';
export type { Breach, WatchReport } from './watch.js';
export * from './thresholds.js';
export { watchSummary } from './summary.js';
