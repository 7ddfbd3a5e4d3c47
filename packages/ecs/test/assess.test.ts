import type { Deployment, Service, ServiceDeployment, ServiceEvent } from '@aws-sdk/client-ecs';
import { assess, isFinal, type WatchTarget } from '../src/deploy/assess.js';
import { serviceSnapshot } from '../src/deploy/snapshot.js';

const T0 = Date.parse('2026-11-23T12:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const ARN = 'arn:aws:ecs:eu-west-1:123456789012:task-definition';
const OLD = `${ARN}/web:7`;
const NEW = `${ARN}/web:8`;
const SD_ARN = 'arn:aws:ecs:eu-west-1:123456789012:service-deployment/shop/web/AbCdEf123';
const OURS = 'ecs-svc/1111111111111111111';
const ROLLBACK = 'ecs-svc/2222222222222222222';
const OTHER = 'ecs-svc/3333333333333333333';

const target: WatchTarget = {
  service: 'web',
  phase: 'rollout',
  deploymentId: OURS,
  serviceDeploymentArn: SD_ARN,
  taskDefinition: NEW,
  previousTaskDefinition: OLD,
  rollbackEnabled: true,
  startedAt: T0,
  deadline: T0 + 600_000,
};

function deployment(overrides: Partial<Deployment>): Deployment {
  return {
    id: OURS,
    status: 'PRIMARY',
    taskDefinition: NEW,
    desiredCount: 3,
    pendingCount: 0,
    runningCount: 0,
    failedTasks: 0,
    createdAt: at(0),
    updatedAt: at(1),
    launchType: 'FARGATE',
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: 'ECS deployment ecs-svc/1111111111111111111 in progress.',
    ...overrides,
  };
}

function event(seconds: number, message: string): ServiceEvent {
  return { id: `ev-${seconds}`, createdAt: at(seconds), message };
}

function service(deployments: Deployment[], events: ServiceEvent[] = [], overrides: Partial<Service> = {}): Service {
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  return {
    serviceArn: 'arn:aws:ecs:eu-west-1:123456789012:service/shop/web',
    serviceName: 'web',
    clusterArn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/shop',
    status: 'ACTIVE',
    desiredCount: 3,
    runningCount: deployments.reduce((n, d) => n + (d.runningCount ?? 0), 0),
    pendingCount: deployments.reduce((n, d) => n + (d.pendingCount ?? 0), 0),
    taskDefinition: primary?.taskDefinition,
    deploymentController: { type: 'ECS' },
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: true, rollback: true },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    },
    deployments,
    events: [...events].reverse(),
    currentServiceDeployment: SD_ARN,
    ...overrides,
  };
}

function record(status: ServiceDeployment['status'], overrides: Partial<ServiceDeployment> = {}): ServiceDeployment {
  return { serviceDeploymentArn: SD_ARN, status, createdAt: at(0), ...overrides };
}

const oldActive = deployment({
  id: 'ecs-svc/0000000000000000007',
  status: 'ACTIVE',
  taskDefinition: OLD,
  runningCount: 3,
  rolloutState: 'COMPLETED',
  rolloutStateReason: 'ECS deployment ecs-svc/0000000000000000007 completed.',
  createdAt: at(-3600),
});

const breakerReason = 'ECS deployment circuit breaker: tasks failed to start.';

describe('assess a rollout', () => {
  const cases: [string, Service | undefined, ServiceDeployment | undefined, string, RegExp | null][] = [
    [
      'just started: both deployments listed',
      service([deployment({ pendingCount: 3 }), oldActive]),
      record('IN_PROGRESS'),
      'progressing',
      null,
    ],
    [
      'completed by rolloutState without the record',
      service([deployment({ runningCount: 3, rolloutState: 'COMPLETED' })]),
      undefined,
      'succeeded',
      null,
    ],
    [
      'completed by the service-deployment record',
      service([deployment({ runningCount: 3 })]),
      record('SUCCESSFUL'),
      'succeeded',
      null,
    ],
    [
      'no rolloutState (older answers): steady on OUR deployment',
      service([deployment({ runningCount: 3, rolloutState: undefined })]),
      undefined,
      'succeeded',
      null,
    ],
    [
      'steady but on the old revision (a waiter would say success)',
      service(
        [{ ...oldActive, status: 'PRIMARY', id: ROLLBACK }],
        [event(40, 'service web has started a deployment rolling back to web:7')],
      ),
      undefined,
      'failed',
      /rolling back/,
    ],
    [
      'circuit breaker FAILED in deployments[]',
      service([deployment({ rolloutState: 'FAILED', rolloutStateReason: breakerReason, failedTasks: 3 }), oldActive]),
      record('IN_PROGRESS'),
      'failed',
      /circuit breaker: tasks failed to start/,
    ],
    [
      'record says ROLLBACK_IN_PROGRESS with its reason',
      service([
        deployment({ status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: breakerReason }),
        { ...oldActive, id: ROLLBACK, status: 'PRIMARY', rolloutState: 'IN_PROGRESS' },
      ]),
      record('ROLLBACK_IN_PROGRESS', {
        rollback: { reason: 'Circuit breaker triggered rollback: tasks failed to start.' },
      }),
      'failed',
      /"reason":"ECS deployment circuit breaker: tasks failed to start\."/,
    ],
    [
      'alarm failure names the alarm',
      service([
        deployment({ rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment failed: alarm detected.' }),
        oldActive,
      ]),
      record('ROLLBACK_REQUESTED', {
        alarms: { status: 'TRIGGERED', alarmNames: ['p99-latency'], triggeredAlarmNames: ['p99-latency'] },
      }),
      'failed',
      /alarm detected.*p99-latency/,
    ],
    [
      'superseded: another update became PRIMARY (same revision as ours!)',
      service([deployment({ id: OTHER, createdAt: at(30) }), deployment({ status: 'ACTIVE' }), oldActive], [], {
        currentServiceDeployment: `${SD_ARN}-other`,
      }),
      record('STOPPED', { statusReason: 'Service deployment superseded by a newer deployment.' }),
      'superseded',
      /superseded by deployment ecs-svc\/3333333333333333333.*superseded by a newer/,
    ],
    [
      'superseded without the record',
      service([deployment({ id: OTHER, taskDefinition: `${ARN}/web:9` }), deployment({ status: 'ACTIVE' })]),
      undefined,
      'superseded',
      /web:9/,
    ],
    ['service deleted', undefined, undefined, 'gone', /MISSING/],
    ['service draining', service([deployment({})], [], { status: 'DRAINING' }), undefined, 'gone', /DRAINING/],
    [
      'scaled to zero completes with no task',
      service([deployment({ desiredCount: 0, rolloutState: 'COMPLETED' })], [], { desiredCount: 0 }),
      undefined,
      'succeeded',
      null,
    ],
    ['our deployment not visible yet right after the update', service([]), undefined, 'progressing', null],
  ];

  test.each(cases)('%s', (_name, described, sd, expected, reason) => {
    const result = assess(target, serviceSnapshot('web', described, sd), T0 + 30_000);
    expect(result.state).toBe(expected);
    if (reason) expect(JSON.stringify(result)).toMatch(reason);
  });

  test('a FAILED rollout says whether ECS rolls back', () => {
    const failed = service([deployment({ rolloutState: 'FAILED', rolloutStateReason: breakerReason }), oldActive]);
    expect(assess(target, serviceSnapshot('web', failed), T0)).toMatchObject({ state: 'failed', rollingBack: true });
    expect(assess({ ...target, rollbackEnabled: false }, serviceSnapshot('web', failed), T0)).toMatchObject({
      state: 'failed',
      rollingBack: false,
    });
  });

  test('the reason adds the latest task failure from the events, and the record reason when the rollout has none', () => {
    const failed = service(
      [deployment({ status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: breakerReason }), oldActive],
      [
        event(5, '(service web) (task aaa) failed to start: CannotPullContainerError: old'),
        event(9, '(service web) (task bbb) failed to start: CannotPullContainerError: manifest unknown'),
        event(10, '(service web) (deployment ecs-svc/1111111111111111111) deployment failed: tasks failed to start.'),
      ],
    );
    expect(assess(target, serviceSnapshot('web', failed), T0)).toMatchObject({
      state: 'failed',
      reason: `${breakerReason} Latest task failure: (task bbb) failed to start: CannotPullContainerError: manifest unknown.`,
    });
    const noRolloutReason = service([
      deployment({ status: 'ACTIVE', rolloutStateReason: undefined }),
      { ...oldActive, id: ROLLBACK, status: 'PRIMARY' },
    ]);
    const rolling = record('ROLLBACK_IN_PROGRESS', { rollback: { reason: 'Circuit breaker triggered rollback.' } });
    expect(assess(target, serviceSnapshot('web', noRolloutReason, rolling), T0)).toMatchObject({
      reason: 'Circuit breaker triggered rollback.',
    });
  });

  describe('one observation, one story', () => {
    const rollbackReason = 'Service deployment rolled back because the circuit breaker threshold was exceeded.';
    const rolling = record('ROLLBACK_IN_PROGRESS', {
      rollback: { reason: rollbackReason },
      deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 3, threshold: 3 },
    });

    test('a record that failed before the services answer shows it: no task failure from that older answer', () => {
      // DescribeServices answered before the breaker tripped: it still shows the rollout in progress, and its newest
      // task failure is an early pull failure, not the health-check failure that tripped the breaker.
      const earlier = service(
        [deployment({ pendingCount: 1, failedTasks: 2 }), oldActive],
        [event(5, '(service web) (task aaa) failed to start: CannotPullContainerError: transient')],
      );
      const verdict = assess(target, serviceSnapshot('web', earlier, rolling), T0);
      expect(verdict).toMatchObject({ state: 'failed', rollingBack: true });
      expect((verdict as { reason: string }).reason).toBe(
        `${rollbackReason} 3 task(s) failed (the circuit breaker's threshold is 3).`,
      );
    });

    test('the task failure is the newest one before the failure, not one of the rollback after it', () => {
      const failed = service(
        [
          { ...oldActive, id: ROLLBACK, status: 'PRIMARY', runningCount: 1, rolloutState: 'IN_PROGRESS' },
          deployment({ status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: breakerReason }),
        ],
        [
          event(5, '(service web) (task aaa) failed to start: CannotPullContainerError: transient'),
          event(20, '(service web) (task bbb) failed container health checks.'),
          event(21, `(service web) (deployment ${OURS}) deployment failed: tasks failed to start.`),
          event(21, `(service web) rolling back to deployment ecs-svc/0000000000000000007.`),
          event(30, '(service web) (task ccc) failed to start: ResourceInitializationError: rollback task'),
        ],
      );
      expect(assess(target, serviceSnapshot('web', failed, rolling), T0)).toMatchObject({
        state: 'failed',
        reason: `${breakerReason} Latest task failure: (task bbb) failed container health checks.`,
      });
    });
  });

  test('without a record, once the failed deployment has drained, the rollback deployment names the cause', () => {
    const rollbackReason = `ECS deployment circuit breaker: rolling back to deploymentId ${OURS}.`;
    const drained = service(
      [
        {
          ...oldActive,
          id: ROLLBACK,
          status: 'PRIMARY',
          rolloutState: 'IN_PROGRESS',
          rolloutStateReason: rollbackReason,
        },
      ],
      [event(21, `(service web) rolling back to deployment ${ROLLBACK}.`)],
    );
    expect(assess(target, serviceSnapshot('web', drained), T0)).toMatchObject({
      state: 'failed',
      rollingBack: true,
      reason: expect.stringMatching(/^ECS deployment circuit breaker: rolling back to deploymentId /),
    });
  });

  test.each([
    ['tasks failed to start', 'tasks failed to start'],
    ['an alarm', 'alarm detected'],
  ])(
    'without a record, once the rollback has completed, the event that the deployment failed names the cause (%s)',
    (_name, cause) => {
      // The failed deployment is gone, the rollback's reason says only that it completed, and the newest event says
      // only "rolling back": the older event that our deployment failed is the one that says why.
      const completed = service(
        [
          {
            ...oldActive,
            id: ROLLBACK,
            status: 'PRIMARY',
            runningCount: 3,
            rolloutState: 'COMPLETED',
            rolloutStateReason: `ECS deployment ${ROLLBACK} completed.`,
          },
        ],
        [
          event(20, `(service web) (deployment ${OURS}) deployment failed: ${cause}.`),
          event(21, `(service web) (deployment ${OTHER}) deployment failed: tasks failed to start.`),
          event(22, `(service web) rolling back to deployment ${ROLLBACK}.`),
        ],
      );
      expect(assess(target, serviceSnapshot('web', completed), T0)).toMatchObject({
        state: 'failed',
        rollingBack: true,
        reason: `(deployment ${OURS}) deployment failed: ${cause}.`,
      });
    },
  );

  test('a record for another deployment is ignored', () => {
    const snap = serviceSnapshot(
      'web',
      service([deployment({ pendingCount: 3 }), oldActive]),
      record('SUCCESSFUL', { serviceDeploymentArn: `${SD_ARN}-old` }),
    );
    expect(assess(target, snap, T0).state).toBe('progressing');
  });

  test('times out only while still progressing', () => {
    const running = serviceSnapshot('web', service([deployment({ pendingCount: 3 }), oldActive]));
    expect(assess(target, running, target.deadline - 1).state).toBe('progressing');
    const late = assess(target, running, target.deadline);
    expect(late.state).toBe('timed-out');
    expect(isFinal(late)).toBe(true);
    const done = serviceSnapshot('web', service([deployment({ runningCount: 3, rolloutState: 'COMPLETED' })]));
    expect(assess(target, done, target.deadline + 1).state).toBe('succeeded');
  });

  test('events from before the deployment do not count as a rollback', () => {
    const snap = serviceSnapshot(
      'web',
      service([deployment({ id: OTHER }), deployment({ status: 'ACTIVE' })], [event(-600, 'rolling back to web:6')]),
    );
    expect(assess(target, snap, T0).state).toBe('superseded');
  });
});

describe('assess a rollback', () => {
  const rollback: WatchTarget = { ...target, phase: 'rollback' };
  const failedOurs = deployment({
    status: 'ACTIVE',
    rolloutState: 'FAILED',
    rolloutStateReason: breakerReason,
    runningCount: 0,
  });
  const restoring = deployment({
    id: ROLLBACK,
    taskDefinition: OLD,
    runningCount: 2,
    pendingCount: 1,
    rolloutState: 'IN_PROGRESS',
  });

  test('still draining the failed deployment', () => {
    expect(assess(rollback, serviceSnapshot('web', service([restoring, failedOurs])), T0).state).toBe('rolling-back');
  });

  test('steady on the previous revision is a healthy rollback', () => {
    const done = deployment({ id: ROLLBACK, taskDefinition: OLD, runningCount: 3, rolloutState: 'COMPLETED' });
    const result = assess(rollback, serviceSnapshot('web', service([done])), T0);
    expect(result).toMatchObject({ state: 'rolled-back', healthy: true, taskDefinition: OLD });
    expect(JSON.stringify(result)).toMatch(/3\/3 tasks healthy on the previous revision web:7/);
  });

  test('ROLLBACK_SUCCESSFUL record is trusted', () => {
    const snap = serviceSnapshot('web', service([restoring, failedOurs]), record('ROLLBACK_SUCCESSFUL'));
    expect(assess(rollback, snap, T0)).toMatchObject({ state: 'rolled-back', healthy: true });
  });

  test('a rollback that fails is reported unhealthy', () => {
    const broken = deployment({
      id: ROLLBACK,
      taskDefinition: OLD,
      rolloutState: 'FAILED',
      rolloutStateReason: breakerReason,
    });
    expect(assess(rollback, serviceSnapshot('web', service([broken, failedOurs])), T0)).toMatchObject({
      state: 'rolled-back',
      healthy: false,
    });
    expect(assess(rollback, serviceSnapshot('web', service([restoring]), record('ROLLBACK_FAILED')), T0)).toMatchObject(
      {
        state: 'rolled-back',
        healthy: false,
      },
    );
  });

  test('rollback watch is bounded', () => {
    expect(assess(rollback, serviceSnapshot('web', service([restoring, failedOurs])), rollback.deadline).state).toBe(
      'timed-out',
    );
  });
});
