import type { ContainerDefinition, Task } from '@aws-sdk/client-ecs';
import {
  chooseContainer,
  decideOutcome,
  logLocation,
  registrationInput,
  runTaskInput,
  taskDurationMs,
  taskIdOf,
  type OneOffTaskSpec,
} from '../src/task/index.js';
import { unwrapTaskDefinition } from '../src/taskdef/index.js';

const app: ContainerDefinition = {
  name: 'app',
  image: 'repo/app:1',
  essential: true,
  logConfiguration: {
    logDriver: 'awslogs',
    options: { 'awslogs-group': '/ecs/shop', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'ecs' },
  },
};
const sidecar: ContainerDefinition = { name: 'envoy', image: 'envoy:1', essential: false };

describe('chooseContainer', () => {
  it('takes the named container', () => {
    expect(chooseContainer([app, sidecar], 'envoy', 'shop')).toBe('envoy');
  });
  it('takes the only essential container by default (essential unless said otherwise)', () => {
    expect(chooseContainer([{ name: 'x' }, sidecar], undefined, 'shop')).toBe('x');
  });
  it('refuses a container the task definition does not have, naming the ones it has', () => {
    expect(() => chooseContainer([app, sidecar], 'web', 'shop:3')).toThrow(
      'Input "container": task definition shop:3 has no container "web". Use one of: app, envoy.',
    );
  });
  it('asks for "container" when several containers are essential', () => {
    expect(() => chooseContainer([app, { name: 'worker' }], undefined, 'shop:3')).toThrow(
      /2 essential containers \(app, worker\).*Set "container"/,
    );
  });
});

describe('registrationInput', () => {
  const described = {
    taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/shop:7',
    family: 'shop',
    revision: 7,
    status: 'ACTIVE',
    requiresAttributes: [{ name: 'x' }],
    compatibilities: ['FARGATE'],
    registeredAt: new Date(),
    registeredBy: 'arn:aws:iam::123456789012:user/x',
    containerDefinitions: [app, sidecar],
    cpu: '256',
    memory: '512',
  };
  it('drops the read-only fields, sets the image of one container and keeps the tags', () => {
    const input = registrationInput(described, [{ key: 'team', value: 'shop' }], {
      container: 'app',
      image: 'repo/app:2',
    });
    expect(Object.keys(input).sort()).toEqual(['containerDefinitions', 'cpu', 'family', 'memory', 'tags']);
    expect(input.containerDefinitions!.map((c) => c.image)).toEqual(['repo/app:2', 'envoy:1']);
    expect(input.tags).toEqual([{ key: 'team', value: 'shop' }]);
    expect(described.containerDefinitions[0]!.image).toBe('repo/app:1');
  });
  it('leaves out an empty tag list', () => {
    expect(registrationInput(described, []).tags).toBeUndefined();
  });
  it('reads DescribeTaskDefinition output saved to a file', () => {
    const { definition, tags } = unwrapTaskDefinition({ taskDefinition: described, tags: [{ key: 'a', value: 'b' }] });
    expect(definition.family).toBe('shop');
    expect(tags).toEqual([{ key: 'a', value: 'b' }]);
  });
});

describe('runTaskInput', () => {
  const spec: OneOffTaskSpec = {
    cluster: 'prod',
    taskDefinition: { kind: 'reference', reference: 'shop' },
    environment: new Map([['MIGRATE', '1']]),
    command: ['npm', 'run', 'migrate'],
    launchType: 'FARGATE',
    capacityProviderStrategy: [],
    network: { subnets: ['subnet-0123456789abcdef0'], securityGroups: ['sg-0123456789abcdef0'], assignPublicIp: false },
    platformVersion: 'LATEST',
    startedBy: 'github-run-7001',
    timeoutMs: 60_000,
    pollIntervalMs: 1000,
    streamLogs: true,
  };
  it('passes the overrides, network, launch type and startedBy', () => {
    expect(runTaskInput(spec, 'arn:td', 'app', 'token-1')).toEqual({
      cluster: 'prod',
      taskDefinition: 'arn:td',
      count: 1,
      startedBy: 'github-run-7001',
      clientToken: 'token-1',
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: ['subnet-0123456789abcdef0'],
          securityGroups: ['sg-0123456789abcdef0'],
          assignPublicIp: 'DISABLED',
        },
      },
      overrides: {
        containerOverrides: [
          { name: 'app', command: ['npm', 'run', 'migrate'], environment: [{ name: 'MIGRATE', value: '1' }] },
        ],
      },
    });
  });
  it('uses a capacity provider strategy instead of a launch type, and no overrides when none are asked for', () => {
    const input = runTaskInput(
      {
        ...spec,
        launchType: undefined,
        capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
        command: undefined,
        environment: new Map(),
        network: undefined,
      },
      'arn:td',
      'app',
    );
    expect(input.capacityProviderStrategy).toEqual([{ capacityProvider: 'FARGATE_SPOT', weight: 1 }]);
    expect(input.launchType).toBeUndefined();
    expect(input.overrides).toBeUndefined();
    expect(input.networkConfiguration).toBeUndefined();
  });
});

describe('logs', () => {
  it('names the awslogs stream <prefix>/<container>/<task id>', () => {
    expect(logLocation(app, '0123456789abcdef0123456789abcdef')).toEqual({
      group: '/ecs/shop',
      stream: 'ecs/app/0123456789abcdef0123456789abcdef',
      region: 'eu-west-1',
    });
  });
  it('has no stream to follow without a prefix or without awslogs', () => {
    expect(
      logLocation({ ...app, logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g' } } }, 'id'),
    ).toBeUndefined();
    expect(logLocation(sidecar, 'id')).toBeUndefined();
  });
  it('takes the task id from the ARN', () => {
    expect(taskIdOf('arn:aws:ecs:eu-west-1:123456789012:task/prod/0123456789abcdef0123456789abcdef')).toBe(
      '0123456789abcdef0123456789abcdef',
    );
  });
});

describe('decideOutcome', () => {
  const stopped = (task: Partial<Task>): Task => ({ lastStatus: 'STOPPED', ...task });
  it('passes on exit code 0', () => {
    const outcome = decideOutcome(
      stopped({ stopCode: 'EssentialContainerExited', containers: [{ name: 'app', exitCode: 0 }] }),
      'app',
    );
    expect(outcome).toEqual({ passed: true, exitCode: 0, summary: 'Container app exited with code 0.' });
  });
  it('fails on any other exit code and says which', () => {
    const outcome = decideOutcome(
      stopped({
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [{ name: 'app', exitCode: 3 }],
      }),
      'app',
    );
    expect(outcome.passed).toBe(false);
    expect(outcome.exitCode).toBe(3);
    expect(outcome.summary).toMatch(/container app exited with code 3 \(EssentialContainerExited: Essential container/);
  });
  it('judges by the chosen container, not by another one', () => {
    const outcome = decideOutcome(
      stopped({
        containers: [
          { name: 'envoy', exitCode: 0 },
          { name: 'app', exitCode: 2 },
        ],
      }),
      'app',
    );
    expect(outcome.exitCode).toBe(2);
  });
  it('fails TaskFailedToStart with ECS reasons', () => {
    const outcome = decideOutcome(
      stopped({
        stopCode: 'TaskFailedToStart',
        stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)',
        containers: [{ name: 'app', reason: 'CannotPullContainerError' }],
      }),
      'app',
    );
    expect(outcome).toEqual({
      passed: false,
      exitCode: undefined,
      summary:
        'The migration task failed to start (TaskFailedToStart: CannotPullContainerError: pull image manifest has been retried 5 time(s)) (container reason: CannotPullContainerError).',
    });
  });
  it('fails a container without an exit code', () => {
    const outcome = decideOutcome(
      stopped({
        stopCode: 'SpotInterruption',
        stoppedReason: 'Spot capacity reclaimed',
        containers: [{ name: 'app' }],
      }),
      'app',
    );
    expect(outcome.passed).toBe(false);
    expect(outcome.summary).toBe(
      'Container app has no exit code, so it never ran to completion (SpotInterruption: Spot capacity reclaimed).',
    );
  });
  it('measures the task from start to stop', () => {
    expect(
      taskDurationMs({ startedAt: new Date(1000), createdAt: new Date(0), stoppedAt: new Date(6500) }, 0, 99_999),
    ).toBe(5500);
    expect(taskDurationMs({ createdAt: new Date(2000) }, 0, 3000)).toBe(1000);
  });
});
