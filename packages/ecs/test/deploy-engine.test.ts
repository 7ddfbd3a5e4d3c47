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
import { MemoryLogger, type Clock } from '@ecs-ship/action-kit';
import { mockClient } from 'aws-sdk-client-mock';
import { deployServices, deploymentConfiguration, overallResult } from '../src/deploy/engine.js';
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

test.each([
  [{ name: 'ThrottlingException' }, true],
  [{ name: 'ServerException', $metadata: { httpStatusCode: 500 } }, true],
  [{ name: 'Error', message: 'socket hang up' }, true],
  [{ name: 'ClusterNotFoundException', $metadata: { httpStatusCode: 400 } }, false],
  [{ name: 'UnknownOperationException', $metadata: { httpStatusCode: 501 } }, false],
])('isTransient(%j) is %s', (error, expected) => {
  expect(isTransient(error)).toBe(expected);
});

test('the overall result: any failure wins, then timeout, then rollback', () => {
  const r = (result: string) => ({ result }) as never;
  expect(overallResult([r('succeeded'), r('rolled-back'), r('superseded')])).toBe('failed');
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
    reason: 'could not put web:1 back: Service Unavailable',
    by: 'step',
  });
  expect(report.failureReason).toMatch(
    /^web: not finished after 20\.0 s: .* Then: could not put web:1 back: Service Unavailable\.$/,
  );
});
