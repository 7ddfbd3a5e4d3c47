// Tables of transitions of the ECS state machine, on a clock that only moves when told to: each case says at which
// instant ECS records each rollout state.
import { AwsError } from '../src/core/module.js';
import { ManualClock } from '../src/ecs/manual-clock.js';
import { ecsSectionSchema } from '../src/ecs/scenario.js';
import { breakerThreshold } from '../src/ecs/breaker.js';
import type { DeploymentConfiguration } from '../src/ecs/deployments.js';
import type { Service } from '../src/ecs/service.js';
import { EcsWorld } from '../src/ecs/world.js';
import { LogStore } from '../src/logs/store.js';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';

function container(image: string) {
  return {
    name: 'app',
    image,
    essential: true,
    logConfiguration: {
      logDriver: 'awslogs',
      options: { 'awslogs-group': '/ecs/web', 'awslogs-region': REGION, 'awslogs-stream-prefix': 'web' },
    },
  };
}

const breaker = { enable: true, rollback: true };

function setup(extra: Record<string, unknown> = {}, serviceExtra: Record<string, unknown> = {}) {
  const clock = new ManualClock();
  const start = clock.now();
  const logs = new LogStore(() => clock.now(), ACCOUNT);
  const section = ecsSectionSchema.parse({
    clusters: [{ name: 'prod', containerInstances: 4 }],
    images: {
      'app:v1': { startDelay: 1 },
      'app:v2': { startDelay: 5 },
      'app:v3': { startDelay: 5 },
      'app:bad': { behaviour: 'fails-to-start', startDelay: 5 },
      'app:flaky': {
        sequence: ['fails-to-start', 'fails-to-start', 'healthy', 'fails-to-start', 'healthy'],
        startDelay: 5,
      },
      'app:noisy': { startDelay: 5, healthyAfter: 10 },
      'app:stages': {
        sequence: ['fails-to-start', 'fails-to-start', 'fails-health-checks'],
        then: 'fails-health-checks',
        startDelay: 1,
        after: 2,
      },
      'app:wobbly': {
        sequence: ['fails-health-checks', 'fails-health-checks', 'healthy', 'fails-health-checks'],
        then: 'healthy',
        startDelay: 1,
        after: 2,
      },
      'app:sick': { behaviour: 'fails-health-checks', startDelay: 1, after: 4 },
      'migrate:ok': { duration: 10, exitCode: 0, logLines: ['start', 'applied 3 migrations', 'done'] },
      'migrate:three': { duration: 2, exitCode: 3, logLines: ['boom'] },
      'migrate:blink': { duration: 0, straightToStopped: true, logLines: ['quick'] },
      'migrate:nopull': { behaviour: 'fails-to-start', reason: 'CannotPullContainerError: access denied' },
      'migrate:long': { duration: 600 },
    },
    taskDefinitions: [
      { family: 'web', containerDefinitions: [container('app:v1')] },
      { family: 'web', containerDefinitions: [container('app:v2')] },
      { family: 'web', containerDefinitions: [container('app:bad')] },
      { family: 'web', containerDefinitions: [container('app:flaky')] },
      { family: 'web', containerDefinitions: [container('app:v3')] },
      { family: 'web', containerDefinitions: [container('app:noisy')] },
      { family: 'web', containerDefinitions: [container('app:sick')] },
    ],
    services: [
      {
        cluster: 'prod',
        serviceName: 'web',
        taskDefinition: 'web:1',
        desiredCount: 2,
        deploymentConfiguration: { deploymentCircuitBreaker: breaker, ...serviceExtra },
      },
    ],
    alarms: [{ name: 'HighErrors', whenImageRuns: 'app:noisy', after: 3 }],
    ...extra,
  });
  const world = new EcsWorld({
    clock,
    accountId: ACCOUNT,
    defaultRegion: REGION,
    section,
    logs: () => logs,
  });
  const service = () => world.service(REGION, 'prod', 'web')!;
  const at = (seconds: number) => start + seconds * 1000;
  const rollouts = (deploymentId: string) =>
    world.transitions
      .filter((t) => t.kind === 'rolloutState' && t.deploymentId === deploymentId)
      .map((t) => [t.value, (t.at - start) / 1000]);
  const update = (input: Record<string, unknown>) =>
    world.services.update(REGION, { cluster: 'prod', service: 'web', ...input }) as { service: any };
  return { clock, start, world, logs, service, at, rollouts, update };
}

function messages(service: Service): string[] {
  return service.events.map((e) => e.message);
}

describe('rolling deployments', () => {
  test('a deployment that succeeds: COMPLETED once the new tasks are healthy and the old ones are gone', () => {
    const { clock, service, rollouts, update } = setup();
    const before = service().primary.id;
    const answer = update({ taskDefinition: 'web:2' });
    expect(answer.service.taskDefinition).toMatch(/task-definition\/web:2$/);
    expect(answer.service.deployments).toHaveLength(2);
    expect(answer.service.deployments[0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS' });
    expect(answer.service.deployments[1]).toMatchObject({ id: before, status: 'ACTIVE', rolloutState: 'COMPLETED' });
    const primary = service().primary;
    expect(primary.id).toMatch(/^ecs-svc\/\d{19}$/);

    clock.advance(7.4);
    expect(primary.rolloutState).toBe('IN_PROGRESS');
    expect(service().deployments).toHaveLength(2);
    clock.advance(0.1);
    // provisioning 0.5 + pull 5 + activating 0.5: healthy at 6 s; the old tasks then take 1.5 s to stop, and the
    // deployment completes when the last one has.
    expect(rollouts(primary.id)).toEqual([
      ['IN_PROGRESS', 0],
      ['COMPLETED', 7.5],
    ]);
    expect(service().deployments).toHaveLength(1);
    const events = messages(service());
    expect(events[0]).toBe('(service web) has reached a steady state.');
    expect(events[1]).toBe(`(service web) (deployment ${primary.id}) deployment completed.`);
    expect(events).toContainEqual(
      expect.stringMatching(/^\(service web\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/),
    );
    expect(primary.record.status).toBe('SUCCESSFUL');
    expect(primary.record.circuitBreaker).toEqual({ status: 'MONITORING_COMPLETE', failureCount: 0, threshold: 3 });
    clock.advance(2);
    const described = setupDescribe(service());
    expect(described).toMatchObject({ runningCount: 2, desiredCount: 2, pendingCount: 0 });
  });

  test('the breaker trips at exactly the threshold, then rolls back to the last COMPLETED deployment', () => {
    const { clock, service, rollouts, update, world } = setup();
    const completed = service().primary;
    update({ taskDefinition: 'web:3' });
    const failing = service().primary;
    expect(failing.breaker.threshold).toBe(3); // half of 2, at least 3

    clock.advance(5.5); // both tasks fail to start
    expect(failing.failedTasks).toBe(2);
    expect(failing.rolloutState).toBe('IN_PROGRESS');
    clock.advance(5.4);
    expect(failing.rolloutState).toBe('IN_PROGRESS');
    clock.advance(0.1); // the third failure, at 11 s
    expect(failing.failedTasks).toBe(3);
    expect(rollouts(failing.id)).toEqual([
      ['IN_PROGRESS', 0],
      ['FAILED', 11],
    ]);
    expect(failing.rolloutStateReason).toBe('ECS deployment circuit breaker: tasks failed to start.');
    const rollback = service().primary;
    expect(rollback).not.toBe(failing);
    expect(rollback.taskDefinition).toBe(completed.taskDefinition);
    expect(rollback.rolloutStateReason).toBe(
      `ECS deployment circuit breaker: rolling back to deploymentId ${completed.id}.`,
    );
    expect(messages(service())).toContainEqual(
      `(service web) (deployment ${failing.id}) deployment failed: tasks failed to start.`,
    );
    expect(messages(service())).toContainEqual(`(service web) rolling back to deployment ${completed.id}.`);
    expect(failing.record.status).toBe('ROLLBACK_IN_PROGRESS');
    expect(failing.record.circuitBreaker).toEqual({ status: 'TRIGGERED', failureCount: 3, threshold: 3 });
    expect(failing.record.rollback?.serviceRevisionArn).toBe(completed.revision.arn);
    // The failed deployment stays listed until drained.
    expect(service().deployments.map((d) => [d.id, d.status, d.rolloutState])).toEqual([
      [rollback.id, 'PRIMARY', 'IN_PROGRESS'],
      [failing.id, 'ACTIVE', 'FAILED'],
      [completed.id, 'ACTIVE', 'COMPLETED'],
    ]);

    clock.advance(3.5); // v1 healthy after 0.5 + 1 + 0.5 s, the old tasks stopped 1.5 s later
    expect(rollouts(rollback.id)).toEqual([
      ['IN_PROGRESS', 11],
      ['COMPLETED', 14.5],
    ]);
    expect(failing.record.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(service().deployments).toHaveLength(1);
    expect(service().taskDefinitionArn).toMatch(/web:1$/);
    // Service deployment statuses in order.
    expect(
      world.transitions
        .filter((t) => t.kind === 'serviceDeployment' && t.deploymentId === failing.id)
        .map((t) => t.value),
    ).toEqual(['IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL']);
  });

  test('without rollback, a tripped breaker leaves the FAILED deployment PRIMARY and launches nothing more', () => {
    const { clock, service, update } = setup({}, { deploymentCircuitBreaker: { enable: true, rollback: false } });
    update({ taskDefinition: 'web:3' });
    const failing = service().primary;
    clock.advance(11);
    expect(failing.rolloutState).toBe('FAILED');
    expect(failing.record.status).toBe('STOPPED');
    const launched = failing.tasks.length;
    clock.advance(60);
    expect(failing.tasks.length).toBe(launched);
    expect(service().primary).toBe(failing);
    // The old tasks keep serving.
    expect(service().deployments[1]!.tasks.filter((t) => t.alive && t.healthy)).toHaveLength(2);
  });

  // The two stages of "How the Amazon ECS deployment circuit breaker detects failures": tasks that fail to reach
  // RUNNING count until one of the deployment's tasks has; from then on only failed health checks count.
  function oneAtATime(resetOnHealthyTask?: boolean) {
    const world = setup(
      {},
      { maximumPercent: 150, deploymentCircuitBreaker: { enable: true, rollback: false, resetOnHealthyTask } },
    );
    return world;
  }
  function register(world: EcsWorld, image: string): string {
    const registered = world.taskDefinitions.register(REGION, {
      family: 'web',
      containerDefinitions: [container(image)],
    });
    return registered.taskDefinition!.taskDefinitionArn!;
  }

  test('two stages: start failures stop counting once a task has reached RUNNING', () => {
    const { clock, service, update, world } = oneAtATime();
    update({ taskDefinition: register(world, 'app:stages') });
    const primary = service().primary;
    clock.advance(4); // two tasks failed to start (one at a time, 1.5 s each)
    expect([primary.breaker.stage, primary.record.circuitBreaker.failureCount]).toEqual(['RUNNING', 2]);
    clock.advance(1); // the third one runs: the health-check stage starts from zero
    expect([primary.breaker.stage, primary.record.circuitBreaker.failureCount]).toEqual(['HEALTH', 0]);
    clock.advance(2); // and fails its health checks: one failure, not three
    expect(primary.record.circuitBreaker.failureCount).toBe(1);
    expect(primary.rolloutState).toBe('IN_PROGRESS');
    clock.advance(60); // two more health-check failures trip it
    expect(primary.rolloutState).toBe('FAILED');
    expect(primary.totalFailedTasks).toBe(5);
    expect(primary.record.circuitBreaker).toEqual({ status: 'TRIGGERED', failureCount: 3, threshold: 3 });
  });

  test('in the health-check stage a task that fails to start is not counted', () => {
    const { clock, service, update } = oneAtATime(false);
    update({ taskDefinition: 'web:4' }); // fail to start, fail to start, healthy, fail to start, healthy
    const primary = service().primary;
    clock.advance(40);
    expect(primary.totalFailedTasks).toBe(3);
    expect(primary.record.circuitBreaker.failureCount).toBe(0);
    expect(primary.rolloutState).toBe('COMPLETED');
  });

  test.each([
    [true, 'COMPLETED', 0],
    [false, 'FAILED', 3],
  ])('resetOnHealthyTask=%s: failed health checks, a healthy task, a failed one: %s', (reset, state, count) => {
    const { clock, service, update, world } = oneAtATime(reset);
    update({ taskDefinition: register(world, 'app:wobbly') });
    const primary = service().primary;
    clock.advance(60);
    expect(primary.rolloutState).toBe(state);
    expect(primary.record.circuitBreaker.failureCount).toBe(count);
    expect(primary.totalFailedTasks).toBe(3);
  });

  test('a second update supersedes the first: the new deployment is PRIMARY and the old record is STOPPED', () => {
    const { clock, service, rollouts, update } = setup();
    update({ taskDefinition: 'web:2' });
    const first = service().primary;
    clock.advance(2);
    const answer = update({ taskDefinition: 'web:5' });
    const second = service().primary;
    expect(second.id).not.toBe(first.id);
    expect(answer.service.deployments.map((d: any) => [d.id, d.status, d.rolloutState])).toEqual([
      [second.id, 'PRIMARY', 'IN_PROGRESS'],
      [first.id, 'ACTIVE', 'IN_PROGRESS'],
      [expect.any(String), 'ACTIVE', 'COMPLETED'],
    ]);
    expect(first.record.status).toBe('STOPPED');
    expect(first.record.stoppedAt).toBe(second.createdAt);
    expect(service().currentServiceDeployment).toBe(second.record.arn);
    clock.advance(8);
    expect(rollouts(second.id)).toEqual([
      ['IN_PROGRESS', 2],
      ['COMPLETED', 9.5],
    ]);
    // The superseded deployment never completed.
    expect(rollouts(first.id)).toEqual([['IN_PROGRESS', 0]]);
    expect(service().deployments).toHaveLength(1);
    expect(service().taskDefinitionArn).toMatch(/web:5$/);
  });

  test('an alarm entering ALARM fails the deployment, names the alarm, and rolls back', () => {
    const { clock, service, rollouts, update, world } = setup(
      {},
      { alarms: { alarmNames: ['HighErrors'], enable: true, rollback: true } },
    );
    const completed = service().primary;
    update({ taskDefinition: 'web:6' });
    const failing = service().primary;
    // Running at 6 s; the alarm fires 3 s later.
    clock.advance(8.9);
    expect(world.alarms.state('HighErrors')).toBe('OK');
    clock.advance(0.1);
    expect(world.alarms.state('HighErrors')).toBe('ALARM');
    expect(rollouts(failing.id)).toEqual([
      ['IN_PROGRESS', 0],
      ['FAILED', 9],
    ]);
    expect(failing.rolloutStateReason).toContain('HighErrors');
    expect(failing.record.alarms).toEqual({
      status: 'TRIGGERED',
      alarmNames: ['HighErrors'],
      triggeredAlarmNames: ['HighErrors'],
    });
    expect(service().primary.taskDefinition).toBe(completed.taskDefinition);
    clock.advance(5);
    expect(failing.record.status).toBe('ROLLBACK_SUCCESSFUL');
    // The rollback does not watch the alarm that failed its predecessor; the alarm clears 10 s later.
    expect(world.alarms.state('HighErrors')).toBe('ALARM');
    clock.advance(10);
    expect(world.alarms.state('HighErrors')).toBe('OK');
    expect(service().deployments).toHaveLength(1);
  });

  test.each([
    [undefined, 'COMPLETED', 27.5],
    [15, 'FAILED', 15],
  ])('alarm bake time: alarm at %s s → %s at %s s', (alarmAt, state, instant) => {
    const { clock, service, rollouts, update, world } = setup(
      { alarmBakeTime: 20 },
      { alarms: { alarmNames: ['HighErrors'], enable: true, rollback: true } },
    );
    update({ taskDefinition: 'web:2' });
    const primary = service().primary;
    if (alarmAt !== undefined) clock.after(alarmAt, () => world.setAlarm('HighErrors', 'ALARM'));
    clock.advance(10);
    // Steady (old tasks gone at 7.5 s) but still watching its alarms.
    expect(service().deployments).toHaveLength(1);
    expect(primary.rolloutState).toBe('IN_PROGRESS');
    clock.advance(30);
    expect(rollouts(primary.id)).toEqual([
      ['IN_PROGRESS', 0],
      [state, instant],
    ]);
  });

  test('failing health checks counts toward the breaker and stops the task', () => {
    const { clock, service, update } = setup();
    update({ taskDefinition: 'web:7' });
    const primary = service().primary;
    clock.advance(6.1); // running at 2 s, unhealthy at 6 s
    const [task] = primary.tasks;
    expect(task!.stopCode).toBe('ServiceSchedulerInitiated');
    expect(task!.stoppedReason).toBe('Task failed container health checks');
    expect(primary.failedTasks).toBe(2);
    expect(messages(service())).toContainEqual(`(service web) (task ${task!.id}) failed container health checks.`);
    clock.advance(60);
    expect(primary.rolloutState).toBe('FAILED');
  });

  test('a crash loop (crashes 2 s after RUNNING, never healthy) trips the breaker', () => {
    const { clock, service, update, world } = setup({
      images: {
        'app:v1': { startDelay: 1 },
        'app:crash': { behaviour: 'crashes', startDelay: 1, after: 2, exitCode: 137 },
      },
    });
    world.taskDefinitions.register(REGION, { family: 'web', containerDefinitions: [container('app:crash')] });
    update({ taskDefinition: 'web:8' });
    const primary = service().primary;
    // RUNNING at 2 s, exits at 4 s; second wave RUNNING at 6 s... the third failure is at 8 s.
    clock.advance(8);
    expect(primary.rolloutState).toBe('FAILED');
    expect(primary.rolloutHistory.at(-1)?.at).toBe(clock.now());
    const crashed = primary.tasks[0]!;
    expect(crashed.stopCode).toBe('EssentialContainerExited');
    expect(crashed.containers[0]!.exitCode).toBe(137);
  });

  test('an alarm declared with `at` enters ALARM at that instant and fails a deployment watching it', () => {
    const { clock, service, update, world, rollouts } = setup(
      { alarms: [{ name: 'Latency', at: 3 }] },
      { alarms: { alarmNames: ['Latency'], enable: true, rollback: false } },
    );
    update({ taskDefinition: 'web:2' });
    const primary = service().primary;
    clock.advance(3);
    expect(world.alarms.state('Latency')).toBe('ALARM');
    expect(rollouts(primary.id)).toEqual([
      ['IN_PROGRESS', 0],
      ['FAILED', 3],
    ]);
    expect(primary.record.status).toBe('STOPPED');
  });

  test('scale to zero: no new deployment, every task stops, steady again', () => {
    const { clock, service, update } = setup();
    const primary = service().primary;
    const answer = update({ desiredCount: 0 });
    expect(answer.service.deployments).toHaveLength(1);
    expect(service().primary).toBe(primary);
    expect(answer.service.desiredCount).toBe(0);
    clock.advance(3);
    expect(primary.tasks.every((t) => t.lastStatus === 'STOPPED')).toBe(true);
    expect(setupDescribe(service())).toMatchObject({ runningCount: 0, pendingCount: 0 });
    expect(messages(service())[0]).toBe('(service web) has reached a steady state.');
    expect(primary.tasks[0]!.stopCode).toBe('ServiceSchedulerInitiated');
  });

  test('a new revision with desired count zero completes as soon as the old tasks are drained', () => {
    const { clock, service, rollouts, update } = setup();
    update({ taskDefinition: 'web:2', desiredCount: 0 });
    const primary = service().primary;
    clock.advance(3);
    expect(rollouts(primary.id)).toEqual([
      ['IN_PROGRESS', 0],
      ['COMPLETED', 1.5],
    ]);
    clock.advance(3);
    expect(service().deployments).toHaveLength(1);
  });

  test('events are newest first and only the last 100 are kept', () => {
    // Without a breaker, a revision that never starts keeps ECS launching replacements (and logging each).
    const { clock, service, update } = setup({}, { deploymentCircuitBreaker: { enable: false, rollback: false } });
    update({ taskDefinition: 'web:3' });
    clock.advance(600);
    const events = service().events;
    expect(events).toHaveLength(100);
    for (let i = 1; i < events.length; i++)
      expect(events[i - 1]!.createdAt).toBeGreaterThanOrEqual(events[i]!.createdAt);
    expect(service().primary.rolloutState).toBe('IN_PROGRESS');
    expect(service().primary.totalFailedTasks).toBeGreaterThan(100);
  });

  test('minimumHealthyPercent 50 and maximumPercent 100 replace half the tasks at a time', () => {
    const { clock, service, update } = setup({}, { minimumHealthyPercent: 50, maximumPercent: 100 });
    update({ taskDefinition: 'web:2' });
    const [primary, old] = service().deployments;
    expect(primary!.tasks.filter((t) => t.alive)).toHaveLength(1);
    expect(old!.tasks.filter((t) => t.alive)).toHaveLength(1);
    clock.advance(6);
    expect(primary!.tasks.filter((t) => t.alive)).toHaveLength(2);
    clock.advance(6);
    expect(primary!.rolloutState).toBe('COMPLETED');
  });
});

function setupDescribe(service: Service): Record<string, unknown> {
  return {
    desiredCount: service.desiredCount,
    runningCount: service.tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingCount: service.tasks.filter((t) => t.alive && t.lastStatus !== 'RUNNING').length,
  };
}

describe('circuit breaker threshold', () => {
  const config = (
    thresholdConfiguration?: DeploymentConfiguration['deploymentCircuitBreaker']['thresholdConfiguration'],
  ) =>
    ({
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      deploymentCircuitBreaker: { enable: true, rollback: true, thresholdConfiguration },
    }) as DeploymentConfiguration;
  test.each([
    [1, undefined, 3],
    [6, undefined, 3],
    [7, undefined, 4],
    [20, undefined, 10],
    [500, undefined, 200],
    [500, { type: 'UNBOUNDED_PERCENT', value: 50 }, 250],
    [2, { type: 'UNBOUNDED_PERCENT', value: 50 }, 1],
    [10, { type: 'COUNT', value: 5 }, 5],
    [10, { type: 'BOUNDED_PERCENT', value: 10 }, 3],
  ] as const)('desired %s with %j → %s', (desired, threshold, expected) => {
    expect(breakerThreshold(config(threshold as any), desired)).toBe(expected);
  });
});

describe('services: lookups, statuses, controllers', () => {
  test('DescribeServices: MISSING names in failures[], at most 10 names', () => {
    const { world } = setup();
    const answer = world.services.describe(REGION, { cluster: 'prod', services: ['web', 'nope'] }) as any;
    expect(answer.services.map((s: any) => s.serviceName)).toEqual(['web']);
    expect(answer.failures).toEqual([{ arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/prod/nope`, reason: 'MISSING' }]);
    expect(() => world.services.describe(REGION, { cluster: 'prod', services: Array(11).fill('web') })).toThrow(
      AwsError,
    );
    expect(() => world.services.describe(REGION, { cluster: 'nope', services: ['web'] })).toThrow('Cluster not found.');
  });

  test('DeleteService: DRAINING until the tasks stop, then INACTIVE; updates are refused', () => {
    const { world, clock, service } = setup();
    expect(() => world.services.delete(REGION, { cluster: 'prod', service: 'web' })).toThrow('scaled above 0');
    world.services.delete(REGION, { cluster: 'prod', service: 'web', force: true });
    expect(service().status).toBe('DRAINING');
    expect(() => world.services.update(REGION, { cluster: 'prod', service: 'web', desiredCount: 1 })).toThrow(
      expect.objectContaining({ code: 'ServiceNotActiveException' }),
    );
    clock.advance(3);
    expect(service().status).toBe('INACTIVE');
    const answer = world.services.describe(REGION, { cluster: 'prod', services: ['web'] }) as any;
    expect(answer.services[0].status).toBe('INACTIVE');
  });

  test('a CODE_DEPLOY service refuses a task-definition update', () => {
    const { world } = setup();
    world.services.create(REGION, {
      cluster: 'prod',
      serviceName: 'bg',
      taskDefinition: 'web:1',
      desiredCount: 1,
      deploymentController: { type: 'CODE_DEPLOY' },
    });
    expect(() => world.services.update(REGION, { cluster: 'prod', service: 'bg', taskDefinition: 'web:2' })).toThrow(
      /CODE_DEPLOY deployment controller/,
    );
    const answer = world.services.describe(REGION, { cluster: 'prod', services: ['bg'] }) as any;
    expect(answer.services[0].deploymentController).toEqual({ type: 'CODE_DEPLOY' });
  });

  test('service deployments are listed newest first and agree with deployments[]', () => {
    const { world, clock, update, service } = setup();
    update({ taskDefinition: 'web:3' });
    clock.advance(20);
    const listed = world.services.listDeployments(REGION, { cluster: 'prod', service: 'web' }) as any;
    expect(listed.serviceDeployments.map((d: any) => d.status)).toEqual(['ROLLBACK_SUCCESSFUL', 'SUCCESSFUL']);
    const described = world.services.describeDeployments(REGION, {
      serviceDeploymentArns: [
        listed.serviceDeployments[0].serviceDeploymentArn,
        'arn:aws:ecs:x:1:service-deployment/a/b/c',
      ],
    }) as any;
    const record = described.serviceDeployments[0];
    expect(record.serviceDeploymentArn).toMatch(/:service-deployment\/prod\/web\/[A-Za-z0-9_-]{22}$/);
    expect(record.targetServiceRevision.arn).toMatch(/:service-revision\/prod\/web\/\d{19}$/);
    expect(record.sourceServiceRevisions).toHaveLength(1);
    expect(record.rollback.serviceRevisionArn).toBe(record.sourceServiceRevisions[0].arn);
    expect(record.deploymentCircuitBreaker).toEqual({ status: 'TRIGGERED', failureCount: 3, threshold: 3 });
    expect(record.finishedAt).toBeInstanceOf(Date);
    expect(described.failures).toEqual([{ arn: 'arn:aws:ecs:x:1:service-deployment/a/b/c', reason: 'MISSING' }]);
    expect(service().currentServiceDeployment).toBe(record.serviceDeploymentArn);
    const only = world.services.listDeployments(REGION, {
      cluster: 'prod',
      service: 'web',
      status: ['SUCCESSFUL'],
    }) as any;
    expect(only.serviceDeployments).toHaveLength(1);
  });
});

describe('task definitions', () => {
  test('revisions, ARNs, tags, deregistration, read-only fields refused', () => {
    const { world } = setup();
    const registered = world.taskDefinitions.register(REGION, {
      family: 'web',
      containerDefinitions: [container('app:v9')],
      tags: [{ key: 'team', value: 'core' }],
    }) as any;
    expect(registered.taskDefinition.taskDefinitionArn).toBe(`arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/web:8`);
    expect(registered.taskDefinition.revision).toBe(8);
    const described = world.taskDefinitions.describe(REGION, { taskDefinition: 'web', include: ['TAGS'] }) as any;
    expect(described.taskDefinition.revision).toBe(8);
    expect(described.tags).toEqual([{ key: 'team', value: 'core' }]);
    expect((world.taskDefinitions.describe(REGION, { taskDefinition: 'web:8' }) as any).tags).toBeUndefined();
    const gone = world.taskDefinitions.deregister(REGION, { taskDefinition: 'web:8' }) as any;
    expect(gone.taskDefinition.status).toBe('INACTIVE');
    expect(gone.taskDefinition.deregisteredAt).toBeInstanceOf(Date);
    expect((world.taskDefinitions.describe(REGION, { taskDefinition: 'web' }) as any).taskDefinition.revision).toBe(7);
    expect(() =>
      world.taskDefinitions.register(REGION, { family: 'web', containerDefinitions: [container('x')], revision: 3 }),
    ).toThrow(/revision is a read-only field/);
    expect(() => world.taskDefinitions.describe(REGION, { taskDefinition: 'nope' })).toThrow(
      'Unable to describe task definition.',
    );
  });
});

describe('one-off tasks', () => {
  function run(world: EcsWorld, image: string, extra: Record<string, unknown> = {}) {
    const family = image.replace(/[^a-z0-9]/g, '-');
    world.taskDefinitions.register(REGION, {
      family,
      containerDefinitions: [
        {
          name: 'migrate',
          image,
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': '/ecs/migrate', 'awslogs-stream-prefix': 'db' },
          },
        },
      ],
    });
    return world.tasks.run(REGION, { cluster: 'prod', taskDefinition: family, ...extra }) as any;
  }

  test('full lifecycle, exit code, logs written to <prefix>/<container>/<task id> as it runs', () => {
    const { world, clock, logs, start } = setup();
    const answer = run(world, 'migrate:ok', {
      startedBy: 'ci-42',
      overrides: { containerOverrides: [{ name: 'migrate', command: ['npm', 'run', 'migrate'] }] },
    });
    expect(answer.failures).toEqual([]);
    const arn: string = answer.tasks[0].taskArn;
    expect(arn).toMatch(new RegExp(`^arn:aws:ecs:${REGION}:${ACCOUNT}:task/prod/[0-9a-f]{32}$`));
    expect(answer.tasks[0]).toMatchObject({ lastStatus: 'PROVISIONING', desiredStatus: 'RUNNING', startedBy: 'ci-42' });
    const id = arn.split('/').at(-1)!;
    const stream = `db/migrate/${id}`;
    clock.advance(2);
    expect(logs.messages(REGION, '/ecs/migrate', stream)).toEqual(['start']);
    clock.advance(20);
    expect(logs.messages(REGION, '/ecs/migrate', stream)).toEqual(['start', 'applied 3 migrations', 'done']);
    const task = world.task(REGION, 'prod', arn)!;
    expect(task.history.map((h) => [h.status, (h.at - start) / 1000])).toEqual([
      ['PROVISIONING', 0],
      ['PENDING', 0.5],
      ['ACTIVATING', 1.5],
      ['RUNNING', 2],
      ['DEACTIVATING', 12],
      ['STOPPING', 12.5],
      ['DEPROVISIONING', 13],
      ['STOPPED', 13.5],
    ]);
    const described = (world.tasks.describe(REGION, { cluster: 'prod', tasks: [arn] }) as any).tasks[0];
    expect(described).toMatchObject({
      lastStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      containers: [expect.objectContaining({ name: 'migrate', lastStatus: 'STOPPED', exitCode: 0 })],
    });
    expect(described.overrides.containerOverrides).toEqual([{ name: 'migrate', command: ['npm', 'run', 'migrate'] }]);
  });

  test('exit code 3 is reported on the container', () => {
    const { world, clock } = setup();
    const arn = run(world, 'migrate:three').tasks[0].taskArn;
    clock.advance(10);
    const task = (world.tasks.describe(REGION, { cluster: 'prod', tasks: [arn] }) as any).tasks[0];
    expect(task.containers[0].exitCode).toBe(3);
  });

  test('a very short task goes from PENDING straight to STOPPED, logs included', () => {
    const { world, clock, logs } = setup();
    const arn: string = run(world, 'migrate:blink').tasks[0].taskArn;
    clock.advance(5);
    const task = world.task(REGION, 'prod', arn)!;
    expect(task.history.map((h) => h.status)).toEqual(['PROVISIONING', 'PENDING', 'STOPPED']);
    expect(task.containers[0]!.exitCode).toBe(0);
    expect(logs.messages(REGION, '/ecs/migrate', `db/migrate/${task.id}`)).toEqual(['quick']);
  });

  test('TaskFailedToStart: no exit code, the reason on the container', () => {
    const { world, clock } = setup();
    const arn = run(world, 'migrate:nopull').tasks[0].taskArn;
    clock.advance(5);
    const task = (world.tasks.describe(REGION, { cluster: 'prod', tasks: [arn] }) as any).tasks[0];
    expect(task).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'TaskFailedToStart' });
    expect(task.stoppedReason).toBe('CannotPullContainerError: access denied');
    expect(task.containers[0].exitCode).toBeUndefined();
    expect(task.containers[0].reason).toBe('CannotPullContainerError: access denied');
  });

  test('StopTask: UserInitiated with the reason; a task stopped before running has no exit code', () => {
    const { world, clock } = setup();
    const running = run(world, 'migrate:long').tasks[0].taskArn;
    const early = world.tasks.run(REGION, { cluster: 'prod', taskDefinition: 'migrate-long' }) as any;
    clock.advance(3);
    world.tasks.stop(REGION, { cluster: 'prod', task: running, reason: 'Cancelled by the workflow' });
    world.tasks.stop(REGION, { cluster: 'prod', task: early.tasks[0].taskArn });
    clock.advance(3);
    const [a] = (world.tasks.describe(REGION, { cluster: 'prod', tasks: [running] }) as any).tasks;
    expect(a).toMatchObject({
      lastStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'Cancelled by the workflow',
    });
    expect(a.containers[0].exitCode).toBe(143);
    const late = world.tasks.run(REGION, { cluster: 'prod', taskDefinition: 'migrate-long' }) as any;
    world.tasks.stop(REGION, { cluster: 'prod', task: late.tasks[0].taskArn });
    clock.advance(3);
    const [b] = (world.tasks.describe(REGION, { cluster: 'prod', tasks: [late.tasks[0].taskArn] }) as any).tasks;
    expect(b.lastStatus).toBe('STOPPED');
    expect(b.containers[0].exitCode).toBeUndefined();
    expect(() => world.tasks.stop(REGION, { cluster: 'prod', task: 'f'.repeat(32) })).toThrow(
      'The referenced task was not found.',
    );
  });

  test('placement failures from the scenario come back in failures[] and start nothing', () => {
    const { world } = setup({ placementFailures: [{ family: 'migrate-ok', reason: 'RESOURCE:MEMORY', times: 1 }] });
    const first = run(world, 'migrate:ok');
    expect(first.tasks).toEqual([]);
    expect(first.failures).toEqual([
      { arn: expect.stringMatching(/:container-instance\/prod\/[0-9a-f]{32}$/), reason: 'RESOURCE:MEMORY' },
    ]);
    const second = world.tasks.run(REGION, { cluster: 'prod', taskDefinition: 'migrate-ok' }) as any;
    expect(second.tasks).toHaveLength(1);
  });

  test('bad RunTask input is refused the way ECS refuses it', () => {
    const { world } = setup();
    run(world, 'migrate:ok');
    expect(() =>
      world.tasks.run(REGION, {
        cluster: 'prod',
        taskDefinition: 'migrate-ok',
        overrides: { containerOverrides: [{ name: 'nope' }] },
      }),
    ).toThrow('Override for container named nope is not a container in the TaskDefinition.');
    expect(() =>
      world.tasks.run(REGION, {
        cluster: 'prod',
        taskDefinition: 'migrate-ok',
        launchType: 'FARGATE',
        capacityProviderStrategy: [{ capacityProvider: 'FARGATE' }],
      }),
    ).toThrow(/launch type and capacity provider strategy/);
    expect(() => world.tasks.run(REGION, { cluster: 'prod', taskDefinition: 'migrate-ok', count: 11 })).toThrow(
      AwsError,
    );
  });

  test('ListTasks filters by desired status, family and startedBy', () => {
    const { world, clock } = setup();
    run(world, 'migrate:three', { startedBy: 'me' });
    const list = (status?: string) =>
      (world.tasks.list(REGION, { cluster: 'prod', family: 'migrate-three', desiredStatus: status as any }) as any)
        .taskArns;
    expect(list()).toHaveLength(1);
    clock.advance(10);
    expect(list()).toHaveLength(0);
    expect(list('STOPPED')).toHaveLength(1);
    expect((world.tasks.list(REGION, { cluster: 'prod', serviceName: 'web' }) as any).taskArns).toHaveLength(2);
  });
});
