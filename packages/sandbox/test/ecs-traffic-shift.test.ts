// Blue/green, linear and canary deployments stage by stage, on a clock that only moves when told to: each case says
// at which instant ECS enters each lifecycle stage, how the listener rules split the traffic, and what a failed hook,
// an alarm or the circuit breaker does (the traffic goes back to blue).
import { ManualClock } from '../src/ecs/manual-clock.js';
import { ecsSectionSchema } from '../src/ecs/scenario.js';
import { EcsWorld } from '../src/ecs/world.js';
import { elbv2SectionSchema } from '../src/elbv2/scenario.js';
import { Elbv2State } from '../src/elbv2/state.js';
import { AwsError } from '../src/core/module.js';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const HOOK = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:smoke-tests`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/ecs-hooks`;

function container(image: string) {
  return { name: 'app', image, essential: true };
}

function setup(deploymentConfiguration: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const clock = new ManualClock();
  const start = clock.now();
  const elb = new Elbv2State(ACCOUNT, () => clock.now());
  elb.load(
    elbv2SectionSchema.parse({
      loadBalancers: [
        {
          name: 'shop',
          listeners: [
            { port: 443, rules: [{ name: 'web-production', priority: 10, forward: ['web-blue', 'web-green'] }] },
            { port: 8443, rules: [{ name: 'web-test', priority: 10, forward: ['web-blue', 'web-green'] }] },
          ],
        },
      ],
    }),
    REGION,
  );
  const section = ecsSectionSchema.parse({
    clusters: [{ name: 'prod', containerInstances: 4 }],
    images: {
      'app:v1': { startDelay: 1 },
      'app:v2': { startDelay: 5 },
      'app:bad': { behaviour: 'fails-to-start', startDelay: 2 },
      'app:noisy': { startDelay: 5 },
    },
    taskDefinitions: [
      { family: 'web', containerDefinitions: [container('app:v1')] },
      { family: 'web', containerDefinitions: [container('app:v2')] },
      { family: 'web', containerDefinitions: [container('app:bad')] },
      { family: 'web', containerDefinitions: [container('app:noisy')] },
    ],
    services: [
      {
        cluster: 'prod',
        serviceName: 'web',
        taskDefinition: 'web:1',
        desiredCount: 2,
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: true },
          ...deploymentConfiguration,
        },
        loadBalancers: [
          {
            targetGroupArn: 'web-blue',
            containerName: 'app',
            containerPort: 8080,
            advancedConfiguration: {
              alternateTargetGroupArn: 'web-green',
              productionListenerRule: 'web-production',
              testListenerRule: 'web-test',
            },
          },
        ],
      },
    ],
    alarms: [{ name: 'web-5xx', whenImageRuns: 'app:noisy', after: 70 }],
    ...extra,
  });
  const world = new EcsWorld({ clock, accountId: ACCOUNT, defaultRegion: REGION, section, listenerRules: () => elb });
  const service = () => world.service(REGION, 'prod', 'web')!;
  const seconds = (at: number) => (at - start) / 1000;
  const update = (input: Record<string, unknown>) =>
    world.services.update(REGION, { cluster: 'prod', service: 'web', ...input });
  const group = (name: string) => elb.targetGroup(REGION, name)!.arn;
  const rule = (name: string) => elb.rule(REGION, name)!.arn;
  /** Green's share of a rule's traffic at each change: [seconds, percent]. */
  const shares = (ruleName: string, green = 'web-green') =>
    elb.history.filter((c) => c.ruleArn === rule(ruleName)).map((c) => [seconds(c.at), c.weights[group(green)]]);
  const stages = () => service().records[0]!.lifecycle!.stages.map((s) => [s.stage, seconds(s.at)]);
  return { clock, world, elb, service, seconds, update, group, rule, shares, stages };
}

describe('blue/green', () => {
  test('green scales up beside blue, takes test traffic, then all production traffic, bakes, and blue goes', () => {
    const t = setup({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 });
    // The scenario's service starts on web-blue with all the traffic.
    expect(t.elb.weights(t.rule('web-production'))).toEqual({ [t.group('web-blue')]: 100, [t.group('web-green')]: 0 });
    const blue = t.service().primary;
    t.update({ taskDefinition: 'web:2' });
    const green = t.service().primary;
    t.clock.advanceUntil(() => green.record.status === 'SUCCESSFUL', 200);
    // stageSeconds 1; SCALE_UP waits for green (provisioning 0.5 + pull 5 + activating 0.5); BAKE_TIME is 60 s;
    // CLEAN_UP ends when blue's tasks have stopped (1.5 s).
    expect(t.stages()).toEqual([
      ['PRE_SCALE_UP', 0],
      ['SCALE_UP', 1],
      ['POST_SCALE_UP', 7],
      ['TEST_TRAFFIC_SHIFT', 8],
      ['POST_TEST_TRAFFIC_SHIFT', 9],
      ['PRODUCTION_TRAFFIC_SHIFT', 10],
      ['POST_PRODUCTION_TRAFFIC_SHIFT', 11],
      ['BAKE_TIME', 12],
      ['CLEAN_UP', 72],
    ]);
    expect(t.seconds(green.record.finishedAt!)).toBe(73.5);
    expect(t.shares('web-test')).toEqual([[8, 100]]);
    expect(t.shares('web-production')).toEqual([[10, 100]]);
    expect(green.rolloutState).toBe('COMPLETED');
    expect(blue.status).toBe('INACTIVE');
    expect(t.service().deployments).toEqual([green]);
    // Green used the alternate target group; the next deployment alternates back.
    expect(green.revision.targetGroups).toEqual([t.group('web-green')]);
    const messages = t.service().events.map((e) => e.message);
    expect(messages).toContain(`(service web) registered 2 targets in (target-group ${t.group('web-green')})`);
    expect(messages).toContain(`(service web) deregistered 2 targets in (target-group ${t.group('web-blue')})`);
    expect(messages[0]).toBe('(service web) has reached a steady state.');

    t.update({ taskDefinition: 'web:1' });
    const next = t.service().primary;
    expect(next.revision.targetGroups).toEqual([t.group('web-blue')]);
    t.clock.advanceUntil(() => next.record.status === 'SUCCESSFUL', 200);
    expect(t.elb.weights(t.rule('web-production'))).toEqual({ [t.group('web-blue')]: 100, [t.group('web-green')]: 0 });
  });

  test('a failed post-test-traffic hook rolls back: production traffic never left blue, green is removed', () => {
    const t = setup(
      {
        strategy: 'BLUE_GREEN',
        bakeTimeInMinutes: 5,
        lifecycleHooks: [{ hookTargetArn: HOOK, roleArn: ROLE, lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }],
      },
      { hooks: [{ function: 'smoke-tests', outcome: 'fail', seconds: 40 }] },
    );
    const blue = t.service().primary;
    t.update({ taskDefinition: 'web:2' });
    const green = t.service().primary;
    const record = green.record;
    t.clock.advanceUntil(() => record.lifecycle!.stage === 'POST_TEST_TRAFFIC_SHIFT', 100);
    expect(record.lifecycle!.hooks).toMatchObject([
      { stage: 'POST_TEST_TRAFFIC_SHIFT', targetType: 'AWS_LAMBDA', targetArn: HOOK, status: 'IN_PROGRESS' },
    ]);
    // The function answers IN_PROGRESS at 9 s and 39 s, and FAILED at the invocation after 40 s: 69 s.
    t.clock.advanceUntil(() => record.status !== 'IN_PROGRESS', 100);
    expect(t.seconds(record.updatedAt)).toBe(69);
    expect(record.status).toBe('ROLLBACK_IN_PROGRESS');
    expect(record.statusReason).toBe(
      `Service deployment rolled back because lifecycle hook ${HOOK} failed at stage POST_TEST_TRAFFIC_SHIFT.`,
    );
    expect(green.rolloutStateReason).toBe('ECS deployment failed: hook execution failure(s) detected.');
    expect(record.lifecycle!.hooks[0]!.status).toBe('FAILED');
    // Blue is the primary again at once, and the test traffic goes back to it.
    expect(t.service().primary).toBe(blue);
    t.clock.advanceUntil(() => record.status === 'ROLLBACK_SUCCESSFUL', 100);
    expect(t.stages().slice(-3)).toEqual([
      ['PRODUCTION_TRAFFIC_SHIFT', 69],
      ['TEST_TRAFFIC_SHIFT', 70],
      ['CLEAN_UP', 71],
    ]);
    expect(t.shares('web-test')).toEqual([
      [8, 100],
      [70, 0],
    ]);
    expect(t.shares('web-production')).toEqual([]);
    expect(t.service().deployments).toEqual([blue]);
    expect(green.tasks.every((task) => task.lastStatus === 'STOPPED')).toBe(true);
    expect(record.lifecycle!.hooks[0]!.status).toBe('FAILED');
    expect(t.service().events.map((e) => e.message)).toContain(
      `(service web) (deployment ${green.id}) deployment failed: hook execution failure(s) detected.`,
    );
  });

  test('an alarm during the bake shifts production traffic back to blue', () => {
    const t = setup({
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 10,
      alarms: { alarmNames: ['web-5xx'], enable: true, rollback: true },
    });
    const blue = t.service().primary;
    t.update({ taskDefinition: 'web:4' });
    const green = t.service().primary;
    const record = green.record;
    // Green runs from 7 s; the alarm fires 70 s later, in the bake (from 12 s).
    t.clock.advanceUntil(() => record.status !== 'IN_PROGRESS', 200);
    expect(t.seconds(record.updatedAt)).toBe(77);
    expect(record.status).toBe('ROLLBACK_IN_PROGRESS');
    expect(record.alarms).toMatchObject({ status: 'TRIGGERED', triggeredAlarmNames: ['web-5xx'] });
    expect(t.stages().at(-1)).toEqual(['PRODUCTION_TRAFFIC_SHIFT', 77]);
    expect(t.stages()).toContainEqual(['BAKE_TIME', 12]);
    expect(t.shares('web-production')).toEqual([
      [10, 100],
      [77, 0],
    ]);
    expect(t.service().primary).toBe(blue);
    t.clock.advanceUntil(() => record.status === 'ROLLBACK_SUCCESSFUL', 100);
    expect(t.elb.weights(t.rule('web-production'))[t.group('web-blue')]).toBe(100);
  });

  test('the circuit breaker fails green while it scales up; blue never lost any traffic', () => {
    const t = setup({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 });
    t.update({ taskDefinition: 'web:3' });
    const green = t.service().primary;
    t.clock.advanceUntil(() => green.record.status === 'ROLLBACK_SUCCESSFUL', 200);
    expect(green.rolloutStateReason).toBe('ECS deployment circuit breaker: tasks failed to start.');
    expect(t.stages()).toEqual([
      ['PRE_SCALE_UP', 0],
      ['SCALE_UP', 1],
      ['PRODUCTION_TRAFFIC_SHIFT', expect.any(Number)],
      ['TEST_TRAFFIC_SHIFT', expect.any(Number)],
      ['CLEAN_UP', expect.any(Number)],
    ]);
    expect(t.shares('web-production')).toEqual([]);
    expect(t.shares('web-test')).toEqual([]);
  });
});

describe('linear and canary', () => {
  test('linear in three steps of 34%, each followed by its bake but the last', () => {
    const t = setup({
      strategy: 'LINEAR',
      bakeTimeInMinutes: 1,
      linearConfiguration: { stepPercent: 34, stepBakeTimeInMinutes: 1 },
    });
    t.update({ taskDefinition: 'web:2' });
    const green = t.service().primary;
    t.clock.advanceUntil(() => green.record.status === 'SUCCESSFUL', 400);
    // Each shift lasts stageSeconds (1 s), then its 60 s bake.
    expect(t.shares('web-production')).toEqual([
      [10, 34],
      [71, 68],
      [132, 100],
    ]);
    expect(t.stages().map(([stage]) => stage)).toEqual([
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
    expect(t.stages()).toContainEqual(['BAKE_TIME', 134]);
  });

  test('canary: the canary share, its bake, then the rest; production hooks run at every shift', () => {
    const t = setup(
      {
        strategy: 'CANARY',
        bakeTimeInMinutes: 0,
        canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 2 },
        lifecycleHooks: [{ hookTargetArn: HOOK, roleArn: ROLE, lifecycleStages: ['PRODUCTION_TRAFFIC_SHIFT'] }],
      },
      { hooks: [{ function: HOOK, outcome: 'succeed', seconds: 5, callBackDelay: 5 }] },
    );
    t.update({ taskDefinition: 'web:2' });
    const green = t.service().primary;
    t.clock.advanceUntil(() => green.record.status === 'SUCCESSFUL', 400);
    // The canary shift waits for its hook (5 s), bakes 120 s, then the last shift waits for the hook again.
    expect(t.shares('web-production')).toEqual([
      [10, 10],
      [135, 100],
    ]);
    expect(t.stages()).toContainEqual(['POST_PRODUCTION_TRAFFIC_SHIFT', 140]);
  });

  test('the linear and canary defaults are ECS’s: 10% steps of 6 minutes, a 5% canary baking 10 minutes', () => {
    const linear = setup({ strategy: 'LINEAR', bakeTimeInMinutes: 0 });
    linear.update({ taskDefinition: 'web:2' });
    linear.clock.advanceUntil(() => linear.service().primary.record.status === 'SUCCESSFUL', 4000);
    expect(linear.shares('web-production').map(([, share]) => share)).toEqual([
      10, 20, 30, 40, 50, 60, 70, 80, 90, 100,
    ]);
    expect(linear.shares('web-production')[1]![0]! - linear.shares('web-production')[0]![0]!).toBe(361);
    const canary = setup({ strategy: 'CANARY', bakeTimeInMinutes: 0 });
    canary.update({ taskDefinition: 'web:2' });
    canary.clock.advanceUntil(() => canary.service().primary.record.status === 'SUCCESSFUL', 4000);
    expect(canary.shares('web-production')).toEqual([
      [10, 5],
      [611, 100],
    ]);
  });
});

describe('hooks', () => {
  test('a hook that keeps answering IN_PROGRESS times out; CONTINUE goes on, ROLLBACK rolls back', () => {
    const hook = (action: string) => ({
      hookTargetArn: HOOK,
      roleArn: ROLE,
      lifecycleStages: ['PRE_SCALE_UP'],
      timeoutConfiguration: { timeoutInMinutes: 2, action },
    });
    const hooks = { hooks: [{ function: 'smoke-tests', outcome: 'keep-in-progress' }] };
    const goOn = setup({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, lifecycleHooks: [hook('CONTINUE')] }, hooks);
    goOn.update({ taskDefinition: 'web:2' });
    goOn.clock.advanceUntil(() => goOn.service().primary.record.status === 'SUCCESSFUL', 400);
    expect(goOn.stages()[1]).toEqual(['SCALE_UP', 120]);
    const back = setup({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, lifecycleHooks: [hook('ROLLBACK')] }, hooks);
    back.update({ taskDefinition: 'web:2' });
    const record = back.service().primary.record;
    back.clock.advanceUntil(() => record.status === 'ROLLBACK_SUCCESSFUL', 400);
    expect(record.lifecycle!.hooks[0]!.status).toBe('TIMED_OUT');
    expect(record.statusReason).toMatch(/lifecycle hook .*smoke-tests timed out at stage PRE_SCALE_UP/);
  });

  test('a hook fails only for the image the scenario names', () => {
    const config = {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 0,
      lifecycleHooks: [{ hookTargetArn: HOOK, roleArn: ROLE, lifecycleStages: ['POST_SCALE_UP'] }],
    };
    const t = setup(config, { hooks: [{ function: 'smoke-tests', whenImageRuns: 'app:noisy', outcome: 'fail' }] });
    t.update({ taskDefinition: 'web:2' });
    t.clock.advanceUntil(() => t.service().primary.record.status === 'SUCCESSFUL', 200);
    t.update({ taskDefinition: 'web:4' });
    const record = t.service().primary.record;
    t.clock.advanceUntil(() => record.status === 'ROLLBACK_SUCCESSFUL', 200);
  });
});

describe('what UpdateService refuses', () => {
  test.each([
    [{ strategy: 'BLUE_GREEN' }, /bakeTimeInMinutes must be provided/],
    [{ strategy: 'LINEAR', linearConfiguration: { stepPercent: 2 } }, /stepPercent must be a multiple of 0.1 from 3/],
    [{ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 5.05 } }, /canaryPercent must be a multiple of 0.1/],
    [{ strategy: 'CANARY', linearConfiguration: { stepPercent: 10 } }, /linearConfiguration is only valid/],
    [{ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1441 }, /bakeTimeInMinutes must be a whole number/],
    [
      {
        strategy: 'BLUE_GREEN',
        bakeTimeInMinutes: 1,
        lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['TEST_TRAFFIC_SHIFT'] }],
      },
      /PAUSE hooks cannot be configured at the TEST_TRAFFIC_SHIFT stage/,
    ],
    [
      { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1, lifecycleHooks: [{ lifecycleStages: ['PRE_SCALE_UP'] }] },
      /needs a Lambda function ARN/,
    ],
  ])('%j', (deploymentConfiguration, message) => {
    const t = setup({});
    const before = t.service().deploymentConfiguration;
    let error: unknown;
    try {
      t.update({ taskDefinition: 'web:2', deploymentConfiguration });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AwsError);
    expect((error as AwsError).code).toBe('InvalidParameterException');
    expect((error as AwsError).message).toMatch(message);
    // Nothing changed.
    expect(t.service().deploymentConfiguration).toBe(before);
    expect(t.service().deployments).toHaveLength(1);
  });

  test('switching strategy drops the settings of the one before', () => {
    const t = setup({ strategy: 'LINEAR', linearConfiguration: { stepPercent: 50 } });
    t.update({ deploymentConfiguration: { strategy: 'CANARY' } });
    expect(t.service().deploymentConfiguration).toMatchObject({ strategy: 'CANARY' });
    expect(t.service().deploymentConfiguration.linearConfiguration).toBeUndefined();
  });
});
