// Deployments that go wrong, and how truthfully and quickly the action says so.
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { calls, deploy, json, scenario, startDeploy } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: scenario('shop') });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(scenario('shop')));

describe('circuit breaker', () => {
  test('fails with ECS reason and, waiting for the rollback, reports the previous revision healthy', async () => {
    const run = await deploy(sandbox, { cluster: 'shop', services: 'web', image: 'registry.example/web:bad' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe('rolled-back');
    expect(run.outputs['failure-reason']).toMatch(
      /^web: .*circuit breaker.*Then: rolled back: 2\/2 tasks healthy on the previous revision web:1\. \| web: stopped task [0-9a-f]{8}: CannotPullContainerError/i,
    );
    const annotation = run.annotations.find((a) => a.level === 'error')!;
    expect(annotation.properties.title).toBe('web');
    // ECS's words for the breaker: the failed deployment's reason when a poll sees it, or the service-deployment
    // record's when the next poll comes after the failed deployment drained (a busy machine; tasks that never start
    // drain at once).
    expect(annotation.message).toMatch(
      /^(ECS deployment circuit breaker: tasks failed to start|Service deployment rolled back because the circuit breaker threshold was exceeded)\. /,
    );
    // ECS's own words for why the tasks failed, from the service events.
    expect(annotation.message).toContain(
      'failed to start: CannotPullContainerError: pull image manifest has been retried 5 time(s).',
    );
    // The failure is reported before the rollback is followed, and the verdict comes after it.
    const failedAt = run.lines.findIndex((line) => line.startsWith('::error title=web::'));
    const healthyAt = run.lines.findIndex((line) => /healthy on the previous revision web:1/.test(line));
    expect(failedAt).toBeGreaterThan(-1);
    expect(healthyAt).toBeGreaterThan(failedAt);
    expect(run.summary).toContain('⏪ rolled-back');
    expect(run.summary).toMatch(/ECS rollback :p0_1/);
    expect(run.summary).toContain('failed to start');
    expect(calls(sandbox, 'RegisterTaskDefinition')).toHaveLength(1);
  });

  test('without wait-for-rollback the step ends at the failure', async () => {
    const run = await deploy(sandbox, {
      cluster: 'shop',
      services: 'web',
      image: 'registry.example/web:bad',
      'wait-for-rollback': 'false',
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe('rolled-back');
    expect(run.lines).toContainEqual(expect.stringMatching(/ECS is rolling back to web:1; not waiting for it/));
    expect(run.outputs['failure-reason']).not.toMatch(/Then:/);
  });

  test('fail-only: the breaker stops the deployment and nothing rolls back', async () => {
    const run = await deploy(sandbox, {
      cluster: 'shop',
      services: 'web',
      image: 'registry.example/web:bad',
      'circuit-breaker': 'fail-only',
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe('failed');
    const update = calls(sandbox, 'UpdateService')[0]!.params as any;
    expect(update.deploymentConfiguration.deploymentCircuitBreaker).toEqual({ enable: true, rollback: false });
  });

  test('one failing service among several fails the step and names it', async () => {
    const world = scenario('shop');
    world.ecs.services.push({ cluster: 'shop', serviceName: 'api', taskDefinition: 'web', desiredCount: 1 });
    sandbox.load(world);
    const run = await deploy(sandbox, {
      cluster: 'shop',
      services: 'web\napi',
      images: 'web=registry.example/web:bad',
    });
    expect(run.exitCode).toBe(1);
    const titles = run.annotations.filter((a) => a.level === 'error').map((a) => a.properties.title);
    expect(titles.sort()).toEqual(['api', 'web']);
    expect(run.outputs['failure-reason']).toMatch(/^web: .* \| api: /);
  });
});

test('an alarm fails the deployment and ECS rolls it back', async () => {
  const run = await deploy(sandbox, {
    cluster: 'shop',
    services: 'web',
    image: 'registry.example/web:errors',
    alarms: 'web-5xx',
  });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.result).toBe('rolled-back');
  expect(run.outputs['failure-reason']).toMatch(/web-5xx/);
  expect(run.outputs['failure-reason']).toMatch(/healthy on the previous revision web:1/);
  const update = calls(sandbox, 'UpdateService')[0]!.params as any;
  expect(update.deploymentConfiguration.alarms).toEqual({ alarmNames: ['web-5xx'], enable: true, rollback: true });
});

test('a deployment superseded by another update is its own result, and fails the step', async () => {
  const running = startDeploy(sandbox, { cluster: 'shop', services: 'web', image: 'registry.example/web:slow' });
  await running.waitForLine(/^web: deployment ecs-svc\/\d+ started/);
  // Someone else deploys the same service meanwhile.
  const ecs = new ECSClient({
    region: 'eu-west-1',
    endpoint: sandbox.url,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
  await ecs.send(new UpdateServiceCommand({ cluster: 'shop', service: 'web', forceNewDeployment: true }));
  ecs.destroy();
  const run = await running.result;
  expect(run.exitCode).toBe(1);
  expect(run.outputs.result).toBe('superseded');
  expect(run.outputs['failure-reason']).toMatch(/^web: superseded by deployment ecs-svc\/\d+ of web:2/);
});

test('timeout with on-timeout rollback puts the previous revision back and fails', async () => {
  const run = await deploy(sandbox, {
    cluster: 'shop',
    services: 'web',
    image: 'registry.example/web:slow',
    'timeout-minutes': '2s',
  });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.result).toBe('timed-out');
  const updates = calls(sandbox, 'UpdateService').map((call) => (call.params as any).taskDefinition);
  expect(updates).toEqual([expect.stringMatching(/web:2$/), expect.stringMatching(/web:1$/)]);
  expect(run.outputs['failure-reason']).toMatch(
    /^web: not finished after 2\.\d s \(the limit is 2\.0 s\): .*Then: web:1 is back/,
  );
  expect(json(run, 'previous-task-definition-arns').web).toMatch(/web:1$/);
});

test('the deadline holds within a second when the poll interval is longer than the time left', async () => {
  // A 3 s timeout polled every 2 s: the second sleep would end at 4 s, a second after the deadline.
  const run = await deploy(sandbox, {
    cluster: 'shop',
    services: 'web',
    image: 'registry.example/web:slow',
    'timeout-minutes': '3s',
    'poll-interval-seconds': '2',
    'on-timeout': 'fail',
  });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.result).toBe('timed-out');
  const ecsCalls = sandbox.recorder.calls().filter((call) => call.service === 'ecs');
  const updatedAt = calls(sandbox, 'UpdateService')[0]!.at;
  const lastCallAt = ecsCalls.at(-1)!.at;
  // The verdict's last look at ECS comes at the deadline, not at the next poll boundary.
  expect(lastCallAt - updatedAt).toBeGreaterThanOrEqual(2500);
  expect(lastCallAt - updatedAt).toBeLessThan(3000 + 1000);
  const stated = Number(/not finished after (\d+(?:\.\d+)?) s/.exec(run.outputs['failure-reason'] ?? '')?.[1]);
  expect(stated).toBeGreaterThanOrEqual(3);
  expect(stated).toBeLessThan(4);
});

test('timeout with on-timeout fail leaves the deployment running', async () => {
  const run = await deploy(sandbox, {
    cluster: 'shop',
    services: 'web',
    image: 'registry.example/web:slow',
    'timeout-minutes': '1s',
    'on-timeout': 'fail',
  });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.result).toBe('timed-out');
  expect(calls(sandbox, 'UpdateService')).toHaveLength(1);
});

test('a throttling storm during the watch still ends correctly, with one registration per service', async () => {
  const world = scenario('shop');
  world.ecs.services.push(
    { cluster: 'shop', serviceName: 'api', taskDefinition: 'web', desiredCount: 1 },
    { cluster: 'shop', serviceName: 'worker', taskDefinition: 'web', desiredCount: 1 },
  );
  world.ecs.images['registry.example/web:2'].startDelay = 20;
  sandbox.load(world);
  const running = startDeploy(sandbox, {
    cluster: 'shop',
    services: 'web,api,worker',
    image: 'registry.example/web:2',
  });
  await running.waitForLine(/^worker: deployment ecs-svc\/\d+ started/);
  sandbox.faults.inject(
    { kind: 'throttle', service: 'ecs', operation: 'DescribeServices', count: 6 },
    { kind: 'throttle', service: 'ecs', operation: 'DescribeServiceDeployments', count: 6 },
  );
  const run = await running.result;
  expect(run.exitCode).toBe(0);
  expect(run.outputs.result).toBe('succeeded');
  expect(sandbox.recorder.calls().filter((c) => c.errorCode === 'ThrottlingException').length).toBeGreaterThanOrEqual(
    12,
  );
  const registrations = calls(sandbox, 'RegisterTaskDefinition').filter((c) => c.status === 200);
  expect(registrations).toHaveLength(3);
  expect(calls(sandbox, 'UpdateService').filter((c) => c.status === 200)).toHaveLength(3);
}, 90_000);

test('cancellation mid-watch says where each deployment stands and exits non-zero', async () => {
  const running = startDeploy(sandbox, { cluster: 'shop', services: 'web', image: 'registry.example/web:slow' });
  await running.waitForLine(/^web: deploying: /);
  // Several polls where nothing changes...
  await sandbox.waitFor(() => calls(sandbox, 'DescribeServices').length >= 8, { timeoutMs: 20_000 });
  running.kill('SIGINT');
  const run = await running.result;
  // ...print nothing new: one progress line (a heartbeat comes only after 30 s of quiet).
  expect(run.lines.filter((line) => line.startsWith('web: deploying: '))).toEqual([
    'web: deploying: 0/2 new tasks running, 2 pending, 2 old running',
  ]);
  expect(run.exitCode).not.toBe(0);
  expect(run.outputs.result).toBe('cancelled');
  expect(run.lines).toContainEqual(
    expect.stringMatching(
      /^web: deployment ecs-svc\/\d+ \(0\/2 new tasks running, .*\)\. ECS keeps rolling out web:2; if tasks keep failing the circuit breaker rolls back to web:1\.$/,
    ),
  );
  expect(run.annotations).toContainEqual(
    expect.objectContaining({ level: 'error', properties: expect.objectContaining({ title: 'Cancelled' }) }),
  );
  expect(run.summary).toContain('🚫 cancelled');
});

/** An ECS without DescribeServiceDeployments: what an awsJson endpoint answers for an operation it does not offer. */
function withoutServiceDeployments(): void {
  sandbox.faults.inject({
    kind: 'error',
    service: 'ecs',
    operation: 'DescribeServiceDeployments',
    status: 400,
    code: 'UnknownOperationException',
    message: 'Unknown operation',
  });
}

test('without DescribeServiceDeployments it follows deployments[].rolloutState and still catches the breaker', async () => {
  withoutServiceDeployments();
  const run = await deploy(sandbox, { cluster: 'shop', services: 'web', image: 'registry.example/web:bad' });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.result).toBe('rolled-back');
  // "ECS deployment circuit breaker: tasks failed to start." while the failed deployment is listed; on a busy
  // machine a poll can come after ECS's rollback completed, and then ECS's event says it (the next test).
  expect(run.outputs['failure-reason']).toMatch(
    /^web: (ECS deployment circuit breaker|\(deployment ecs-svc\/\d+\) deployment failed): tasks failed to start\. .*healthy on the previous revision web:1/,
  );
  expect(run.lines).toContainEqual(
    expect.stringMatching(
      /^DescribeServiceDeployments is not available .*following deployments\[\]\.rolloutState instead\.$/,
    ),
  );
  expect(run.annotations).toContainEqual(
    expect.objectContaining({
      level: 'debug',
      message: expect.stringMatching(/status from deployments\[\]\.rolloutState\.$/),
    }),
  );
});

test('without DescribeServiceDeployments, a rollback that completed between two polls is still reported with its cause', async () => {
  withoutServiceDeployments();
  // Tasks that never start drain at once, so with one poll a second ECS has failed the deployment and completed the
  // rollback before the step looks again: the failed deployment is gone from the list, the rollback's own reason
  // says "completed", and the newest event only "rolling back". The event that says why is older.
  const run = await deploy(sandbox, {
    cluster: 'shop',
    services: 'web',
    image: 'registry.example/web:bad',
    'poll-interval-seconds': '1',
  });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.result).toBe('rolled-back');
  expect(run.outputs['failure-reason']).toMatch(
    /^web: [^|]*tasks failed to start\. Latest task failure: .*CannotPullContainerError.* Then: rolled back: 2\/2 tasks healthy on the previous revision web:1\./,
  );
  expect(run.outputs['failure-reason']).not.toMatch(/^web: [^.]*rolling back to deployment/);
  expect(run.lines).toContainEqual(expect.stringMatching(/^DescribeServiceDeployments is not available /));
});
