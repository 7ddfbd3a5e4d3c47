// A long wait as a person watching the log sees it: every change at once, and while nothing changes (a two-minute
// drain of the old tasks) a heartbeat at least every 30 s with where the deployment stands, elapsed and time left.
import {
  DescribeClustersCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Deployment,
} from '@aws-sdk/client-ecs';
import { MemoryLogger, type Clock } from '@ecs-ship/action-kit';
import { mockClient } from 'aws-sdk-client-mock';
import { deployServices } from '../src/deploy/engine.js';
import type { DeployOptions } from '../src/deploy/types.js';

const ecs = mockClient(ECSClient);
const TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web';
const START = Date.parse('2026-11-23T09:00:00Z');

/** Fake time that moves only when the engine sleeps; each log line is stamped with it. */
function timedRun() {
  let now = START;
  const clock: Clock = {
    now: () => now,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      now += ms;
    },
  };
  const logger = new MemoryLogger();
  const stamped: { at: number; line: string }[] = [];
  const info = logger.info.bind(logger);
  logger.info = (line) => {
    stamped.push({ at: now, line });
    info(line);
  };
  return { clock, logger, stamped };
}

/**
 * A rollout of 6 tasks: the new ones start one every 5 s; then the old deployment drains its last 2 tasks for two
 * minutes before ECS marks the rollout COMPLETED.
 */
function rolloutWithLongDrain(updatedAt: () => number | undefined, clock: Clock) {
  const old = (desired: number, running: number): Deployment => ({
    id: 'ecs-svc/1000000000000000001',
    status: 'ACTIVE',
    taskDefinition: `${TD}:1`,
    desiredCount: desired,
    runningCount: running,
    pendingCount: 0,
    rolloutState: 'COMPLETED',
  });
  return () => {
    const since = updatedAt();
    if (since === undefined) {
      return [{ ...old(6, 6), status: 'PRIMARY' }];
    }
    const t = clock.now() - since;
    const fresh = Math.min(6, Math.floor(t / 5000));
    const primary: Deployment = {
      id: 'ecs-svc/1000000000000000002',
      status: 'PRIMARY',
      taskDefinition: `${TD}:2`,
      desiredCount: 6,
      runningCount: fresh,
      pendingCount: 6 - fresh,
      rolloutState: t >= 150_000 ? 'COMPLETED' : 'IN_PROGRESS',
    };
    if (t >= 150_000) return [primary];
    return [primary, fresh === 6 ? old(0, 2) : old(6 - fresh, 6 - fresh)];
  };
}

const options: DeployOptions = {
  cluster: 'shop',
  services: ['web'],
  images: new Map([['web', 'registry.example/web:2']]),
  environment: new Map(),
  forceNewDeployment: false,
  circuitBreaker: 'rollback',
  alarms: [],
  wait: true,
  timeoutMs: 30 * 60_000,
  pollIntervalMs: 5000,
  onTimeout: 'fail',
  waitForRollback: true,
  mode: 'deploy',
  rollbackTo: new Map(),
};

test('a two-minute drain shows a heartbeat at least every 30 s with where it stands, elapsed and time left', async () => {
  const { clock, logger, stamped } = timedRun();
  let updatedAt: number | undefined;
  const deployments = rolloutWithLongDrain(() => updatedAt, clock);
  ecs.reset();
  ecs.on(DescribeClustersCommand).resolves({ clusters: [{ clusterName: 'shop', status: 'ACTIVE' }] });
  ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {
      taskDefinitionArn: `${TD}:1`,
      family: 'web',
      containerDefinitions: [{ name: 'web', image: 'w:1' }],
    },
    tags: [],
  });
  ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: `${TD}:2` } });
  const described = () => ({
    serviceName: 'web',
    serviceArn: 'arn:aws:ecs:eu-west-1:123456789012:service/shop/web',
    status: 'ACTIVE',
    desiredCount: 6,
    deploymentController: { type: 'ECS' as const },
    taskDefinition: updatedAt === undefined ? `${TD}:1` : `${TD}:2`,
    deployments: deployments(),
    events: [],
  });
  ecs.on(DescribeServicesCommand).callsFake(() => ({ services: [described()] }));
  ecs.on(UpdateServiceCommand).callsFake(() => {
    updatedAt = clock.now();
    return { service: described() };
  });
  ecs.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [] });

  const report = await deployServices(options, {
    ecs: new ECSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
    logger,
    clock,
    signal: new AbortController().signal,
  });

  expect(report.result).toBe('succeeded');
  const watch = stamped.filter(({ at }) => at >= updatedAt!);
  const gaps = watch.slice(1).map(({ at }, i) => at - watch[i]!.at);
  expect(Math.max(...gaps)).toBeLessThanOrEqual(30_000);
  // The drain itself is quiet but for the heartbeats; each says elapsed and time left until timeout-minutes.
  const heartbeats = watch.filter(({ line }) => line.includes(' elapsed, '));
  expect(heartbeats.length).toBeGreaterThanOrEqual(3);
  expect(heartbeats[0]!.line).toBe(
    'web: deploying: 6/6 new tasks running, 2 old draining · 1 min 00 s elapsed, 29 min 00 s left',
  );
  for (const { line } of heartbeats)
    expect(line).toMatch(/^web: deploying: 6\/6 new tasks running, 2 old draining · .+ elapsed, .+ left$/);
  // Changes print at once, each once.
  expect(logger.lines).toContain('web: deploying: 3/6 new tasks running, 3 pending, 3 old running');
  expect(logger.lines.filter((line) => line === 'web: deploying: 6/6 new tasks running, 2 old draining')).toHaveLength(
    1,
  );
});
