// The watch after a deploy on scenario time: the engine over real HTTP with the real AWS SDK clients against the
// sandbox, both on one manual clock, so that five minutes of watching take as long as the requests. A 5xx rate that
// rises two minutes after a successful deploy rolls every service back, each to its own previous revision.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { MemoryLogger } from '@ecs-ship/action-kit';
import { deployAndWatch, parseWatchMetric, type DeployOptions, type WatchedMetric } from '@ecs-ship/ecs';
import { ManualClock, startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { sandboxClock } from '@ecs-ship/testing/clock';
import { scenario, sdkConfig, withApiService } from './helpers.js';

const LB = 'app/shop/50dc6c495c0c9188';
const START = Date.UTC(2026, 10, 23, 12, 0, 0);

/** The shop, with an api service of its own image, and the load balancer's metrics: 5xx once web:2 ran 2 minutes. */
function world(rise: { image: string; after: number } | null = { image: 'registry.example/web:2', after: 120 }) {
  const shop = withApiService(scenario('shop'), 'api');
  const errors = { namespace: 'AWS/ApplicationELB', dimensions: { LoadBalancer: LB } };
  shop.cloudwatch = {
    metrics: [
      { ...errors, name: 'RequestCount', value: 1000 },
      {
        ...errors,
        name: 'HTTPCode_Target_5XX_Count',
        value: 2,
        ...(rise ? { whileImageRuns: { ...rise, value: 90 } } : {}),
      },
      { ...errors, name: 'TargetResponseTime', value: 0.12 },
    ],
  };
  return shop;
}

const metric = (line: string) => parseWatchMetric(line) as WatchedMetric;

function options(overrides: Partial<DeployOptions> = {}): DeployOptions {
  return {
    cluster: 'shop',
    services: ['web', 'api'],
    images: new Map(),
    serviceImages: new Map([
      ['web', new Map([['web', 'registry.example/web:2']])],
      ['api', new Map([['api', 'registry.example/api:2']])],
    ]),
    environment: new Map(),
    forceNewDeployment: false,
    circuitBreaker: 'rollback',
    alarms: [],
    wait: true,
    timeoutMs: 10 * 60_000,
    pollIntervalMs: 5_000,
    onTimeout: 'fail',
    waitForRollback: true,
    mode: 'deploy',
    rollbackTo: new Map(),
    watchAfterMs: 5 * 60_000,
    watchMetrics: [
      metric(`target-5xx-rate > 2% LoadBalancer=${LB}`),
      metric(`target-p95-latency > 800ms LoadBalancer=${LB}`),
    ],
    ...overrides,
  };
}

const manual = new ManualClock(START);
let sandbox: Sandbox;
let ecs: ECSClient;
let cloudwatch: CloudWatchClient;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: world(), clock: manual, checkModels: true });
  ecs = new ECSClient(sdkConfig(sandbox));
  cloudwatch = new CloudWatchClient(sdkConfig(sandbox));
});
afterAll(async () => {
  ecs.destroy();
  cloudwatch.destroy();
  await sandbox.stop();
});
afterEach(() => expect(sandbox.takeViolations()).toEqual([]));

function run(opts: DeployOptions, signal = new AbortController().signal) {
  const logger = new MemoryLogger();
  const clock = sandboxClock(manual);
  const startedAt = manual.now();
  const report = deployAndWatch(opts, {
    ecs,
    cloudwatch: async () => cloudwatch,
    logger,
    clock,
    signal,
    progressIntervalMs: 30_000,
  });
  return { report, logger, startedAt };
}

function runningImage(service: string): string | undefined {
  const s = sandbox.state('ecs').service('eu-west-1', 'shop', service)!;
  return s.taskDefinitionArn.split('/').at(-1);
}

test('a 5xx rate rising two minutes after the deploy rolls every service back to its own revision and names the metric', async () => {
  sandbox.load(world());
  const started = Date.now();
  const { report, logger, startedAt } = run(options());
  const result = await report;
  expect(Date.now() - started).toBeLessThan(20_000); // five scenario minutes of watching, not five real ones

  expect(result.result).toBe('rolled-back');
  expect(result.watch).toMatchObject({
    outcome: 'breached',
    breach: { kind: 'metric', what: 'ALB target 5xx rate', value: '9%', threshold: '> 2%' },
  });
  // The rise came about two minutes into the life of web:2, inside the five-minute watch.
  const breachAt = (result.watch!.breach!.at - result.watch!.startedAt) / 1000;
  expect(breachAt).toBeGreaterThan(60);
  expect(breachAt).toBeLessThan(180);
  expect(result.failureReason).toContain('ALB target 5xx rate was 9%, above the threshold of 2%');
  expect(result.failureReason).toContain('web: web:1 is back and healthy');
  expect(result.failureReason).toContain('api: api:1 is back and healthy');
  for (const service of result.services) {
    expect(service).toMatchObject({ result: 'rolled-back', rollback: { healthy: true, by: 'step' } });
    expect(service.phases.map((p) => p.label)).toContain('watch after the deploy');
  }
  expect([runningImage('web'), runningImage('api')]).toEqual(['web:1', 'api:1']);
  // Each service went back to its own previous revision by UpdateService, as mode: rollback does.
  const updates = sandbox.recorder
    .calls({ operation: 'UpdateService' })
    .map((c) => c.params as { service: string; taskDefinition: string })
    .map((p) => [p.service, p.taskDefinition]);
  expect(
    updates
      .slice(-2)
      .map(([service, td]) => `${service}→${String(td).split('/').at(-1)}`)
      .sort(),
  ).toEqual(['api→api:1', 'web→web:1']);
  expect(logger.lines.some((l) => /watching after the deploy: .*ALB target 5xx rate 0\.2% \(> 2%\)/.test(l))).toBe(
    true,
  );
  expect(manual.now() - startedAt).toBeLessThan(10 * 60_000);
});

test('a deploy whose metrics stay under their lines is watched the whole five minutes, then succeeds', async () => {
  sandbox.load(world(null));
  const { report } = run(options());
  const result = await report;
  expect(result.result).toBe('succeeded');
  expect(result.watch).toMatchObject({ outcome: 'held' });
  expect(result.watch!.finishedAt - result.watch!.startedAt).toBeGreaterThanOrEqual(5 * 60_000);
  expect(result.watch!.last).toEqual(['ALB target 5xx rate 0.2% (> 2%)', 'p95 TargetResponseTime 120 ms (> 800ms)']);
  expect([runningImage('web'), runningImage('api')]).toEqual(['web:2', 'api:2']);
});

/**
 * The shop of `world()` whose services' own deployments monitor `shop-5xx`, with ECS rolling back on it: the alarm
 * of the same 5xx rise, evaluated later than the watch's threshold (200 s of web:2). The previous revisions take two
 * minutes to start, so web:2 still runs, and the alarm goes into ALARM, while the watch's rollback is under way.
 */
function monitoredWorld() {
  const shop = world();
  shop.ecs.images['registry.example/web:1'] = { behaviour: 'healthy', startDelay: 120, healthyAfter: 1 };
  shop.ecs.images['registry.example/api:1'] = { behaviour: 'healthy', startDelay: 120, healthyAfter: 1 };
  shop.ecs.alarms.push({ name: 'shop-5xx', whenImageRuns: 'registry.example/web:2', after: 200, okAfter: 600 });
  for (const service of [shop.ecs.services[0], shop.ecs.services[3]]) {
    service.deploymentConfiguration = { alarms: { ...SHOP_5XX } };
  }
  return shop;
}
const SHOP_5XX = { alarmNames: ['shop-5xx'], enable: true, rollback: true };

async function deploymentAlarms(): Promise<Record<string, unknown>> {
  const answer = await ecs.send(new DescribeServicesCommand({ cluster: 'shop', services: ['web', 'api'] }));
  return Object.fromEntries(answer.services!.map((s) => [s.serviceName, s.deploymentConfiguration?.alarms]));
}

test("with the breaching metric's alarm also in the services' deployment alarms, the rollback runs with alarm monitoring paused, ends healthy, and the alarms are put back", async () => {
  sandbox.load(monitoredWorld());
  const started = Date.now();
  const { report, logger } = run(options());
  const result = await report;
  expect(Date.now() - started).toBeLessThan(20_000);

  expect(result.result).toBe('rolled-back');
  expect(result.watch).toMatchObject({ alarms: ['shop-5xx'], breach: { kind: 'metric', what: 'ALB target 5xx rate' } });
  // The alarm went into ALARM while web:2 still ran during the rollback, and stays there: ECS would have failed a
  // rollback that monitored it (see the sandbox's ecs-deployment-alarms test).
  expect(sandbox.state('ecs').alarms.state('shop-5xx')).toBe('ALARM');
  for (const service of result.services) {
    expect(service.rollback).toMatchObject({ healthy: true, by: 'step' });
    expect(service.phases.find((p) => p.label === 'alarm monitoring paused')).toMatchObject({ outcome: 'ok' });
  }
  expect([runningImage('web'), runningImage('api')]).toEqual(['web:1', 'api:1']);
  expect(result.failureReason).toMatch(
    /^After the deploy, ALB target 5xx rate was 9%, above the threshold of 2% .*web: web:1 is back and healthy; api: api:1 is back and healthy\)\. Alarm monitoring of web, api was paused for the rollback and restored\.$/,
  );
  expect(result.watch!.alarmPause).toMatchObject({ services: ['web', 'api'], restored: ['web', 'api'], left: [] });
  // The rollback's UpdateService switched monitoring off with the circuit breaker on; the restore changed only the
  // deployment configuration, and started no deployment.
  const updates = sandbox.recorder.calls({ operation: 'UpdateService' }).map((c) => c.params as any);
  expect(updates.slice(2, 4).map((u) => [u.service, u.deploymentConfiguration.alarms.enable])).toEqual([
    ['web', false],
    ['api', false],
  ]);
  expect(updates[2].deploymentConfiguration.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
  expect(updates.slice(4).map((u) => [u.service, u.taskDefinition, u.deploymentConfiguration.alarms])).toEqual([
    ['web', undefined, SHOP_5XX],
    ['api', undefined, SHOP_5XX],
  ]);
  expect(await deploymentAlarms()).toEqual({ web: SHOP_5XX, api: SHOP_5XX });
  for (const service of ['web', 'api']) {
    const s = sandbox.state('ecs').service('eu-west-1', 'shop', service)!;
    expect(s.deployments.map((d) => [d.taskDefinition.taskDefinitionArn.split('/').at(-1), d.rolloutState])).toEqual([
      [`${service}:1`, 'COMPLETED'],
    ]);
  }
  expect(logger.lines.some((l) => l.startsWith('Pausing the alarm monitoring of web, api for the rollback'))).toBe(
    true,
  );
  expect(logger.lines).toContain('Alarm monitoring of web, api restored (no new deployment).');
});

test('a restore that is refused is reported by service, with the command that restores it', async () => {
  sandbox.load(monitoredWorld());
  // The deploy's two UpdateService calls, the rollback's two, then the first restore: refused.
  sandbox.faults.inject({
    kind: 'error',
    service: 'ecs',
    operation: 'UpdateService',
    every: 5,
    count: 1,
    status: 400,
    code: 'AccessDeniedException',
    message: 'User is not authorized to perform: ecs:UpdateService',
  });
  const { report, logger } = run(options());
  const result = await report;
  expect(result.result).toBe('rolled-back');
  expect(result.services.map((s) => s.rollback?.healthy)).toEqual([true, true]);
  expect(result.watch!.alarmPause).toMatchObject({ restored: ['api'], left: [{ service: 'web' }] });
  expect(result.failureReason).toMatch(
    /Alarm monitoring of web, api was paused for the rollback and restored for api; it is still OFF for web \(UpdateService failed \(AccessDeniedException: User is not authorized to perform: ecs:UpdateService\)\): restore it with/,
  );
  const line = logger.lines.find((l) => l.includes('web: alarm monitoring is still OFF'))!;
  expect(line).toContain(`aws ecs update-service --cluster shop --service web --deployment-configuration '{`);
  expect(JSON.parse(/--deployment-configuration '(.*)'$/.exec(line)![1]!)).toMatchObject({
    alarms: SHOP_5XX,
    deploymentCircuitBreaker: { enable: true, rollback: true },
  });
  expect(await deploymentAlarms()).toEqual({ web: { ...SHOP_5XX, enable: false }, api: SHOP_5XX });
  const web = result.services.find((s) => s.service === 'web')!;
  expect(web.phases.find((p) => p.label === 'alarm monitoring off')).toMatchObject({ outcome: 'failed' });
});

test('cancelled during the rollback: as the rollback path says, plus which services are left without alarm monitoring', async () => {
  const shop = monitoredWorld();
  // A rollback long enough in scenario time to be cancelled midway whatever the machine's load.
  for (const image of ['registry.example/web:1', 'registry.example/api:1']) shop.ecs.images[image].startDelay = 500;
  sandbox.load(shop);
  const controller = new AbortController();
  const { report, logger } = run(options(), controller.signal);
  await sandbox.waitFor(() => logger.lines.some((l) => l.startsWith('Pausing the alarm monitoring')), {
    timeoutMs: 20_000,
  });
  await sandbox.waitFor(() => sandbox.recorder.calls({ operation: 'UpdateService' }).length >= 4, {
    timeoutMs: 20_000,
  });
  controller.abort();
  const result = await report;
  expect(result.services.map((s) => s.rollback)).toEqual([
    expect.objectContaining({ healthy: false, pending: true }),
    expect.objectContaining({ healthy: false, pending: true }),
  ]);
  expect(result.watch!.alarmPause).toMatchObject({ restored: [], left: [{ service: 'web' }, { service: 'api' }] });
  expect(result.failureReason).toContain(
    'it is still OFF for web (the job was cancelled during the rollback), api (the job was cancelled during the rollback)',
  );
  expect(logger.lines.some((l) => l.startsWith('Cancelled: no longer watching.'))).toBe(true);
  expect(await deploymentAlarms()).toEqual({
    web: { ...SHOP_5XX, enable: false },
    api: { ...SHOP_5XX, enable: false },
  });
  // Nothing after the cancellation: no restore was sent.
  expect(sandbox.recorder.calls({ operation: 'UpdateService' })).toHaveLength(4);
});

test('an alarm the deployments monitor, in ALARM after the deploy, rolls back and is named; the rollback does not monitor it', async () => {
  const shop = world(null);
  shop.ecs.alarms.push({ name: 'api-errors', whenImageRuns: 'registry.example/api:2', after: 90, okAfter: 0 });
  shop.ecs.services[3].deploymentConfiguration = {
    alarms: { alarmNames: ['api-errors'], enable: true, rollback: true },
  };
  sandbox.load(shop);
  const result = await run(options({ watchMetrics: [] })).report;
  expect(result.watch).toMatchObject({
    alarms: ['api-errors'],
    outcome: 'breached',
    breach: { kind: 'alarm', what: 'api-errors' },
  });
  expect(result.failureReason).toMatch(/^After the deploy, the alarm api-errors went into ALARM/);
  expect(result.result).toBe('rolled-back');
  const rollbacks = Object.fromEntries(result.services.map((s) => [s.service, s.rollback]));
  expect(rollbacks.web).toMatchObject({ healthy: true, reason: 'web:1 is back and healthy', by: 'step' });
  // Only api's deployments monitor the alarm: its monitoring alone is paused, and put back.
  expect(rollbacks.api).toMatchObject({ healthy: true, reason: 'api:1 is back and healthy', by: 'step' });
  expect(result.watch!.alarmPause).toMatchObject({ services: ['api'], restored: ['api'], left: [] });
  expect((await deploymentAlarms()).api).toEqual({ alarmNames: ['api-errors'], enable: true, rollback: true });
});

test('cancelled during the watch: the deploy itself succeeded and nothing was rolled back', async () => {
  sandbox.load(world());
  const controller = new AbortController();
  const { report, logger } = run(options(), controller.signal);
  await sandbox.waitFor(() => logger.lines.some((l) => l.includes('watching')), { timeoutMs: 20_000 });
  controller.abort();
  const result = await report;
  expect(result.result).toBe('cancelled');
  expect(result.failureReason).toMatch(/the deploy itself succeeded .* and nothing was rolled back/);
  expect(result.services.map((s) => s.result)).toEqual(['succeeded', 'succeeded']);
  expect([runningImage('web'), runningImage('api')]).toEqual(['web:2', 'api:2']);
});
