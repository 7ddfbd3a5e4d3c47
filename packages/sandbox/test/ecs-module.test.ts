// The ECS and Logs modules as the core sees them: their operation tables, mutating sets and input checks.
import { AwsError, type CallContext } from '../src/core/module.js';
import { ecsService } from '../src/ecs/index.js';
import { ManualClock } from '../src/ecs/manual-clock.js';
import { logsService } from '../src/logs/index.js';

const clock = new ManualClock();
const ctx: CallContext = { region: 'eu-west-1', accountId: '123456789012', requestId: 'r', clock, baseUrl: 'http://x' };
const env = { clock, accountId: '123456789012', defaultRegion: 'eu-west-1', baseUrl: 'http://x' };
const logs = logsService.create(logsService.schema.parse({ groups: [{ name: '/ecs/web' }] }), {
  ...env,
  stateOf: () => undefined as never,
});
const ecs = ecsService.create(ecsService.schema.parse({ clusters: ['prod'] }), {
  ...env,
  stateOf: () => logs.state as never,
});

async function code(promise: () => unknown): Promise<string> {
  try {
    await promise();
  } catch (e) {
    if (e instanceof AwsError) return e.code;
    throw e;
  }
  return 'no error';
}

test('the modules route by their target prefixes and flag their mutating operations', () => {
  expect([ecs.signingName, ecs.targetPrefix, logs.signingName, logs.targetPrefix]).toEqual([
    'ecs',
    'AmazonEC2ContainerServiceV20141113',
    'logs',
    'Logs_20140328',
  ]);
  for (const op of ['RegisterTaskDefinition', 'UpdateService', 'RunTask', 'StopTask', 'DeleteService']) {
    expect(ecs.mutating.has(op)).toBe(true);
  }
  for (const op of ['DescribeServices', 'DescribeTasks', 'ListServiceDeployments', 'DescribeServiceDeployments']) {
    expect(ecs.mutating.has(op)).toBe(false);
    expect(ecs.handlers[op]).toBeInstanceOf(Function);
  }
  expect(logs.mutating.has('GetLogEvents')).toBe(false);
  expect(logs.mutating.has('PutLogEvents')).toBe(true);
});

test.each([
  ['DescribeServices', { cluster: 'prod', services: 'web' }],
  ['DescribeServices', { cluster: 7, services: ['web'] }],
  ['UpdateService', { cluster: 'prod', service: 'web', desiredCount: '2' }],
  ['RunTask', { cluster: 'prod', taskDefinition: 'web', count: '1' }],
  ['ListServiceDeployments', { cluster: 'prod', service: 'web', status: 'SUCCESSFUL' }],
])('%s with a member of the wrong type (%j) is a SerializationException', async (operation, input) => {
  expect(await code(() => ecs.handlers[operation]!(input, ctx))).toBe('SerializationException');
});

test('Logs: wrong types are refused; a scenario group exists from the start', async () => {
  expect(
    await code(() => logs.handlers.GetLogEvents!({ logGroupName: '/ecs/web', logStreamName: 's', limit: '5' }, ctx)),
  ).toBe('SerializationException');
  expect(await code(() => logs.handlers.GetLogEvents!({ logGroupName: '/ecs/web', logStreamName: 's' }, ctx))).toBe(
    'ResourceNotFoundException',
  );
  const groups = (await logs.handlers.DescribeLogGroups!({}, ctx)) as { logGroups: { logGroupName: string }[] };
  expect(groups.logGroups.map((g) => g.logGroupName)).toEqual(['/ecs/web']);
});
