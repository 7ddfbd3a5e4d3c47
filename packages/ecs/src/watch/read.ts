/**
 * What the watch after a deploy reads: the alarms the services' deployments monitor (DescribeAlarms, in pages of 100
 * names) and the latest datapoint of each watched metric (one GetMetricData for all of them, newest first).
 */
import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type CloudWatchClient,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { ALB_NAMESPACE, type WatchedMetric } from './thresholds.js';

/** One period of each metric: a minute, CloudWatch's standard resolution. */
export const METRIC_PERIOD_SECONDS = 60;

/** The alarms among `names` that are in ALARM now, with CloudWatch's reason. */
export async function alarmsInAlarm(
  cloudwatch: CloudWatchClient,
  names: readonly string[],
  signal: AbortSignal,
): Promise<{ name: string; reason: string }[]> {
  const found: { name: string; reason: string }[] = [];
  for (let i = 0; i < names.length; i += 100) {
    const answer = await cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNames: names.slice(i, i + 100), AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
      { abortSignal: signal },
    );
    for (const alarm of [...(answer.MetricAlarms ?? []), ...(answer.CompositeAlarms ?? [])]) {
      if (alarm.StateValue === 'ALARM') found.push({ name: alarm.AlarmName ?? '?', reason: alarm.StateReason ?? '' });
    }
  }
  return found;
}

/** The queries of one watched metric: two for the 5xx rate (errors and requests), one otherwise. */
function queries(metric: WatchedMetric, index: number): MetricDataQuery[] {
  const Dimensions = Object.entries(metric.dimensions).map(([Name, Value]) => ({ Name, Value }));
  const query = (suffix: string, Namespace: string, MetricName: string, Stat: string): MetricDataQuery => ({
    Id: `m${index}${suffix}`,
    MetricStat: { Metric: { Namespace, MetricName, Dimensions }, Period: METRIC_PERIOD_SECONDS, Stat },
    ReturnData: true,
  });
  switch (metric.kind) {
    case 'target-5xx-rate':
      return [
        query('errors', ALB_NAMESPACE, 'HTTPCode_Target_5XX_Count', 'Sum'),
        query('requests', ALB_NAMESPACE, 'RequestCount', 'Sum'),
      ];
    case 'target-p95-latency':
      return [query('value', ALB_NAMESPACE, 'TargetResponseTime', 'p95')];
    case 'metric':
      return [query('value', metric.namespace, metric.metricName, metric.statistic)];
  }
}

/**
 * The latest value of each metric over the last two periods (undefined when CloudWatch has no datapoint yet, or no
 * request reached the load balancer for the 5xx rate), in the order of `metrics`.
 */
export async function latestValues(
  cloudwatch: CloudWatchClient,
  metrics: readonly WatchedMetric[],
  now: number,
  signal: AbortSignal,
): Promise<(number | undefined)[]> {
  if (metrics.length === 0) return [];
  const answer = await cloudwatch.send(
    new GetMetricDataCommand({
      MetricDataQueries: metrics.flatMap((metric, i) => queries(metric, i)),
      StartTime: new Date(now - 2 * METRIC_PERIOD_SECONDS * 1000),
      EndTime: new Date(now),
      ScanBy: 'TimestampDescending',
    }),
    { abortSignal: signal },
  );
  const latest = new Map<string, number>();
  for (const result of answer.MetricDataResults ?? []) {
    const value = result.Values?.[0];
    if (result.Id && value !== undefined) latest.set(result.Id, value);
  }
  return metrics.map((metric, i) => {
    if (metric.kind !== 'target-5xx-rate') return latest.get(`m${i}value`);
    const requests = latest.get(`m${i}requests`);
    if (!requests) return undefined;
    return (100 * (latest.get(`m${i}errors`) ?? 0)) / requests;
  });
}
