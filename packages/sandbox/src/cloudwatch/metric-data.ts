// GetMetricData: each MetricStat query answered from the scenario's series (a metric the scenario does not declare
// has no datapoints, as CloudWatch answers for a metric nobody publishes), with CloudWatch's checks on ids, periods,
// statistics and the time range. Metric math is not evaluated here: a query with an Expression is refused by name.
import type * as sdk from '@aws-sdk/client-cloudwatch';
import { AwsError } from '../core/module.js';
import type { CloudwatchState } from './index.js';

const ID = /^[a-z][a-zA-Z0-9_]*$/;
/** The statistics CloudWatch takes in a MetricStat: the five plain ones and the percentile family (p95, tm90, ...). */
const STAT =
  /^(?:SampleCount|Average|Sum|Minimum|Maximum|IQM|(?:p|tm|wm|tc|ts)\d{1,2}(?:\.\d{1,10})?|p100|(?:TM|WM|TC|TS|PR)\(.+\))$/;
const MAX_DATAPOINTS = 100_800;

/** An awsJson timestamp as the SDK sends it (epoch seconds), or already a Date. */
function instant(value: unknown, member: string): number {
  const ms =
    value instanceof Date ? value.getTime() : typeof value === 'number' ? value * 1000 : Date.parse(String(value));
  if (!Number.isFinite(ms)) throw new AwsError('ValidationError', `The parameter ${member} is not a valid timestamp.`);
  return ms;
}

export function metricData(input: sdk.GetMetricDataInput, state: CloudwatchState): sdk.GetMetricDataOutput {
  const queries = input.MetricDataQueries ?? [];
  if (queries.length === 0 || queries.length > 500) {
    throw new AwsError('ValidationError', 'The collection MetricDataQueries must have between 1 and 500 items.');
  }
  const start = instant(input.StartTime, 'StartTime');
  const end = instant(input.EndTime, 'EndTime');
  if (start >= end) {
    throw new AwsError('ValidationError', 'The parameter StartTime must be less than the parameter EndTime.');
  }
  const ids = new Set<string>();
  for (const query of queries) {
    const id = query.Id ?? '';
    if (!ID.test(id)) {
      throw new AwsError(
        'ValidationError',
        `The value ${id} for parameter MetricDataQueries.member.Id is not valid: it must start with a lowercase letter and contain only letters, digits and underscores.`,
      );
    }
    if (ids.has(id))
      throw new AwsError('ValidationError', `The value ${id} for MetricDataQueries.member.Id is used twice.`);
    ids.add(id);
    if (Boolean(query.MetricStat) === Boolean(query.Expression)) {
      throw new AwsError('ValidationError', `The query ${id} must have exactly one of MetricStat and Expression.`);
    }
    if (query.Expression) {
      throw new AwsError(
        'ValidationError',
        `The sandbox does not evaluate metric math (query ${id}); ask for the metrics with MetricStat queries.`,
      );
    }
    const stat = query.MetricStat!;
    if (!STAT.test(stat.Stat ?? '')) {
      throw new AwsError('ValidationError', `The value ${stat.Stat} for parameter MetricStat.Stat is not a statistic.`);
    }
    const period = stat.Period ?? 0;
    if (!([1, 5, 10, 20, 30].includes(period) || (period > 0 && period % 60 === 0))) {
      throw new AwsError(
        'ValidationError',
        `The parameter MetricStat.Period must be 1, 5, 10, 20, 30 or a multiple of 60 (it is ${period}).`,
      );
    }
  }

  let budget = Math.min(input.MaxDatapoints ?? MAX_DATAPOINTS, MAX_DATAPOINTS);
  const newestFirst = (input.ScanBy ?? 'TimestampDescending') === 'TimestampDescending';
  const results: sdk.MetricDataResult[] = [];
  for (const query of queries) {
    if (query.ReturnData === false) continue;
    const { Metric: metric = {}, Period: period } = query.MetricStat!;
    const key = {
      namespace: metric.Namespace ?? '',
      name: metric.MetricName ?? '',
      dimensions: Object.fromEntries((metric.Dimensions ?? []).map((d) => [d.Name ?? '', d.Value ?? ''])),
    };
    let points = state.find(key)?.datapoints(start, end, period!) ?? [];
    if (newestFirst) points = points.reverse();
    const complete = points.length <= budget;
    points = points.slice(0, Math.max(0, budget));
    budget -= points.length;
    results.push({
      Id: query.Id,
      Label: query.Label ?? key.name,
      Timestamps: points.map((p) => new Date(p.timestamp)),
      Values: points.map((p) => p.value),
      StatusCode: complete ? 'Complete' : 'PartialData',
      Messages: [],
    });
  }
  return { MetricDataResults: results, Messages: [] };
}
