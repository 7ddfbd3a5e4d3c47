// The engine at the SDK boundary: what it sends, and how it behaves when ECS answers badly, with a clock that
// moves only when the engine sleeps.
import {
  DescribeClustersCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { Deadline, MemoryLogger, type Clock } from '@ecs-ship/action-kit';
import { mockClient } from 'aws-sdk-client-mock';
import { deployServices, deploymentConfiguration, nextPollIn, overallResult } from '../src/deploy/engine.js';
import { isTransient } from '../src/deploy/observe.js';
import type { DeployOptions } from '../src/deploy/types.js';

const ecsMock = mockClient(ECSClient);
const TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web';

class StepClock implements Clock {
  time = Date.parse('2026-11-23T12:00:00Z');
  now(): number {
    return this.time;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.time += ms;
  }
}

function options(overrides: Partial<DeployOptions> = {}): DeployOptions {
  return {
    cluster: 'shop',
    services: ['web'],
    images: new Map([['web', 'web:2']]),
    environment: new Map(),
    forceNewDeployment: false,
    circuitBreaker: 'rollback',
    alarms: [],
    wait: true,
    timeoutMs: 60_000,
    pollIntervalMs: 5_000,
    onTimeout: 'fail',
    waitForRollback: true,
    mode: 'deploy',
    rollbackTo: new Map(),
    ...overrides,
  };
}

function service(name: string, deployments: Service['deployments']): Service {
  return {
    serviceName: name,
    status: 'ACTIVE',
    desiredCount: 1,
    deploymentController: { type: 'ECS' },
    deploymentConfiguration: { maximumPercent: 150, minimumHealthyPercent: 50 },
    taskDefinition: `${TD}:1`,
    deployments,
    events: [],
  };
}

const current = [
  {
    id: 'ecs-svc/0000000000000000001',
    status: 'PRIMARY',
    taskDefinition: `${TD}:1`,
    rolloutState: 'COMPLETED' as const,
    desiredCount: 1,
    runningCount: 1,
  },
];
const started = [
  {
    id: 'ecs-svc/0000000000000000002',
    status: 'PRIMARY',
    taskDefinition: `${TD}:2`,
    rolloutState: 'IN_PROGRESS' as const,
    desiredCount: 1,
    runningCount: 0,
  },
  { ...current[0]!, status: 'ACTIVE' },
];

function world(names: string[]) {
  ecsMock.reset();
  ecsMock.on(DescribeClustersCommand).resolves({ clusters: [{ clusterName: 'shop', status: 'ACTIVE' }] });
  ecsMock.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => ({
    services: input.services.map((name) => service(name, current)),
  }));
  ecsMock.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {
      taskDefinitionArn: `${TD}:1`,
      family: 'web',
      containerDefinitions: [{ name: 'web', image: 'web:1' }],
    },
    tags: [],
  });
  ecsMock.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: `${TD}:2` } });
  ecsMock.on(UpdateServiceCommand).callsFake((input: { service: string }) => ({
    service: { ...service(input.service, started), currentServiceDeployment: `arn:sd/${input.service}` },
  }));
  return names;
}

function context(clock = new StepClock()) {
  return {
    ecs: new ECSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
    logger: new MemoryLogger(),
    clock,
    signal: new AbortController().signal,
  };
}

test('25 services: three DescribeServices per poll, one DescribeServiceDeployments per 20 ARNs', async () => {
  const names = world(Array.from({ length: 25 }, (_, i) => `svc-${i}`));
  let polls = 0;
  ecsMock.on(DescribeServiceDeploymentsCommand).callsFake((input: { serviceDeploymentArns: string[] }) => {
    expect(input.serviceDeploymentArns.length).toBeLessThanOrEqual(20);
    return {
      serviceDeployments: input.serviceDeploymentArns.map((arn) => ({
        serviceDeploymentArn: arn,
        status: polls > 2 ? 'SUCCESSFUL' : 'IN_PROGRESS',
      })),
    };
  });
  // Once the update happened, the watch sees the new deployment.
  ecsMock.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => {
    if (ecsMock.commandCalls(UpdateServiceCommand).length > 0 && input.services[0] === names[0]) polls += 1;
    const updated = ecsMock.commandCalls(UpdateServiceCommand).length > 0;
    return { services: input.services.map((name) => service(name, updated ? started : current)) };
  });
  const report = await deployServices(options({ services: names }), context());
  expect(report.result).toBe('succeeded');
  expect(report.describeServicesCalls).toBe(3 * report.polls);
  expect(ecsMock.commandCalls(DescribeServiceDeploymentsCommand)).toHaveLength(2 * report.polls);
  expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(25);
});

test('a poll that keeps failing does not fail the deployment until the deadline', async () => {
  world(['web']);
  let updated = false;
  ecsMock.on(UpdateServiceCommand).callsFake(() => {
    updated = true;
    return { service: { ...service('web', started), currentServiceDeployment: 'arn:sd/web' } };
  });
  ecsMock.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => {
    if (updated) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} });
    return { services: input.services.map((name) => service(name, current)) };
  });
  ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
  const ctx = context();
  const report = await deployServices(options({ timeoutMs: 30_000 }), ctx);
  expect(report.result).toBe('timed-out');
  expect(report.services[0]!.reason).toMatch(/ECS did not answer in time \(ThrottlingException\)/);
  expect(ctx.logger.lines.filter((line) => line.includes('Could not read the services'))).toHaveLength(1);
});

test('an error that is not transient ends the run', async () => {
  world(['web']);
  let updated = false;
  ecsMock.on(UpdateServiceCommand).callsFake(() => {
    updated = true;
    return { service: service('web', started) };
  });
  ecsMock.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => {
    if (updated)
      throw Object.assign(new Error('not allowed'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      });
    return { services: input.services.map((name) => service(name, current)) };
  });
  await expect(deployServices(options(), context())).rejects.toThrow('not allowed');
});

test('the breaker is switched on and the other deployment settings kept', () => {
  const config = deploymentConfiguration(
    service('web', current),
    options({ alarms: ['a'], circuitBreaker: 'fail-only' }),
  );
  expect(config).toEqual({
    maximumPercent: 150,
    minimumHealthyPercent: 50,
    deploymentCircuitBreaker: { enable: true, rollback: false },
    alarms: { alarmNames: ['a'], enable: true, rollback: false },
  });
});

test("pauseAlarmMonitoring switches the alarms off, the service's own or the alarms input, and nothing else", () => {
  const own = { ...service('web', current) };
  own.deploymentConfiguration = {
    ...own.deploymentConfiguration,
    alarms: { alarmNames: ['b'], enable: true, rollback: true },
  };
  expect(deploymentConfiguration(own, options({ pauseAlarmMonitoring: true }))).toEqual({
    maximumPercent: 150,
    minimumHealthyPercent: 50,
    deploymentCircuitBreaker: { enable: true, rollback: true },
    alarms: { alarmNames: ['b'], enable: false, rollback: true },
  });
  expect(deploymentConfiguration(own, options({ alarms: ['a'], pauseAlarmMonitoring: true })).alarms).toEqual({
    alarmNames: ['a'],
    enable: false,
    rollback: true,
  });
  // A service without alarms gets none.
  expect(deploymentConfiguration(service('web', current), options({ pauseAlarmMonitoring: true }))).not.toHaveProperty(
    'alarms',
  );
});

test.each([
  [{ name: 'ThrottlingException' }, true],
  [{ name: 'ServerException', $metadata: { httpStatusCode: 500 } }, true],
  [{ name: 'Error', message: 'socket hang up' }, true],
  [{ name: 'ClusterNotFoundException', $metadata: { httpStatusCode: 400 } }, false],
  [{ name: 'UnknownOperationException', $metadata: { httpStatusCode: 501 } }, false],
])('isTransient(%j) is %s', (error, expected) => {
  expect(isTransient(error)).toBe(expected);
});

test('the overall result: any failure wins, then timeout, then rollback, then superseded', () => {
  const r = (result: string) => ({ result }) as never;
  expect(overallResult([r('succeeded'), r('rolled-back'), r('gone')])).toBe('failed');
  expect(overallResult([r('succeeded'), r('rolled-back'), r('superseded')])).toBe('rolled-back');
  expect(overallResult([r('succeeded'), r('superseded')])).toBe('superseded');
  expect(overallResult([r('succeeded'), r('timed-out'), r('rolled-back')])).toBe('timed-out');
  expect(overallResult([r('succeeded'), r('rolled-back')])).toBe('rolled-back');
  expect(overallResult([r('succeeded'), r('unchanged')])).toBe('succeeded');
  expect(overallResult([r('unchanged')])).toBe('unchanged');
});

test('an UpdateService answer that still shows the old deployment is never taken for ours', async () => {
  world(['web']);
  // The answer shows the old PRIMARY and the old service-deployment ARN; polls show the new one only later.
  ecsMock
    .on(UpdateServiceCommand)
    .resolves({ service: { ...service('web', current), currentServiceDeployment: 'arn:sd/old' } });
  let polls = 0;
  ecsMock.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => {
    if (ecsMock.commandCalls(UpdateServiceCommand).length === 0) {
      return { services: [{ ...service('web', current), currentServiceDeployment: 'arn:sd/old' }] };
    }
    polls += 1;
    const done = [{ ...started[0]!, rolloutState: 'COMPLETED' as const, runningCount: 1 }];
    const deployments = polls === 1 ? current : polls === 2 ? started : done;
    const arn = polls === 1 ? 'arn:sd/old' : 'arn:sd/new';
    return {
      services: input.services.map((name) => ({ ...service(name, deployments), currentServiceDeployment: arn })),
    };
  });
  ecsMock.on(DescribeServiceDeploymentsCommand).callsFake((input: { serviceDeploymentArns: string[] }) => ({
    serviceDeployments: input.serviceDeploymentArns.map((arn) => ({
      serviceDeploymentArn: arn,
      status: 'IN_PROGRESS',
    })),
  }));
  const report = await deployServices(options(), context());
  expect(report.result).toBe('succeeded');
  expect(report.services[0]!.deploymentId).toBe('ecs-svc/0000000000000000002');
  expect(report.services[0]!.serviceDeploymentArn).toBe('arn:sd/new');
  expect(polls).toBe(3);
  expect(
    ecsMock.commandCalls(DescribeServiceDeploymentsCommand).map((c) => c.args[0].input.serviceDeploymentArns),
  ).toEqual([['arn:sd/new']]);
});

test('on-timeout rollback that cannot reach ECS still ends, saying the previous revision was not put back', async () => {
  world(['web']);
  let updates = 0;
  ecsMock.on(UpdateServiceCommand).callsFake(() => {
    updates += 1;
    if (updates > 1)
      throw Object.assign(new Error('Service Unavailable'), {
        name: 'ServiceUnavailable',
        $metadata: { httpStatusCode: 503 },
      });
    return { service: { ...service('web', started), currentServiceDeployment: 'arn:sd/web' } };
  });
  ecsMock.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => ({
    services: input.services.map((name) => service(name, updates > 0 ? started : current)),
  }));
  ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
  const report = await deployServices(options({ onTimeout: 'rollback', timeoutMs: 20_000 }), context());
  expect(report.result).toBe('timed-out');
  expect(report.services[0]!.rollback).toEqual({
    healthy: false,
    reason: 'could not put web:1 back: ServiceUnavailable: Service Unavailable',
    by: 'step',
  });
  expect(report.failureReason).toMatch(
    /^web: not finished after 20\.0 s \(the limit is 20\.0 s\): .* Then: could not put web:1 back: ServiceUnavailable: Service Unavailable\.$/,
  );
});

describe('deadlines hold', () => {
  test('a poll interval longer than the time left sleeps only until the deadline', async () => {
    world(['web']);
    ecsMock.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => ({
      services: input.services.map((name) =>
        service(name, ecsMock.commandCalls(UpdateServiceCommand).length > 0 ? started : current),
      ),
    }));
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
    const clock = new StepClock();
    const report = await deployServices(options({ timeoutMs: 30_000, pollIntervalMs: 120_000 }), context(clock));
    expect(report.result).toBe('timed-out');
    // The verdict comes at the deadline, not a poll interval later, and says how long it really took.
    expect(report.finishedAt - report.services[0]!.startedAt!).toBe(30_000);
    expect(report.services[0]!.reason).toMatch(/^not finished after 30\.0 s \(the limit is 30\.0 s\)/);
  });

  test('nextPollIn: the rest of the interval, never past the earliest deadline', () => {
    const active = new Map([
      ['a', { target: { deadline: 10_000 } }],
      ['b', { target: { deadline: 4_000 } }],
    ]);
    expect(nextPollIn(active, 0, 5_000, 1_000)).toBe(3_000);
    expect(nextPollIn(active, 0, 2_000, 1_000)).toBe(1_000);
    expect(nextPollIn(active, 0, 2_000, 5_000)).toBe(0);
  });

  test('the engine moves the step deadline to the end of each wait it starts', async () => {
    world(['web']);
    ecsMock.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => ({
      services: input.services.map((name) =>
        service(name, ecsMock.commandCalls(UpdateServiceCommand).length > 0 ? started : current),
      ),
    }));
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
    const clock = new StepClock();
    const deadline = new Deadline(clock, 1000);
    const report = await deployServices(options({ timeoutMs: 20_000, onTimeout: 'rollback' }), {
      ...context(clock),
      deadline,
    });
    expect(report.result).toBe('timed-out');
    // The restore after the timeout got a deadline of its own (the watch of it ran out in turn).
    expect(deadline.at).toBeGreaterThanOrEqual(report.services[0]!.startedAt! + 40_000);
  });
});

describe('a failure is passed on the moment it is seen', () => {
  test('onFailure is called at detection, before the rollback is followed, and awaited before the engine returns', async () => {
    world(['web']);
    const failed = [
      { ...current[0]!, status: 'PRIMARY' },
      { ...started[0]!, status: 'ACTIVE', rolloutState: 'FAILED' as const, rolloutStateReason: 'circuit breaker' },
    ];
    let polls = 0;
    ecsMock.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => {
      const updated = ecsMock.commandCalls(UpdateServiceCommand).length > 0;
      if (updated) polls += 1;
      const deployments = !updated ? current : polls < 2 ? started : polls < 4 ? failed : current;
      return { services: input.services.map((name) => service(name, deployments)) };
    });
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
    const clock = new StepClock();
    const seen: { service: string; result: string; rollingBackTo?: string; at: number; pollsThen: number }[] = [];
    let hookDone = false;
    const report = await deployServices(options(), {
      ...context(clock),
      onFailure: async (failure) => {
        seen.push({ ...failure, at: clock.now(), pollsThen: polls });
        await new Promise((resolve) => setTimeout(resolve, 20));
        hookDone = true;
      },
    });
    expect(report.result).toBe('rolled-back');
    expect(seen).toEqual([
      expect.objectContaining({ service: 'web', result: 'rolled-back', rollingBackTo: `${TD}:1`, pollsThen: 2 }),
    ]);
    // Called while the rollback was still to be confirmed, which took further polls.
    expect(polls).toBeGreaterThan(2);
    expect(report.services[0]!.rollback?.healthy).toBe(true);
    expect(hookDone).toBe(true);
  });

  test('every service is watched to its own outcome, whatever happened to the others', async () => {
    world(['web', 'api']);
    const failed = [
      { ...current[0]!, status: 'PRIMARY' },
      { ...started[0]!, status: 'ACTIVE', rolloutState: 'FAILED' as const, rolloutStateReason: 'circuit breaker' },
    ];
    const done = [{ ...started[0]!, rolloutState: 'COMPLETED' as const, runningCount: 1 }];
    let polls = 0;
    ecsMock.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => {
      const updated = ecsMock.commandCalls(UpdateServiceCommand).length === 2;
      if (updated) polls += 1;
      // web fails at once; api takes five more polls to complete.
      return {
        services: input.services.map((name) =>
          service(name, !updated ? current : name === 'web' ? failed : polls < 6 ? started : done),
        ),
      };
    });
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
    const report = await deployServices(options({ services: ['web', 'api'], circuitBreaker: 'fail-only' }), context());
    expect(report.services.map((s) => [s.service, s.result])).toEqual([
      ['web', 'failed'],
      ['api', 'succeeded'],
    ]);
    expect(report.result).toBe('failed');
  });
});

describe('a call that fails for good while changing', () => {
  test('stops the changes, names what was being done and what had changed, and returns a report', async () => {
    world(['web', 'api']);
    let registrations = 0;
    ecsMock.on(RegisterTaskDefinitionCommand).callsFake(() => {
      registrations += 1;
      if (registrations === 2)
        throw Object.assign(new Error('Rate exceeded'), {
          name: 'ThrottlingException',
          $metadata: { httpStatusCode: 400 },
        });
      return { taskDefinition: { taskDefinitionArn: `${TD}:2` } };
    });
    const ctx = context();
    const report = await deployServices(options({ services: ['web', 'api'] }), ctx);
    expect(report.result).toBe('failed');
    expect(report.failureReason).toBe(
      'api: registering the new revision of web:1 failed (ThrottlingException: Rate exceeded). Already changed: registered web:2 for web; no service updated yet.',
    );
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(ctx.logger.lines).toContainEqual(expect.stringMatching(/^error: registering the new revision/));
  });

  test('an update that fails after others were updated says which services ECS carries on', async () => {
    world(['web', 'api']);
    ecsMock.on(UpdateServiceCommand).callsFake((input: { service: string }) => {
      if (input.service === 'api')
        throw Object.assign(new Error('Rate exceeded'), {
          name: 'ThrottlingException',
          $metadata: { httpStatusCode: 400 },
        });
      return { service: { ...service(input.service, started), currentServiceDeployment: `arn:sd/${input.service}` } };
    });
    const report = await deployServices(options({ services: ['web', 'api'] }), context());
    expect(report.result).toBe('failed');
    expect(report.services.map((s) => [s.service, s.result])).toEqual([
      ['web', 'started'],
      ['api', 'failed'],
    ]);
    expect(report.failureReason).toMatch(
      /updated web \(to web:2\), whose deployments ECS carries on without this step\.$/,
    );
  });
});
