// Blue/green, linear and canary deployments through the real AWS SDK (ECS and ELBv2), every answer checked against
// AWS's API models by the test setup: the lifecycle stage, hook details and traffic split ECS reports, the listener
// rules' weights ELBv2 reports, paused hooks continued with ContinueServiceDeployment, and ELBv2's errors.
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  UpdateServiceCommand,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { DescribeRulesCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { fileURLToPath } from 'node:url';
import { ManualClock, startSandbox, type Sandbox } from '../src/index.js';
import { registerShop, sdkConfig } from './sdk.js';

const SCENARIO = fileURLToPath(new URL('../scenarios/traffic-shifting.yaml', import.meta.url));
let sandbox: Sandbox;
// Scenario time moves only between two polls, a second at a time: every stage is seen, however busy the machine.
const clock = new ManualClock(Date.now());
let ecs: ECSClient;
let elb: ElasticLoadBalancingV2Client;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: SCENARIO, checkModels: true, clock });
  const config = sdkConfig(sandbox);
  ecs = new ECSClient(config);
  elb = new ElasticLoadBalancingV2Client(config);
});
afterAll(async () => {
  ecs.destroy();
  elb.destroy();
  await sandbox.stop();
});
beforeEach(() => sandbox.load(SCENARIO));
afterEach(() => expect(sandbox.takeViolations()).toEqual([]));

const release = (image: string) => registerShop(ecs, image);

/** Polls a service deployment every scenario second until it finishes; returns each answer that differed from the last. */
async function follow(service: string, taskDefinition: string): Promise<ServiceDeployment[]> {
  const updated = await ecs.send(new UpdateServiceCommand({ cluster: 'shop', service, taskDefinition }));
  const arn = updated.service!.currentServiceDeployment!;
  const seen: ServiceDeployment[] = [];
  for (let i = 0; i < 2000; i++) {
    const { serviceDeployments } = await ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }),
    );
    const record = serviceDeployments![0]!;
    const key = (r: ServiceDeployment) =>
      JSON.stringify([r.status, r.lifecycleStage, r.targetServiceRevision, r.lifecycleHookDetails]);
    if (!seen.length || key(seen.at(-1)!) !== key(record)) seen.push(record);
    if (['SUCCESSFUL', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'STOPPED'].includes(record.status!)) return seen;
    clock.advance(1);
  }
  throw new Error('the deployment did not finish');
}

/** Moves scenario time a second at a time (at most ten minutes) until the condition holds. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let second = 0; second < 600; second++) {
    if (await condition()) return;
    clock.advance(1);
  }
  throw new Error('not reached within ten minutes of scenario time');
}

const unique = <T>(values: T[]) => values.filter((v, i) => v !== values[i - 1]);

async function productionWeights(rule: string): Promise<Record<string, number>> {
  const ruleArn = sandbox.state('elbv2').rule('eu-west-1', rule)!.arn;
  const { Rules } = await elb.send(new DescribeRulesCommand({ RuleArns: [ruleArn] }));
  const groups = Rules![0]!.Actions![0]!.ForwardConfig!.TargetGroups!;
  return Object.fromEntries(groups.map((g) => [g.TargetGroupArn!.split('/')[1]!, g.Weight!]));
}

test('DescribeServices shows the strategy and the load balancers with their advanced configuration', async () => {
  const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'shop', services: ['web', 'api'] }));
  expect(services![0]!.deploymentConfiguration).toMatchObject({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 });
  expect(services![0]!.loadBalancers![0]).toMatchObject({
    targetGroupArn: expect.stringMatching(
      /^arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup\/web-blue\//,
    ),
    advancedConfiguration: {
      alternateTargetGroupArn: expect.stringMatching(/targetgroup\/web-green\//),
      productionListenerRule: expect.stringMatching(/:listener-rule\/app\/shop\//),
      roleArn: 'arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers',
    },
  });
  expect(services![1]!.deploymentConfiguration).toMatchObject({
    strategy: 'LINEAR',
    linearConfiguration: { stepPercent: 34, stepBakeTimeInMinutes: 1 },
  });
  expect(await productionWeights('web-production')).toEqual({ 'web-blue': 100, 'web-green': 0 });
});

test('a blue/green deployment reports each stage, its hook and the traffic split; ELBv2 shows the weights', async () => {
  const seen = await follow('web', await release('registry.example/shop:2'));
  expect(unique(seen.map((r) => r.lifecycleStage))).toEqual([
    'PRE_SCALE_UP',
    'SCALE_UP',
    'POST_SCALE_UP',
    'TEST_TRAFFIC_SHIFT',
    'POST_TEST_TRAFFIC_SHIFT',
    'PRODUCTION_TRAFFIC_SHIFT',
    'POST_PRODUCTION_TRAFFIC_SHIFT',
    'BAKE_TIME',
    'CLEAN_UP',
  ]);
  const hook = seen.find((r) => r.lifecycleHookDetails?.length)!;
  expect(hook.lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT');
  expect(hook.lifecycleHookDetails![0]).toMatchObject({
    targetType: 'AWS_LAMBDA',
    targetArn: 'arn:aws:lambda:eu-west-1:123456789012:function:smoke-tests',
    status: 'IN_PROGRESS',
    timeoutAction: 'ROLLBACK',
    hookId: expect.stringMatching(/^ecs-hook-/),
  });
  const testShift = seen.find((r) => r.lifecycleStage === 'POST_TEST_TRAFFIC_SHIFT')!;
  expect(testShift.targetServiceRevision).toMatchObject({
    requestedTestTrafficWeight: 100,
    requestedProductionTrafficWeight: 0,
  });
  expect(testShift.sourceServiceRevisions![0]).toMatchObject({
    requestedTestTrafficWeight: 0,
    requestedProductionTrafficWeight: 100,
  });
  const done = seen.at(-1)!;
  expect(done).toMatchObject({ status: 'SUCCESSFUL', lifecycleStage: 'CLEAN_UP', lifecycleHookDetails: [] });
  expect(done.targetServiceRevision).toMatchObject({ requestedProductionTrafficWeight: 100, runningTaskCount: 2 });
  expect(await productionWeights('web-production')).toEqual({ 'web-blue': 0, 'web-green': 100 });

  const { serviceRevisions } = await ecs.send(
    new DescribeServiceRevisionsCommand({ serviceRevisionArns: [done.targetServiceRevision!.arn!] }),
  );
  expect(serviceRevisions![0]!.resolvedConfiguration!.loadBalancers![0]).toEqual({
    targetGroupArn: expect.stringMatching(/targetgroup\/web-green\//),
    productionListenerRule: expect.stringMatching(/:listener-rule\//),
  });
  const { serviceDeployments } = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'shop', service: 'web' }));
  expect(serviceDeployments![0]).toMatchObject({
    status: 'SUCCESSFUL',
    serviceDeploymentArn: done.serviceDeploymentArn,
  });
});

test('a failing hook: the record names it FAILED and the deployment rolls back with the traffic on blue', async () => {
  const seen = await follow('web', await release('registry.example/shop:broken'));
  const failed = seen.find((r) => r.status === 'ROLLBACK_IN_PROGRESS')!;
  expect(failed.lifecycleHookDetails![0]).toMatchObject({ status: 'FAILED' });
  expect(failed.statusReason).toMatch(/lifecycle hook .*function:smoke-tests failed at stage POST_TEST_TRAFFIC_SHIFT/);
  expect(failed.rollback?.reason).toBe(failed.statusReason);
  expect(seen.at(-1)).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', lifecycleStage: 'CLEAN_UP' });
  expect(seen.at(-1)!.sourceServiceRevisions![0]).toMatchObject({ requestedProductionTrafficWeight: 100 });
  expect(await productionWeights('web-production')).toEqual({ 'web-blue': 100, 'web-green': 0 });
  const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'shop', services: ['web'] }));
  expect(services![0]!.deployments).toHaveLength(1);
  expect(services![0]!.events!.map((e) => e.message)).toContainEqual(
    expect.stringMatching(/deployment failed: hook execution failure\(s\) detected\./),
  );
});

test('linear and canary: production traffic in steps, as the listener rules record it', async () => {
  await follow('api', await release('registry.example/shop:2'));
  await follow('cart', await release('registry.example/shop:2'));
  const elbState = sandbox.state('elbv2');
  const shares = (rule: string, group: string) =>
    elbState.history
      .filter((c) => c.ruleArn === elbState.rule('eu-west-1', rule)!.arn)
      .map((c) => c.weights[elbState.targetGroup('eu-west-1', group)!.arn]);
  expect(shares('api-production', 'api-green')).toEqual([34, 68, 100]);
  expect(shares('cart-production', 'cart-green')).toEqual([10, 100]);
  expect(shares('cart-test', 'cart-green')).toEqual([100]);
});

test('a PAUSE hook waits, AWAITING_ACTION, until ContinueServiceDeployment', async () => {
  await ecs.send(
    new UpdateServiceCommand({
      cluster: 'shop',
      service: 'cart',
      taskDefinition: await release('registry.example/shop:2'),
      deploymentConfiguration: {
        strategy: 'CANARY',
        bakeTimeInMinutes: 0,
        lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'] }],
      },
    }),
  );
  const arn = (await ecs.send(new DescribeServicesCommand({ cluster: 'shop', services: ['cart'] }))).services![0]!
    .currentServiceDeployment!;
  const record = async () =>
    (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments![0]!;
  await until(async () => (await record()).lifecycleHookDetails?.[0]?.status === 'AWAITING_ACTION');
  const paused = await record();
  expect(paused.lifecycleStage).toBe('POST_SCALE_UP');
  expect(paused.lifecycleHookDetails![0]).not.toHaveProperty('targetArn');
  const hookId = paused.lifecycleHookDetails![0]!.hookId!;
  await expect(
    ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: 'ecs-pause-nothing' })),
  ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  await ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action: 'CONTINUE' }));
  await until(async () => (await record()).status === 'SUCCESSFUL');
});

test('ELBv2 DescribeRules: by listener with paging, and the errors ELBv2 gives', async () => {
  const state = sandbox.state('elbv2');
  const listenerArn = state.rule('eu-west-1', 'web-production')!.listenerArn;
  const first = await elb.send(new DescribeRulesCommand({ ListenerArn: listenerArn, PageSize: 2 }));
  expect(first.Rules!.map((r) => r.Priority)).toEqual(['10', '20']);
  const second = await elb.send(new DescribeRulesCommand({ ListenerArn: listenerArn, Marker: first.NextMarker }));
  expect(second.Rules!.map((r) => [r.Priority, r.IsDefault])).toEqual([
    ['30', false],
    ['default', true],
  ]);
  expect(second.NextMarker).toBeUndefined();
  await expect(
    elb.send(new DescribeRulesCommand({ RuleArns: [`${listenerArn.replace(':listener/', ':listener-rule/')}/0`] })),
  ).rejects.toMatchObject({ name: 'RuleNotFoundException' });
  await expect(elb.send(new DescribeRulesCommand({}))).rejects.toMatchObject({ name: 'ValidationError' });
});
