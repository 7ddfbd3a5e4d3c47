/**
 * The watch after a deploy: for `watch-minutes` after every service succeeded, the alarms the deployments monitor and
 * the `watch-metrics` thresholds are read every poll, with a heartbeat while all is quiet. The first alarm in ALARM or
 * threshold crossed ends it as a breach; the end of the time, as held. Cancellation and CloudWatch failing for good
 * end it too, each said as such (the deploy itself succeeded either way).
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { Heartbeat, describeAwsFailure, formatDuration, sleepWithin } from '@ecs-ship/action-kit';
import { isTransient } from '../deploy/observe.js';
import type { DeployContext } from '../deploy/types.js';
import type { AlarmPause } from './alarm-pause.js';
import { alarmsInAlarm, latestValues } from './read.js';
import { crosses, formatValue, type WatchedMetric } from './thresholds.js';

/** What the watch saw cross its line first. */
export interface Breach {
  kind: 'alarm' | 'metric';
  /** The alarm's name, or the metric's label ("ALB target 5xx rate"). */
  what: string;
  /** The value seen ("7.5%"; "ALARM" for an alarm). */
  value: string;
  /** The line it crossed ("> 2%"; for an alarm, CloudWatch's state reason). */
  threshold: string;
  at: number;
  /** One sentence: "ALB target 5xx rate was 7.5%, above the threshold > 2% (target-5xx-rate > 2% LoadBalancer=…)". */
  sentence: string;
}

export interface WatchReport {
  durationMs: number;
  alarms: string[];
  /** The `watch-metrics` lines. */
  metrics: string[];
  startedAt: number;
  finishedAt: number;
  /** held: nothing crossed its line; breached: see `breach`; cancelled or unread: the watch stopped early. */
  outcome: 'held' | 'breached' | 'cancelled' | 'unread';
  breach?: Breach;
  /** unread: why CloudWatch could not be read. */
  problem?: string;
  /** How many times the alarms and metrics were read. */
  reads: number;
  /** The last values read, for the summary: "ALB target 5xx rate 0.4% (> 2%)". */
  last: string[];
  /** After a breach: the alarm monitoring paused for the rollback, and whether it was restored. */
  alarmPause?: AlarmPause;
}

export interface WatchPlan {
  durationMs: number;
  alarms: string[];
  metrics: readonly WatchedMetric[];
  pollIntervalMs: number;
}

export async function watchAfterDeploy(
  plan: WatchPlan,
  cloudwatch: CloudWatchClient,
  context: DeployContext,
): Promise<WatchReport> {
  const { clock, signal } = context;
  const startedAt = clock.now();
  const endsAt = startedAt + plan.durationMs;
  const report: WatchReport = {
    durationMs: plan.durationMs,
    alarms: plan.alarms,
    metrics: plan.metrics.map((m) => m.text),
    startedAt,
    finishedAt: startedAt,
    outcome: 'held',
    reads: 0,
    last: [],
  };
  context.deadline?.extendTo(endsAt);
  const heartbeat = new Heartbeat(context, () => ({
    what: `watching after the deploy: ${report.last.length > 0 ? report.last.join(', ') : 'no reading yet'}`,
    startedAt,
    deadline: endsAt,
  }));
  const logger = heartbeat.logger;
  const watched = [
    plan.alarms.length > 0 ? `${plan.alarms.length} alarm(s) (${plan.alarms.join(', ')})` : '',
    plan.metrics.length > 0 ? `${plan.metrics.length} metric threshold(s)` : '',
  ].filter(Boolean);
  logger.info(
    `Every service is deployed; watching ${watched.join(' and ') || 'nothing (no alarm and no watch-metrics)'} for ${formatDuration(plan.durationMs)} before calling the deploy done.`,
  );
  const transient = new Set<string>();
  const end = (outcome: WatchReport['outcome']): WatchReport => {
    report.outcome = outcome;
    report.finishedAt = clock.now();
    return report;
  };

  for (;;) {
    const pollStarted = clock.now();
    try {
      const [alarms, values] = await Promise.all([
        plan.alarms.length > 0 ? alarmsInAlarm(cloudwatch, plan.alarms, signal) : [],
        latestValues(cloudwatch, plan.metrics, pollStarted, signal),
      ]);
      report.reads++;
      report.last = [
        ...(plan.alarms.length > 0 ? [`${plan.alarms.length - alarms.length}/${plan.alarms.length} alarm(s) OK`] : []),
        ...plan.metrics.map((metric, i) => {
          const value = values[i];
          const shown = value === undefined ? 'no datapoint' : formatValue(metric, value);
          return `${metric.label} ${shown} (${metric.comparator} ${metric.thresholdText})`;
        }),
      ];
      const breach = firstBreach(plan.metrics, alarms, values, clock.now());
      if (breach) {
        report.breach = breach;
        return end('breached');
      }
    } catch (error) {
      if (signal.aborted) return end('cancelled');
      if (!isTransient(error)) {
        report.problem = describeAwsFailure(error);
        return end('unread');
      }
      // The SDK already retried; the next poll is the next try. Said once per kind of trouble.
      const kind = (error as Error).name;
      if (!transient.has(kind)) {
        transient.add(kind);
        logger.warning(
          `Could not read CloudWatch (${kind}: ${(error as Error).message}); trying again at the next poll.`,
        );
      }
    }
    const now = clock.now();
    if (now >= endsAt) {
      logger.info(
        `The watch after the deploy held for ${formatDuration(now - startedAt)}: ${report.last.join(', ') || 'nothing crossed its line'}.`,
      );
      return end('held');
    }
    try {
      await heartbeat.sleep(sleepWithin(pollStarted + plan.pollIntervalMs - now, endsAt - now), signal);
    } catch (error) {
      if (signal.aborted) return end('cancelled');
      throw error;
    }
  }
}

const SIDE = { '>': 'above', '>=': 'at or above', '<': 'below', '<=': 'at or below' } as const;

/** An alarm in ALARM first (the service owner's own line), then the first threshold crossed. */
function firstBreach(
  metrics: readonly WatchedMetric[],
  alarms: { name: string; reason: string }[],
  values: (number | undefined)[],
  at: number,
): Breach | undefined {
  const alarm = alarms[0];
  if (alarm) {
    const reason = alarm.reason ? `: ${alarm.reason}` : '';
    return {
      kind: 'alarm',
      what: alarm.name,
      value: 'ALARM',
      threshold: alarm.reason,
      at,
      sentence: `the alarm ${alarm.name} went into ALARM${reason}`,
    };
  }
  for (const [i, metric] of metrics.entries()) {
    const value = values[i];
    if (value === undefined || !crosses(metric, value)) continue;
    const shown = formatValue(metric, value);
    const side = SIDE[metric.comparator];
    return {
      kind: 'metric',
      what: metric.label,
      value: shown,
      threshold: `${metric.comparator} ${metric.thresholdText}`,
      at,
      sentence: `${metric.label} was ${shown}, ${side} the threshold of ${metric.thresholdText} (${metric.text})`,
    };
  }
  return undefined;
}
