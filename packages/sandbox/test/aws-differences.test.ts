// Nine ways the sandbox once differed from AWS, each shown through the real AWS SDK clients over HTTP (no sandbox
// internals): the two stages of the circuit breaker, launch-type and network checks, EC2 clusters without container
// instances, managed and propagated tags, FilterLogEvents' searchedLogStreams, the reason of the task that trips the
// breaker, the rollback deployment's timestamps, requiresAttributes, and fault patterns.
import {
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
  type Deployment,
  type UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ManualClock, startSandbox, type Sandbox } from '../src/index.js';

const REGION = 'eu-west-1';
const NETWORK = { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'] } };
const fargate = (image: string, extra: Record<string, unknown> = {}) => ({
  family: 'web',
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  cpu: '256',
  memory: '512',
  containerDefinitions: [{ name: 'web', image, essential: true }],
  ...extra,
});
const ec2 = (family: string, image: string) => ({
  family,
  networkMode: 'bridge',
  containerDefinitions: [{ name: family, image, essential: true, memory: 256 }],
});

const scenario = {
  region: REGION,
  timeScale: 0.01,
  ecs: {
    clusters: ['shop', { name: 'hosts', containerInstances: 2 }],
    timings: { provisioning: 0.5, activating: 0.5, deactivating: 0.5, stopping: 0.5, deprovisioning: 0.5 },
    images: {
      'web:good': { startDelay: 1, healthyAfter: 1 },
      'web:unhealthy': { behaviour: 'fails-health-checks', startDelay: 1, after: 2 },
      'web:stages': {
        sequence: ['fails-to-start', 'fails-to-start', 'fails-health-checks'],
        then: 'fails-health-checks',
        startDelay: 1,
        after: 2,
      },
      'web:flaky-then-good': { sequence: ['fails-to-start'], then: 'healthy', startDelay: 1 },
      'job:quick': { startDelay: 1, duration: 2, logLines: ['one', 'two'] },
    },
    taskDefinitions: [
      fargate('web:good', { tags: [{ key: 'team', value: 'shop' }] }),
      fargate('web:unhealthy'),
      fargate('web:stages'),
      ec2('legacy', 'web:good'),
      ec2('job', 'job:quick'),
    ],
    services: [
      {
        cluster: 'shop',
        serviceName: 'web',
        taskDefinition: 'web:1',
        desiredCount: 1,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      },
    ],
  },
  logs: {
    groups: [
      {
        name: '/ecs/job',
        streams: [
          { name: 'a', lines: ['hello'] },
          { name: 'b', lines: ['hello again'] },
        ],
      },
    ],
  },
};

let sandbox: Sandbox;
let ecs: ECSClient;
let logs: CloudWatchLogsClient;

/** What an SDK client needs to talk to `box`. */
function clientConfig(box: Sandbox) {
  const env = box.env();
  return {
    region: REGION,
    endpoint: box.url,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
  };
}

beforeAll(async () => {
  sandbox = await startSandbox({ scenario });
  ecs = new ECSClient({ ...clientConfig(sandbox), maxAttempts: 1 });
  logs = new CloudWatchLogsClient({ ...clientConfig(sandbox), maxAttempts: 1 });
});
afterAll(async () => {
  ecs.destroy();
  logs.destroy();
  await sandbox.stop();
});

const error = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: Error) => `${e.name}: ${e.message}`,
  );

async function deploymentOf(arn: string) {
  const out = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  return out.serviceDeployments![0]!;
}

/** Updates the scenario's web service, waits for the breaker to roll it back, and names the failed deployment. */
async function rolledBack(update: Omit<UpdateServiceCommandInput, 'cluster' | 'service'>) {
  sandbox.load(scenario);
  const updated = await ecs.send(new UpdateServiceCommand({ cluster: 'shop', service: 'web', ...update }));
  const arn = updated.service!.currentServiceDeployment!;
  const rollingBack = ['ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL'];
  await sandbox.waitFor(async () => rollingBack.includes((await deploymentOf(arn)).status!), {
    timeoutMs: 20_000,
    description: 'the rollback',
  });
  return { arn, failing: updated.service!.deployments![0]!.id! };
}

/** Every task a deployment started (deployments start their tasks with their id as `startedBy`). */
async function tasksOf(cluster: string, deploymentId: string) {
  const arns = [];
  for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
    arns.push(...(await ecs.send(new ListTasksCommand({ cluster, startedBy: deploymentId, desiredStatus }))).taskArns!);
  }
  if (arns.length === 0) return [];
  return (await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns, include: ['TAGS'] }))).tasks!;
}

describe('1. the circuit breaker counts in two stages', () => {
  it('start failures stop counting once a task ran; the breaker trips on the third failed health check', async () => {
    const { arn, failing } = await rolledBack({ taskDefinition: 'web:3' });
    const record = await deploymentOf(arn);
    expect(record.deploymentCircuitBreaker).toEqual({ status: 'TRIGGERED', failureCount: 3, threshold: 3 });
    // Two tasks that never ran, then three that failed their health checks: five, not three.
    const tasks = await tasksOf('shop', failing);
    expect(tasks.map((t) => t.stopCode).sort()).toEqual([
      'ServiceSchedulerInitiated',
      'ServiceSchedulerInitiated',
      'ServiceSchedulerInitiated',
      'TaskFailedToStart',
      'TaskFailedToStart',
    ]);
  });

  it('with a COUNT threshold and resetOnHealthyTask off, as UpdateService sets them', async () => {
    const { arn } = await rolledBack({
      taskDefinition: 'web:2',
      deploymentConfiguration: {
        deploymentCircuitBreaker: {
          enable: true,
          rollback: true,
          resetOnHealthyTask: false,
          thresholdConfiguration: { type: 'COUNT', value: 2 },
        },
      },
    });
    expect((await deploymentOf(arn)).deploymentCircuitBreaker).toEqual({
      status: 'TRIGGERED',
      failureCount: 2,
      threshold: 2,
    });
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'shop', services: ['web'] }))).services![0]!;
    expect(service.deploymentConfiguration?.deploymentCircuitBreaker).toMatchObject({ resetOnHealthyTask: false });
  });
});

describe('2. launch types and network modes are checked', () => {
  it('a FARGATE service cannot move to a task definition that only supports EC2', async () => {
    sandbox.load(scenario);
    expect(
      await error(ecs.send(new UpdateServiceCommand({ cluster: 'shop', service: 'web', taskDefinition: 'legacy' }))),
    ).toBe('InvalidParameterException: Task definition does not support launch_type FARGATE.');
  });

  it('RunTask on FARGATE refuses an EC2-only task definition', async () => {
    sandbox.load(scenario);
    expect(
      await error(ecs.send(new RunTaskCommand({ cluster: 'shop', taskDefinition: 'job', launchType: 'FARGATE' }))),
    ).toBe('InvalidParameterException: Task definition does not support launch_type FARGATE.');
  });

  it('a service of an awsvpc task definition needs a network configuration', async () => {
    sandbox.load(scenario);
    const create = (networkConfiguration?: typeof NETWORK) =>
      ecs.send(
        new CreateServiceCommand({
          cluster: 'shop',
          serviceName: 'api',
          taskDefinition: 'web:1',
          desiredCount: 1,
          launchType: 'FARGATE',
          networkConfiguration,
        }),
      );
    expect(await error(create())).toBe(
      "InvalidParameterException: Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
    await expect(create(NETWORK)).resolves.toMatchObject({ service: { serviceName: 'api', launchType: 'FARGATE' } });
  });
});

describe('3. EC2 tasks need a container instance', () => {
  it('RunTask on EC2 in a cluster without container instances is refused; with one, the task starts', async () => {
    sandbox.load(scenario);
    expect(
      await error(ecs.send(new RunTaskCommand({ cluster: 'shop', taskDefinition: 'job', launchType: 'EC2' }))),
    ).toBe('InvalidParameterException: No Container Instances were found in your cluster.');
    const out = await ecs.send(new RunTaskCommand({ cluster: 'hosts', taskDefinition: 'job', launchType: 'EC2' }));
    expect([out.tasks?.length, out.failures]).toEqual([1, []]);
  });
});

describe('4. managed and propagated tags', () => {
  it('a service keeps enableECSManagedTags and propagateTags, and tags its tasks accordingly', async () => {
    sandbox.load(scenario);
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'shop',
        serviceName: 'api',
        taskDefinition: 'web:1',
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        enableECSManagedTags: true,
        propagateTags: 'SERVICE',
        tags: [{ key: 'tier', value: 'front' }],
      }),
    );
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'shop', services: ['api'] }))).services![0]!;
    expect([service.enableECSManagedTags, service.propagateTags]).toEqual([true, 'SERVICE']);
    await sandbox.waitFor(async () => (await tasksOf('shop', service.deployments![0]!.id!)).length > 0);
    const [task] = await tasksOf('shop', service.deployments![0]!.id!);
    expect(task!.tags).toEqual(
      expect.arrayContaining([
        { key: 'aws:ecs:clusterName', value: 'shop' },
        { key: 'aws:ecs:serviceName', value: 'api' },
        { key: 'tier', value: 'front' },
      ]),
    );
  });

  it('RunTask propagates the task definition tags and adds the cluster tag', async () => {
    sandbox.load(scenario);
    const out = await ecs.send(
      new RunTaskCommand({
        cluster: 'shop',
        taskDefinition: 'web:1',
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        enableECSManagedTags: true,
        propagateTags: 'TASK_DEFINITION',
      }),
    );
    const described = await ecs.send(
      new DescribeTasksCommand({ cluster: 'shop', tasks: [out.tasks![0]!.taskArn!], include: ['TAGS'] }),
    );
    expect(described.tasks![0]!.tags).toEqual([
      { key: 'aws:ecs:clusterName', value: 'shop' },
      { key: 'team', value: 'shop' },
    ]);
  });
});

describe('5. FilterLogEvents', () => {
  it('answers searchedLogStreams empty, as AWS has since 2020', async () => {
    sandbox.load(scenario);
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: '/ecs/job' }));
    expect(out.events?.map((e) => e.message)).toEqual(['hello', 'hello again']);
    expect(out.searchedLogStreams).toEqual([]);
  });
});

describe('6. the task that trips the breaker', () => {
  it('keeps its own reason: every task of the failed deployment failed its health checks', async () => {
    const { failing } = await rolledBack({ taskDefinition: 'web:2' });
    const tasks = await tasksOf('shop', failing);
    expect(tasks).toHaveLength(3);
    expect(tasks.map((t) => t.stoppedReason)).toEqual(Array(3).fill('Task failed container health checks'));
  });
});

describe('7. the rollback deployment', () => {
  // The instant a deployment was last updated cannot precede its creation. The rollback deployment is created while
  // the scheduler handles the failure; reading every service after each step of a manual clock, from the updates to
  // the last rollback, shows any stale one at the instant it exists, however busy the machine is.
  it('is never updated before it was created', async () => {
    const clock = new ManualClock(Date.now());
    const own = await startSandbox({ clock });
    const client = new ECSClient({ ...clientConfig(own), maxAttempts: 1 });
    try {
      const names = Array.from({ length: 90 }, (_, i) => `svc-${i}`);
      own.load({
        ...scenario,
        ecs: {
          ...scenario.ecs,
          images: { ...scenario.ecs.images, 'web:slow': { startDelay: 300 } },
          taskDefinitions: [...scenario.ecs.taskDefinitions, fargate('web:slow')],
          services: names.map((serviceName) => ({
            cluster: 'shop',
            serviceName,
            taskDefinition: 'web:4', // the rollback target starts slowly, so its deployment stays as created
            desiredCount: 1,
            deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
          })),
        },
      });
      for (const service of names) {
        await client.send(new UpdateServiceCommand({ cluster: 'shop', service, taskDefinition: 'web:3' }));
      }
      const stale = new Map<string, [string | undefined, string | undefined]>();
      let rollingBack = 0;
      for (let step = 0; step < 600 && rollingBack < names.length; step++) {
        clock.advance(0.5);
        const deployments: Deployment[] = [];
        for (let i = 0; i < names.length; i += 10) {
          const out = await client.send(
            new DescribeServicesCommand({ cluster: 'shop', services: names.slice(i, i + 10) }),
          );
          deployments.push(...out.services!.flatMap((s) => s.deployments!));
        }
        for (const d of deployments) {
          if (d.updatedAt!.getTime() < d.createdAt!.getTime()) {
            stale.set(d.id!, [d.createdAt?.toISOString(), d.updatedAt?.toISOString()]);
          }
        }
        rollingBack = deployments.filter((d) => d.rolloutStateReason?.includes('rolling back')).length;
      }
      expect(rollingBack).toBe(names.length);
      expect([...stale]).toEqual([]);
    } finally {
      client.destroy();
      await own.stop();
    }
  });
});

describe('8. requiresAttributes', () => {
  it('lists what the definition uses: awslogs, roles, an ECR image, awsvpc', async () => {
    sandbox.load(scenario);
    const out = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'api',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
        taskRoleArn: 'arn:aws:iam::123456789012:role/task',
        containerDefinitions: [
          {
            name: 'api',
            image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:1',
            logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/api' } },
          },
        ],
      }),
    );
    const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'api' }));
    for (const definition of [out.taskDefinition!, described.taskDefinition!]) {
      expect(definition.requiresAttributes?.map((a) => a.name)).toEqual([
        'com.amazonaws.ecs.capability.logging-driver.awslogs',
        'ecs.capability.execution-role-awslogs',
        'com.amazonaws.ecs.capability.ecr-auth',
        'com.amazonaws.ecs.capability.docker-remote-api.1.19',
        'com.amazonaws.ecs.capability.task-iam-role',
        'ecs.capability.execution-role-ecr-pull',
        'com.amazonaws.ecs.capability.docker-remote-api.1.18',
        'ecs.capability.task-eni',
      ]);
      expect(definition.compatibilities).toEqual(['EC2', 'FARGATE']);
    }
  });
});

describe('9. fault patterns and task sequences', () => {
  const outcomes = async (calls: number) => {
    const results: string[] = [];
    for (let i = 0; i < calls; i++) {
      results.push(
        await ecs.send(new ListClustersCommand({})).then(
          () => 'ok',
          (e: Error) => e.name,
        ),
      );
    }
    return results;
  };

  it('every: N hits every Nth matching call', async () => {
    sandbox.load(scenario);
    sandbox.faults.inject({ kind: 'error', service: 'ecs', operation: 'ListClusters', every: 3 });
    expect(await outcomes(7)).toEqual(['ok', 'ok', 'ServiceUnavailable', 'ok', 'ok', 'ServiceUnavailable', 'ok']);
  });

  it('probability: p is drawn from a seeded generator, so a run repeats exactly', async () => {
    const run = async () => {
      sandbox.load(scenario);
      sandbox.faults.inject({ kind: 'throttle', service: 'ecs', probability: 0.5, seed: 42 });
      return outcomes(20);
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first.filter((r) => r === 'ThrottlingException').length).toBeGreaterThan(3);
    expect(first.filter((r) => r === 'ok').length).toBeGreaterThan(3);
  });

  it('from/until bound a fault to a window of scenario seconds', async () => {
    sandbox.load(scenario); // timeScale 0.01: 100 scenario seconds take 1 s
    sandbox.faults.inject({ kind: 'error', service: 'ecs', from: 50, until: 100 });
    expect(await outcomes(1)).toEqual(['ok']);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await outcomes(1)).toEqual(['ServiceUnavailable']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await outcomes(1)).toEqual(['ok']);
  });

  it('a task-behaviour sequence with then: the first task fails to start, every later one is healthy', async () => {
    sandbox.load(scenario);
    const run = () => ecs.send(new RunTaskCommand({ cluster: 'hosts', taskDefinition: 'legacy', launchType: 'EC2' }));
    sandbox.load({
      ...scenario,
      ecs: {
        ...scenario.ecs,
        taskDefinitions: [...scenario.ecs.taskDefinitions, ec2('legacy', 'web:flaky-then-good')],
      },
    });
    const arns = [];
    for (let i = 0; i < 4; i++) arns.push((await run()).tasks![0]!.taskArn!);
    await sandbox.waitFor(
      async () => {
        const tasks = (await ecs.send(new DescribeTasksCommand({ cluster: 'hosts', tasks: arns }))).tasks!;
        return tasks.every((t) => t.lastStatus === 'RUNNING' || t.lastStatus === 'STOPPED');
      },
      { description: 'every task placed' },
    );
    const tasks = (await ecs.send(new DescribeTasksCommand({ cluster: 'hosts', tasks: arns }))).tasks!;
    const byArn = new Map(tasks.map((t) => [t.taskArn, t]));
    expect(arns.map((arn) => byArn.get(arn)!.lastStatus)).toEqual(['STOPPED', 'RUNNING', 'RUNNING', 'RUNNING']);
  });
});
