// CloudWatch metrics and alarms through the real AWS SDK client (awsJson 1.0, as @aws-sdk/client-cloudwatch speaks
// it), every answer checked against botocore's model by the test setup, on a clock only the test moves: series that
// follow scenario time and a release, alarms that follow a series, the ecs section's alarms, and CloudWatch's checks.
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { ManualClock, startSandbox, type Sandbox } from '../src/index.js';
import { sdkConfig } from './sdk.js';

const LB = { Name: 'LoadBalancer', Value: 'app/shop/50dc6c495c0c9188' };
const FIVE_XX = {
  namespace: 'AWS/ApplicationELB',
  name: 'HTTPCode_Target_5XX_Count',
  dimensions: { LoadBalancer: LB.Value },
};

const SCENARIO = {
  region: 'eu-west-1',
  ecs: {
    clusters: [{ name: 'shop', containerInstances: 1 }],
    taskDefinitions: [{ family: 'web', containerDefinitions: [{ name: 'web', image: 'registry.example/web:1' }] }],
    services: [{ cluster: 'shop', serviceName: 'web', taskDefinition: 'web', desiredCount: 1 }],
    alarms: [{ name: 'web-cpu', at: 90 }],
  },
  cloudwatch: {
    metrics: [
      { ...FIVE_XX, value: 1, steps: [{ at: 120, value: 40 }] },
      {
        namespace: 'AWS/ApplicationELB',
        name: 'TargetResponseTime',
        dimensions: { LoadBalancer: LB.Value },
        value: 0.2,
        whileImageRuns: { image: 'web:1', after: 30, value: 2.5 },
      },
    ],
    alarms: [{ name: 'web-5xx', metric: FIVE_XX, threshold: 10 }],
  },
};

const clock = new ManualClock(Date.UTC(2026, 10, 23, 12, 0, 0));
let sandbox: Sandbox;
let cloudwatch: CloudWatchClient;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: SCENARIO, checkModels: true, clock });
  cloudwatch = new CloudWatchClient(sdkConfig(sandbox, { maxAttempts: 1 }));
});
afterAll(async () => {
  cloudwatch.destroy();
  await sandbox.stop();
});
beforeEach(() => sandbox.load(SCENARIO));
afterEach(() => expect(sandbox.takeViolations()).toEqual([]));

function query(id: string, metricName: string, stat: string, period = 60): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: 'AWS/ApplicationELB', MetricName: metricName, Dimensions: [LB] },
      Period: period,
      Stat: stat,
    },
  };
}

async function latest(queries: MetricDataQuery[], minutes = 5) {
  const now = clock.now();
  const answer = await cloudwatch.send(
    new GetMetricDataCommand({
      MetricDataQueries: queries,
      StartTime: new Date(now - minutes * 60_000),
      EndTime: new Date(now),
    }),
  );
  return answer.MetricDataResults!;
}

test('a series steps up at its scenario instant; datapoints come newest first, one per period, never ahead of now', async () => {
  const start = clock.now();
  clock.advance(60);
  let [result] = await latest([query('errors', 'HTTPCode_Target_5XX_Count', 'Sum')]);
  // The period under way counts; EndTime (now) is not part of the range.
  expect(result!.Values).toEqual([1]);
  expect(result!.StatusCode).toBe('Complete');
  clock.advance(90); // 150 s after the load: the step at 120 s has come
  [result] = await latest([query('errors', 'HTTPCode_Target_5XX_Count', 'Sum')]);
  expect(result!.Values![0]).toBe(40);
  expect(result!.Values!.at(-1)).toBe(1);
  const times = result!.Timestamps!.map((t) => t.getTime());
  expect(times).toEqual([...times].sort((a, b) => b - a));
  expect(Math.max(...times)).toBeLessThanOrEqual(clock.now());
  expect(Math.min(...times)).toBeGreaterThanOrEqual(start - 60_000);
});

test('a series fed by a release: its value while a task with the image has run long enough', async () => {
  // The scenario's web:1 task runs from the load on; 30 s later the latency series follows it.
  clock.advance(10);
  expect((await latest([query('p95', 'TargetResponseTime', 'p95', 10)], 1))[0]!.Values![0]).toBe(0.2);
  clock.advance(30);
  expect((await latest([query('p95', 'TargetResponseTime', 'p95', 10)], 1))[0]!.Values![0]).toBe(2.5);
});

test('a metric the scenario does not declare, or other dimensions, has no datapoints', async () => {
  clock.advance(120);
  const [other] = await latest([
    {
      Id: 'other',
      MetricStat: {
        Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count' },
        Period: 60,
        Stat: 'Sum',
      },
    },
  ]);
  expect(other).toMatchObject({ Id: 'other', Timestamps: [], Values: [], StatusCode: 'Complete' });
});

test('DescribeAlarms: an alarm follows its series; the ecs section alarms answer with their state', async () => {
  const names = async () => {
    const answer = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['web-5xx', 'web-cpu', 'nope'] }));
    return Object.fromEntries(answer.MetricAlarms!.map((a) => [a.AlarmName, a.StateValue]));
  };
  expect(await names()).toEqual({ 'web-5xx': 'OK', 'web-cpu': 'OK' });
  clock.advance(125);
  expect(await names()).toEqual({ 'web-5xx': 'ALARM', 'web-cpu': 'ALARM' });
  const alarm = (await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['web-5xx'] }))).MetricAlarms![0]!;
  expect(alarm).toMatchObject({
    AlarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:web-5xx',
    Threshold: 10,
    ComparisonOperator: 'GreaterThanThreshold',
    MetricName: 'HTTPCode_Target_5XX_Count',
  });
});

test.each([
  ['an id that does not start with a lowercase letter', [query('Errors', 'HTTPCode_Target_5XX_Count', 'Sum')]],
  ['a period CloudWatch does not take', [query('errors', 'HTTPCode_Target_5XX_Count', 'Sum', 45)]],
  ['a statistic that is none', [query('errors', 'HTTPCode_Target_5XX_Count', 'Median')]],
  ['metric math', [{ Id: 'rate', Expression: 'errors / requests' }]],
])('GetMetricData refuses %s with the query-compatible code ValidationError', async (_, queries) => {
  const error = await latest(queries as MetricDataQuery[]).catch((e: Error) => e);
  expect(error).toBeInstanceOf(Error);
  // The SDK reads the awsQuery code from x-amzn-query-error.
  expect((error as { Code?: string }).Code).toBe('ValidationError');
});

test('the signing name is monitoring and IAM speaks of cloudwatch: actions', async () => {
  sandbox.iam.bind({
    name: 'reader',
    accessKeyId: 'AKIAREADER0000000000',
    policy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'cloudwatch:GetMetricData', Resource: '*' }],
    },
  });
  const reader = new CloudWatchClient({
    region: 'eu-west-1',
    endpoint: sandbox.url,
    credentials: { accessKeyId: 'AKIAREADER0000000000', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
  clock.advance(60);
  await expect(
    reader.send(
      new GetMetricDataCommand({
        MetricDataQueries: [query('errors', 'HTTPCode_Target_5XX_Count', 'Sum')],
        StartTime: new Date(clock.now() - 60_000),
        EndTime: new Date(clock.now()),
      }),
    ),
  ).resolves.toBeDefined();
  const denied = await reader.send(new DescribeAlarmsCommand({ AlarmNames: ['web-5xx'] })).catch((e: Error) => e);
  expect((denied as Error).message).toContain(
    'not authorized to perform: cloudwatch:DescribeAlarms on resource: arn:aws:cloudwatch:eu-west-1:123456789012:alarm:web-5xx',
  );
  reader.destroy();
});
