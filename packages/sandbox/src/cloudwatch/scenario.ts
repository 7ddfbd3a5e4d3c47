// The `cloudwatch` section of a scenario file: metric series whose values follow scenario time (steps) or a release
// (a value while a given image runs), and alarms whose state follows one of those series. The alarms of the `ecs`
// section (those ECS deployments monitor) are answered by DescribeAlarms too.
import * as z from 'zod';

const dimensionsSchema = z
  .record(z.string().min(1).max(255), z.string().min(1).max(1024))
  .default({})
  .describe('The dimensions that name the series, Name: Value (a request must give exactly these).');

const metricFields = {
  namespace: z.string().min(1).max(255).describe('For example AWS/ApplicationELB.'),
  name: z.string().min(1).max(255).describe('For example HTTPCode_Target_5XX_Count.'),
  dimensions: dimensionsSchema,
};

const stepSchema = z
  .object({
    at: z.number().min(0).describe('Scenario seconds after the scenario loads.'),
    value: z.number().describe('The value from then on.'),
  })
  .strict();

const whileImageRunsSchema = z
  .object({
    image: z
      .string()
      .min(1)
      .describe('An image key, matched as the ecs section matches images (exactly, or the part after the host).'),
    after: z
      .number()
      .min(0)
      .default(0)
      .describe('Scenario seconds a task with the image must have been RUNNING before the value applies.'),
    value: z.number().describe('The value while such a task runs (it wins over `value` and `steps`).'),
  })
  .strict();

const metricSchema = z
  .object({
    ...metricFields,
    unit: z.string().optional().describe('The unit CloudWatch reports (Count, Seconds, ...).'),
    value: z.number().default(0).describe('The value before any step (the same for every statistic asked).'),
    steps: z.array(stepSchema).default([]).describe('Values from given scenario instants on, in any order.'),
    whileImageRuns: whileImageRunsSchema
      .optional()
      .describe('A value while a task running this image has been RUNNING long enough: a bad release feeding it.'),
  })
  .strict();

export const COMPARISONS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const;

const alarmSchema = z
  .object({
    name: z.string().min(1).max(255),
    metric: z.object(metricFields).strict().describe('The series of `metrics` the alarm follows.'),
    statistic: z.string().default('Sum').describe('The statistic DescribeAlarms reports (Sum, Average, p95, ...).'),
    threshold: z.number(),
    comparison: z.enum(COMPARISONS).default('GreaterThanThreshold'),
  })
  .strict();

export const cloudwatchSectionSchema = z
  .object({
    metrics: z.array(metricSchema).default([]).describe('Metric series, answered by GetMetricData.'),
    alarms: z
      .array(alarmSchema)
      .default([])
      .describe('Alarms in ALARM whenever their series crosses the threshold (DescribeAlarms).'),
  })
  .strict();

export type CloudwatchSection = z.infer<typeof cloudwatchSectionSchema>;
export type MetricSection = z.infer<typeof metricSchema>;
export type MetricAlarmSection = z.infer<typeof alarmSchema>;
