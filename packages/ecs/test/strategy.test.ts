// The strategy rules of the deploy, as tables over real-shaped DeploymentConfiguration and ServiceDeployment values:
// the configuration an UpdateService sends, the steps and bakes a strategy waits through, a rollback's verdict.
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import {
  bakeMinutes,
  failedHook,
  hookFailure,
  lifecycleView,
  productionSteps,
  rollbackOutcome,
  shareOf,
  withStrategy,
} from '../src/deploy/strategy/index.js';

const LAMBDA = 'arn:aws:lambda:eu-west-1:123456789012:function:smoke-tests';
const TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup';

describe('withStrategy', () => {
  const linear = {
    strategy: 'LINEAR' as const,
    bakeTimeInMinutes: 2,
    linearConfiguration: { stepPercent: 34, stepBakeTimeInMinutes: 1 },
    deploymentCircuitBreaker: { enable: true, rollback: true },
  };

  test('without settings the service keeps its configuration', () => {
    expect(withStrategy(linear, undefined)).toBe(linear);
  });

  test("switching drops the other strategy's settings and keeps the bake time", () => {
    expect(withStrategy(linear, { strategy: 'CANARY', canaryPercent: 20 })).toEqual({
      strategy: 'CANARY',
      bakeTimeInMinutes: 2,
      canaryConfiguration: { canaryPercent: 20 },
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });
  });

  test('the same strategy keeps the parameters not given', () => {
    expect(withStrategy(linear, { strategy: 'LINEAR', linearStepBakeMinutes: 3 }).linearConfiguration).toEqual({
      stepPercent: 34,
      stepBakeTimeInMinutes: 3,
    });
  });

  test('rolling carries no traffic-shifting settings', () => {
    expect(withStrategy(linear, { strategy: 'ROLLING' })).toEqual({
      strategy: 'ROLLING',
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });
  });
});

describe('productionSteps and bakeMinutes', () => {
  test.each([
    [{ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 }, [100], 5],
    [
      { strategy: 'LINEAR', bakeTimeInMinutes: 2, linearConfiguration: { stepPercent: 34, stepBakeTimeInMinutes: 1 } },
      [34, 68, 100],
      4,
    ],
    [
      { strategy: 'LINEAR', linearConfiguration: { stepPercent: 33.3, stepBakeTimeInMinutes: 1 } },
      [33.3, 66.6, 99.9, 100],
      3,
    ],
    // ECS's defaults: 10% steps with 6 minutes between them; a 5% canary, 10 minutes later the rest.
    [{ strategy: 'LINEAR' }, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 54],
    [{ strategy: 'CANARY', bakeTimeInMinutes: 2 }, [5, 100], 12],
    [{ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 100 } }, [100], 0],
    [{ strategy: 'ROLLING', bakeTimeInMinutes: 5 }, [], 0],
  ] as const)('%j: steps %j, bakes %d min', (config, steps, minutes) => {
    expect(productionSteps(config)).toEqual(steps);
    expect(bakeMinutes(config)).toBe(minutes);
  });
});

function record(overrides: Partial<ServiceDeployment>): ServiceDeployment {
  return {
    status: 'IN_PROGRESS',
    lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
    deploymentConfiguration: {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 5,
      lifecycleHooks: [{ hookTargetArn: LAMBDA, lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }],
    },
    targetServiceRevision: {
      arn: 'green',
      requestedProductionTrafficWeight: 0,
      runningTaskCount: 2,
      requestedTaskCount: 2,
    },
    sourceServiceRevisions: [
      { arn: 'blue', requestedProductionTrafficWeight: 100, runningTaskCount: 2, requestedTaskCount: 2 },
    ],
    ...overrides,
  };
}

describe('hooks', () => {
  const hook = (status: string, timeoutAction?: string) => ({
    lifecycleHookDetails: [
      {
        hookId: 'h1',
        targetType: 'AWS_LAMBDA' as const,
        targetArn: LAMBDA,
        status: status as never,
        timeoutAction: timeoutAction as never,
      },
    ],
  });

  test.each([
    ['IN_PROGRESS', undefined, false],
    ['SUCCEEDED', undefined, false],
    ['FAILED', undefined, true],
    ['TIMED_OUT', 'ROLLBACK', true],
    ['TIMED_OUT', 'CONTINUE', false],
  ])('%s (timeout action %s) fails the deployment: %s', (status, action, fails) => {
    expect(Boolean(failedHook(lifecycleView(record(hook(status, action)))))).toBe(fails);
  });

  test('a hook failed while the rollback already moves is named at the stage its configuration gives', () => {
    const view = lifecycleView(
      record({ ...hook('FAILED'), status: 'ROLLBACK_IN_PROGRESS', lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT' }),
    );
    expect(hookFailure(view)).toBe(`Lifecycle hook smoke-tests (${LAMBDA}) failed at POST_TEST_TRAFFIC_SHIFT.`);
  });

  test('a rolling deployment has no lifecycle view', () => {
    expect(lifecycleView({ status: 'IN_PROGRESS', deploymentConfiguration: { strategy: 'ROLLING' } })).toBeUndefined();
  });
});

describe('rollbackOutcome', () => {
  test.each([
    ['IN_PROGRESS', 100, 2, undefined],
    ['ROLLBACK_SUCCESSFUL', 100, 2, true],
    ['ROLLBACK_SUCCESSFUL', 90, 2, false],
    ['ROLLBACK_SUCCESSFUL', 100, 1, false],
  ])('%s with %d%% and %d/2 tasks on blue: healthy %s', (status, weight, running, healthy) => {
    const view = lifecycleView(
      record({
        status: status as never,
        sourceServiceRevisions: [
          { arn: 'blue', requestedProductionTrafficWeight: weight, runningTaskCount: running, requestedTaskCount: 2 },
        ],
      }),
    );
    expect(rollbackOutcome(view, status, 'web:1')?.healthy).toBe(healthy);
  });
});

describe('shareOf', () => {
  const rule = (groups: { TargetGroupArn: string; Weight?: number }[]) => ({
    Actions: [{ Type: 'forward' as const, ForwardConfig: { TargetGroups: groups } }],
  });
  test.each([
    [
      [
        { TargetGroupArn: `${TG}/blue/1`, Weight: 100 },
        { TargetGroupArn: `${TG}/green/2`, Weight: 0 },
      ],
      100,
    ],
    [
      [
        { TargetGroupArn: `${TG}/blue/1`, Weight: 9 },
        { TargetGroupArn: `${TG}/green/2`, Weight: 1 },
      ],
      90,
    ],
    [[{ TargetGroupArn: `${TG}/blue/1` }, { TargetGroupArn: `${TG}/green/2` }], 50], // a weight left out counts as 1
    [[{ TargetGroupArn: `${TG}/green/2`, Weight: 1 }], 0],
  ])('%j: blue gets %d%%', (groups, share) => {
    expect(shareOf(rule(groups), `${TG}/blue/1`)).toBe(share);
  });
  test('a forward action without ForwardConfig sends everything to its one target group', () => {
    expect(shareOf({ Actions: [{ Type: 'forward', TargetGroupArn: `${TG}/blue/1` }] }, `${TG}/blue/1`)).toBe(100);
  });
});
