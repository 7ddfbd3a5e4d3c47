// The ECS and CloudWatch Logs modules through the real AWS SDK clients, over HTTP, against startSandbox.
import {
  DescribeClustersCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListServicesCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  ServiceNotFoundException,
  StopTaskCommand,
  UpdateServiceCommand,
  waitUntilServicesStable,
  waitUntilTasksStopped,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '../src/index.js';

const REGION = 'eu-west-1';
const logConfiguration = (prefix: string) => ({
  logDriver: 'awslogs',
  options: { 'awslogs-group': '/ecs/shop', 'awslogs-region': REGION, 'awslogs-stream-prefix': prefix },
});

const scenario = {
  region: REGION,
  timeScale: 0.01,
  ecs: {
    clusters: [{ name: 'prod', containerInstances: 4 }],
    images: {
      'shop/web:v1': { startDelay: 2 },
      'shop/web:v2': { startDelay: 3 },
      'shop/web:broken': { behaviour: 'fails-to-start', startDelay: 2 },
      'shop/web:errors': { startDelay: 2, healthyAfter: 50 },
      'shop/web:slow': { startDelay: 1000 },
      'shop/migrate:ok': {
        startDelay: 2,
        duration: 5,
        exitCode: 0,
        logLines: ['migrating', 'done'],
        generatedLines: 10_000,
      },
      'shop/migrate:fail': { startDelay: 1, duration: 2, exitCode: 3, logLines: ['error: relation exists'] },
      'shop/migrate:slow': { startDelay: 30, duration: 5, logLines: ['late'] },
      'shop/migrate:forever': { startDelay: 1, duration: 100_000 },
    },
    taskDefinitions: [
      {
        family: 'web',
        containerDefinitions: [{ name: 'web', image: 'shop/web:v1', logConfiguration: logConfiguration('web') }],
      },
      {
        family: 'web',
        containerDefinitions: [{ name: 'web', image: 'shop/web:v2', logConfiguration: logConfiguration('web') }],
      },
      {
        family: 'web',
        containerDefinitions: [{ name: 'web', image: 'shop/web:broken', logConfiguration: logConfiguration('web') }],
      },
      { family: 'web', containerDefinitions: [{ name: 'web', image: 'shop/web:errors' }] },
      { family: 'web', containerDefinitions: [{ name: 'web', image: 'shop/web:slow' }] },
      { family: 'hog', containerDefinitions: [{ name: 'hog', image: 'shop/migrate:ok' }] },
    ],
    alarms: [{ name: 'web-5xx', whenImageRuns: 'shop/web:errors', after: 2 }],
    placementFailures: [{ family: 'hog', reason: 'RESOURCE:MEMORY' }],
    services: [
      {
        cluster: 'prod',
        serviceName: 'web',
        taskDefinition: 'web:1',
        desiredCount: 2,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      },
    ],
  },
};

let sandbox: Sandbox;
let ecs: ECSClient;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario });
  const env = sandbox.env();
  const credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! };
  ecs = new ECSClient({ region: REGION, endpoint: sandbox.url, credentials, retryMode: 'adaptive' });
  logs = new CloudWatchLogsClient({ region: REGION, endpoint: sandbox.url, credentials, retryMode: 'adaptive' });
});
afterAll(async () => {
  ecs.destroy();
  logs.destroy();
  await sandbox.stop();
});
beforeEach(() => sandbox.load(scenario));

const waiter = (maxWaitTime = 30) => ({ client: ecs, maxWaitTime, minDelay: 1, maxDelay: 1 });

async function serviceDeployment(arn: string): Promise<ServiceDeployment> {
  const out = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  return out.serviceDeployments![0]!;
}

async function registerMigration(image: string): Promise<string> {
  const out = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'migrate',
      containerDefinitions: [{ name: 'migrate', image, logConfiguration: logConfiguration('db') }],
    }),
  );
  return out.taskDefinition!.taskDefinitionArn!;
}

describe('ECS services through the SDK', () => {
  it('a rollout completes: the SDK waiter sees it stable and the service deployment is SUCCESSFUL', async () => {
    const updated = await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }),
    );
    const primary = updated.service!.deployments![0]!;
    expect(primary.id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(primary.rolloutState).toBe('IN_PROGRESS');
    expect(primary.createdAt).toBeInstanceOf(Date);
    const arn = updated.service!.currentServiceDeployment!;

    await waitUntilServicesStable(waiter(), { cluster: 'prod', services: ['web'] });
    const out = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web', 'gone'] }));
    const service = out.services![0]!;
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments![0]).toMatchObject({ id: primary.id, rolloutState: 'COMPLETED', runningCount: 2 });
    expect(service.taskDefinition).toMatch(/:task-definition\/web:2$/);
    expect(service.events![0]!.message).toBe('(service web) has reached a steady state.');
    expect(service.events![0]!.createdAt).toBeInstanceOf(Date);
    expect(out.failures).toEqual([{ arn: `arn:aws:ecs:${REGION}:123456789012:service/prod/gone`, reason: 'MISSING' }]);
    const record = await serviceDeployment(arn);
    expect(record.status).toBe('SUCCESSFUL');
    expect(record.targetServiceRevision?.runningTaskCount).toBe(2);

    // The instant ECS recorded COMPLETED is observable for benchmarks.
    const world = sandbox.state('ecs');
    const completed = world.transitions.find((t) => t.deploymentId === primary.id && t.value === 'COMPLETED');
    expect(completed?.at).toBeLessThanOrEqual(Date.now());
  });

  it('a tripped breaker is FAILED with a reason, and the waiter still calls the rolled-back service stable', async () => {
    const updated = await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:3' }),
    );
    const failingId = updated.service!.deployments![0]!.id!;
    const arn = updated.service!.currentServiceDeployment!;
    await sandbox.waitFor(async () => (await serviceDeployment(arn)).status === 'ROLLBACK_SUCCESSFUL', {
      timeoutMs: 15_000,
      description: 'rollback finished',
    });
    const record = await serviceDeployment(arn);
    expect(record.deploymentCircuitBreaker).toEqual({ status: 'TRIGGERED', failureCount: 3, threshold: 3 });
    expect(record.rollback?.reason).toMatch(/circuit breaker/);
    const listed = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web' }));
    expect(listed.serviceDeployments?.[0]?.serviceDeploymentArn).toBe(arn);

    // Exactly as the real waiter: a rolled-back service is stable again, on the old revision.
    await waitUntilServicesStable(waiter(), { cluster: 'prod', services: ['web'] });
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services![0]!;
    expect(service.taskDefinition).toMatch(/web:1$/);
    const messages = service.events!.map((e) => e.message);
    expect(messages).toContain(`(service web) (deployment ${failingId}) deployment failed: tasks failed to start.`);
  });

  it('an alarm fails the deployment with the alarm named, and ECS rolls back', async () => {
    await ecs.send(
      new UpdateServiceCommand({
        cluster: 'prod',
        service: 'web',
        taskDefinition: 'web:4',
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: true },
          alarms: { alarmNames: ['web-5xx'], enable: true, rollback: true },
        },
      }),
    );
    const before = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services![0]!;
    const arn = before.currentServiceDeployment!;
    await sandbox.waitFor(async () => (await serviceDeployment(arn)).status === 'ROLLBACK_SUCCESSFUL', {
      timeoutMs: 15_000,
      description: 'alarm rollback finished',
    });
    const record = await serviceDeployment(arn);
    expect(record.alarms).toEqual({ status: 'TRIGGERED', alarmNames: ['web-5xx'], triggeredAlarmNames: ['web-5xx'] });
    expect(record.statusReason).toMatch(/web-5xx/);
    const world = sandbox.state('ecs');
    const failed = world.transitions.find((t) => t.value === 'FAILED');
    expect(failed?.reason).toMatch(/web-5xx/);
  });

  it('a second update supersedes the first: compare deployment ids, not task definitions', async () => {
    const first = await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:5' }),
    );
    const second = await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }),
    );
    const firstId = first.service!.deployments![0]!.id;
    const deployments = second.service!.deployments!;
    expect(deployments[0]!.id).not.toBe(firstId);
    expect(deployments[0]!.status).toBe('PRIMARY');
    expect(deployments.find((d) => d.id === firstId)?.status).toBe('ACTIVE');
    expect((await serviceDeployment(first.service!.currentServiceDeployment!)).status).toBe('STOPPED');
    await waitUntilServicesStable(waiter(), { cluster: 'prod', services: ['web'] });
  });

  it('RunTask placement failures come back in failures[] with no task', async () => {
    const out = await ecs.send(new RunTaskCommand({ cluster: 'prod', taskDefinition: 'hog' }));
    expect(out.tasks).toEqual([]);
    expect(out.failures).toEqual([
      { arn: expect.stringMatching(/:container-instance\/prod\/[0-9a-f]{32}$/), reason: 'RESOURCE:MEMORY' },
    ]);
  });

  it('service revisions name their task definition; clusters and services are listed', async () => {
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }));
    await waitUntilServicesStable(waiter(), { cluster: 'prod', services: ['web'] });
    const listed = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web' }));
    const arns = listed.serviceDeployments!.map((d) => d.targetServiceRevisionArn!);
    expect(arns).toHaveLength(2);
    const revisions = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: arns }));
    expect(revisions.serviceRevisions!.map((r) => r.taskDefinition?.split('/').at(-1))).toEqual(['web:2', 'web:1']);
    expect(revisions.serviceRevisions![0]!.createdAt).toBeInstanceOf(Date);
    const clusters = await ecs.send(new DescribeClustersCommand({ clusters: ['prod', 'nope'] }));
    expect(clusters.clusters![0]).toMatchObject({ clusterName: 'prod', status: 'ACTIVE', activeServicesCount: 1 });
    expect(clusters.failures![0]!.reason).toBe('MISSING');
    expect((await ecs.send(new ListServicesCommand({ cluster: 'prod' }))).serviceArns).toEqual([
      `arn:aws:ecs:${REGION}:123456789012:service/prod/web`,
    ]);
  });

  it('errors come back as the SDK error classes', async () => {
    await expect(
      ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'nope', desiredCount: 1 })),
    ).rejects.toBeInstanceOf(ServiceNotFoundException);
    await expect(
      ecs.send(new DescribeServicesCommand({ cluster: 'nowhere', services: ['web'] })),
    ).rejects.toMatchObject({
      name: 'ClusterNotFoundException',
    });
  });
});

describe('one-off tasks and their logs through the SDK', () => {
  it('RunTask → tasks-stopped waiter → exit code; 10,002 log lines read with tokens, none lost or doubled', async () => {
    const taskDefinition = await registerMigration('shop/migrate:ok');
    const run = await ecs.send(new RunTaskCommand({ cluster: 'prod', taskDefinition, startedBy: 'ci' }));
    expect(run.failures).toEqual([]);
    const taskArn = run.tasks![0]!.taskArn!;
    const taskId = taskArn.split('/').at(-1)!;
    await waitUntilTasksStopped(waiter(), { cluster: 'prod', tasks: [taskArn] });
    const task = (await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [taskArn] }))).tasks![0]!;
    expect(task.stopCode).toBe('EssentialContainerExited');
    expect(task.containers![0]!.exitCode).toBe(0);
    expect(task.stoppedAt).toBeInstanceOf(Date);

    const lines: string[] = [];
    let token: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await logs.send(
        new GetLogEventsCommand({
          logGroupName: '/ecs/shop',
          logStreamName: `db/migrate/${taskId}`,
          startFromHead: true,
          nextToken: token,
        }),
      );
      pages++;
      lines.push(...page.events!.map((e) => e.message!));
      if (page.nextForwardToken === token) break;
      token = page.nextForwardToken;
    }
    expect(pages).toBe(3); // 10,000 + 2, then the unchanged token
    expect(lines).toHaveLength(10_002);
    expect(lines.slice(0, 3)).toEqual(['migrating', 'done', 'generated line 1 of 10000']);
    expect(lines.at(-1)).toBe('generated line 10000 of 10000');
    expect(new Set(lines).size).toBe(10_002);
  });

  it('a failing task reports its exit code; the log stream does not exist until the container writes', async () => {
    const failing = await registerMigration('shop/migrate:fail');
    const run = await ecs.send(new RunTaskCommand({ cluster: 'prod', taskDefinition: failing }));
    const taskArn = run.tasks![0]!.taskArn!;
    await waitUntilTasksStopped(waiter(), { cluster: 'prod', tasks: [taskArn] });
    const task = (await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [taskArn] }))).tasks![0]!;
    expect(task.containers![0]!.exitCode).toBe(3);

    const slow = await registerMigration('shop/migrate:slow');
    const late = (await ecs.send(new RunTaskCommand({ cluster: 'prod', taskDefinition: slow }))).tasks![0]!.taskArn!;
    const stream = `db/migrate/${late.split('/').at(-1)}`;
    await expect(
      logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/shop', logStreamName: stream, startFromHead: true })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await sandbox.waitFor(
      async () => {
        const out = await logs.send(
          new DescribeLogStreamsCommand({ logGroupName: '/ecs/shop', logStreamNamePrefix: stream }),
        );
        return (out.logStreams ?? []).length === 1;
      },
      { description: 'stream created' },
    );
    const filtered = await logs.send(
      new FilterLogEventsCommand({ logGroupName: '/ecs/shop', logStreamNames: [stream] }),
    );
    expect(filtered.events!.map((e) => e.message)).toEqual(['late']);
    expect(filtered.nextToken).toBeUndefined();
  });

  it('StopTask stops a running task with UserInitiated and the reason', async () => {
    const definition = await registerMigration('shop/migrate:forever');
    const taskArn = (await ecs.send(new RunTaskCommand({ cluster: 'prod', taskDefinition: definition }))).tasks![0]!
      .taskArn!;
    await sandbox.waitFor(async () => {
      const t = (await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [taskArn] }))).tasks![0]!;
      return t.lastStatus === 'RUNNING';
    });
    const stopped = await ecs.send(new StopTaskCommand({ cluster: 'prod', task: taskArn, reason: 'Job cancelled' }));
    expect(stopped.task?.desiredStatus).toBe('STOPPED');
    await waitUntilTasksStopped(waiter(), { cluster: 'prod', tasks: [taskArn] });
    const task = (await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [taskArn] }))).tasks![0]!;
    expect(task).toMatchObject({ stopCode: 'UserInitiated', stoppedReason: 'Job cancelled' });
    expect(sandbox.recorder.mutatingCalls().map((c) => c.operation)).toEqual([
      'RegisterTaskDefinition',
      'RunTask',
      'StopTask',
    ]);
  });
});
