// The sandbox's CloudWatch (metrics and alarms): GetMetricData over the scenario's metric series and DescribeAlarms
// over the ecs section's alarms (those deployments monitor) and the alarms that follow a series. Served on the wire
// the AWS SDK for JavaScript speaks to CloudWatch: awsJson 1.0 (`X-Amz-Target: GraniteServiceVersion20100801.<Op>`),
// query-compatible errors, signed as `monitoring`; checked against botocore's `cloudwatch` model.
import type * as sdk from '@aws-sdk/client-cloudwatch';
import { AwsError, type AwsJsonModule, type CallContext, type ServiceDefinition } from '../core/module.js';
import { ecsService } from '../ecs/index.js';
import type { Task } from '../ecs/task.js';
import { cloudwatchSectionSchema, type CloudwatchSection, type MetricAlarmSection } from './scenario.js';
import { Series, sameMetric, type MetricKey } from './series.js';
import { metricData } from './metric-data.js';

export type { CloudwatchSection } from './scenario.js';

/** What tests read of the module: the series and alarms as the scenario declared them. */
export class CloudwatchState {
  constructor(
    readonly series: readonly Series[],
    readonly alarms: readonly MetricAlarmSection[],
  ) {}

  /** The series a metric names, if the scenario declares it. */
  find(metric: MetricKey): Series | undefined {
    return this.series.find((s) => sameMetric(s.section, metric));
  }
}

export type CloudwatchModule = AwsJsonModule & { state: CloudwatchState };

export const cloudwatchService: ServiceDefinition<CloudwatchSection, CloudwatchModule, 'cloudwatch'> = {
  key: 'cloudwatch',
  schema: cloudwatchSectionSchema,
  create(section, env) {
    const scenario = section ?? cloudwatchSectionSchema.parse(undefined);
    const since = env.clock.now();
    // ECS is looked up when first needed: a sandbox may serve CloudWatch without ECS.
    const tasks = function* (): Iterable<Task> {
      let world;
      try {
        world = env.stateOf(ecsService);
      } catch {
        return;
      }
      for (const cluster of world.clusters.all()) yield* cluster.tasks.values();
    };
    const series = scenario.metrics.map((metric) => new Series(metric, env.clock, since, tasks));
    const state = new CloudwatchState(series, scenario.alarms);
    const ecsAlarms = () => {
      try {
        const world = env.stateOf(ecsService);
        return world.section.alarms.map((alarm) => ({
          name: alarm.name,
          state: world.alarms.state(alarm.name),
          changedAt: world.alarms.changedAt(alarm.name),
        }));
      } catch {
        return [];
      }
    };
    return {
      protocol: 'json',
      signingName: 'monitoring',
      apiModel: 'cloudwatch',
      targetPrefix: 'GraniteServiceVersion20100801',
      jsonVersion: '1.0',
      queryCompatible: true,
      mutating: new Set<string>(),
      handlers: {
        GetMetricData: (input: sdk.GetMetricDataInput): sdk.GetMetricDataOutput => metricData(input, state),
        DescribeAlarms: (input: sdk.DescribeAlarmsInput, ctx: CallContext): sdk.DescribeAlarmsOutput =>
          describeAlarms(input, state, ecsAlarms(), ctx),
      },
      state,
    };
  },
};

function describeAlarms(
  input: sdk.DescribeAlarmsInput,
  state: CloudwatchState,
  ecsAlarms: { name: string; state: string; changedAt: number }[],
  ctx: CallContext,
): sdk.DescribeAlarmsOutput {
  if ((input.AlarmNames?.length ?? 0) > 100) {
    throw new AwsError('ValidationError', 'The collection AlarmNames must not have a size greater than 100.');
  }
  if (input.AlarmNames?.length && input.AlarmNamePrefix) {
    throw new AwsError('ValidationError', 'AlarmNames and AlarmNamePrefix cannot be given together.');
  }
  const arn = (name: string) => `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${name}`;
  const alarms: sdk.MetricAlarm[] = [
    ...ecsAlarms.map((alarm): sdk.MetricAlarm => ({
      AlarmName: alarm.name,
      AlarmArn: arn(alarm.name),
      ActionsEnabled: true,
      StateValue: alarm.state as sdk.StateValue,
      StateReason: alarm.state === 'ALARM' ? 'Threshold Crossed' : 'Threshold not crossed',
      StateUpdatedTimestamp: new Date(alarm.changedAt),
    })),
    ...state.alarms.map((alarm): sdk.MetricAlarm => {
      const series = state.find(alarm.metric);
      const value = series?.valueAt(ctx.clock.now());
      const breached = value !== undefined && crosses(value, alarm.comparison, alarm.threshold);
      const status = value === undefined ? 'INSUFFICIENT_DATA' : breached ? 'ALARM' : 'OK';
      return {
        AlarmName: alarm.name,
        AlarmArn: arn(alarm.name),
        ActionsEnabled: true,
        StateValue: status,
        StateReason:
          value === undefined
            ? 'Insufficient Data: no datapoints were received'
            : `Threshold ${breached ? 'Crossed' : 'not crossed'}: the latest datapoint [${value}] against the threshold (${alarm.threshold}).`,
        MetricName: alarm.metric.name,
        Namespace: alarm.metric.namespace,
        Dimensions: Object.entries(alarm.metric.dimensions).map(([Name, Value]) => ({ Name, Value })),
        ...(/^p\d/.test(alarm.statistic)
          ? { ExtendedStatistic: alarm.statistic }
          : { Statistic: alarm.statistic as sdk.Statistic }),
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: alarm.threshold,
        ComparisonOperator: alarm.comparison,
      };
    }),
  ];
  const chosen = alarms
    .filter((a) => !input.AlarmNames?.length || input.AlarmNames.includes(a.AlarmName!))
    .filter((a) => !input.AlarmNamePrefix || a.AlarmName!.startsWith(input.AlarmNamePrefix))
    .filter((a) => !input.StateValue || a.StateValue === input.StateValue)
    .sort((a, b) => a.AlarmName!.localeCompare(b.AlarmName!));
  const wantsMetricAlarms = !input.AlarmTypes?.length || input.AlarmTypes.includes('MetricAlarm');
  return { MetricAlarms: wantsMetricAlarms ? chosen : [], CompositeAlarms: [] };
}

function crosses(value: number, comparison: MetricAlarmSection['comparison'], threshold: number): boolean {
  switch (comparison) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}
