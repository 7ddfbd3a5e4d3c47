import { BatchGetImageCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  DescribeTasksCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';

const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const GOOD = 'a1b2c3d4a1b2c3d4a1b2c3d4a1b2c3d4a1b2c3d4';
const OLD = '0f0e0d0c0f0e0d0c0f0e0d0c0f0e0d0c0f0e0d0c';

const scenario = {
  accountId: '123456789012',
  region: 'eu-west-1',
  timeScale: 0.01,
  ecr: {
    repositories: [
      {
        name: 'shop',
        images: [
          { tags: ['old'], revision: OLD },
          { tags: ['good'], revision: GOOD },
        ],
      },
    ],
  },
  ecs: {
    clusters: [{ name: 'shop', containerInstances: 4 }],
    images: {
      'shop:old': { behaviour: 'healthy', startDelay: 1, healthyAfter: 1 },
      'shop:good': {
        behaviour: 'healthy',
        startDelay: 1,
        healthyAfter: 1,
        commands: { 'npm run migrate': { duration: 2, exitCode: 0, logLines: ['migrated'] } },
      },
    },
    taskDefinitions: [
      {
        family: 'web',
        containerDefinitions: [{ name: 'app', image: `${REGISTRY}/shop:old`, essential: true }],
      },
    ],
    services: [{ cluster: 'shop', serviceName: 'web', taskDefinition: 'web', desiredCount: 2 }],
  },
};

describe('the services behind a load balancer, and images pinned by digest', () => {
  let sandbox: Sandbox;
  let ecs: ECSClient;
  let ecr: ECRClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ scenario });
    const env = sandbox.env();
    const config = {
      region: 'eu-west-1',
      endpoint: env.AWS_ENDPOINT_URL,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
    };
    ecs = new ECSClient(config);
    ecr = new ECRClient(config);
  });
  afterAll(async () => {
    ecs.destroy();
    ecr.destroy();
    await sandbox.stop();
  });

  async function digestOf(tag: string): Promise<string> {
    const { images } = await ecr.send(
      new BatchGetImageCommand({ repositoryName: 'shop', imageIds: [{ imageTag: tag }] }),
    );
    return images![0]!.imageId!.imageDigest!;
  }

  async function versionsSeen(times: number): Promise<string[]> {
    const seen: string[] = [];
    for (let i = 0; i < times; i++) {
      const response = await fetch(`${sandbox.url}/apps/shop/web/health`);
      seen.push(response.status === 200 ? response.headers.get('x-app-version')! : String(response.status));
    }
    return seen;
  }

  test('the running version answers, with the revision of its image', async () => {
    expect(await versionsSeen(4)).toEqual([OLD, OLD, OLD, OLD]);
    const body = (await (await fetch(`${sandbox.url}/apps/shop/web/api/status`)).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', service: 'web', path: '/api/status', version: OLD });
  });

  test('a service deployed by digest behaves as its tag says, and then serves the new version', async () => {
    const image = `${REGISTRY}/shop@${await digestOf('good')}`;
    const { taskDefinition } = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web',
        containerDefinitions: [{ name: 'app', image, essential: true }],
      }),
    );
    await ecs.send(
      new UpdateServiceCommand({ cluster: 'shop', service: 'web', taskDefinition: taskDefinition!.taskDefinitionArn }),
    );
    await sandbox.waitFor(async () => (await versionsSeen(4)).every((v) => v === GOOD), { timeoutMs: 10_000 });
  });

  test('the same image runs a migration command as a one-off task that exits', async () => {
    const image = `${REGISTRY}/shop@${await digestOf('good')}`;
    const { taskDefinition } = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'migrate',
        containerDefinitions: [{ name: 'app', image, essential: true }],
      }),
    );
    const { tasks } = await ecs.send(
      new RunTaskCommand({
        cluster: 'shop',
        taskDefinition: taskDefinition!.taskDefinitionArn,
        overrides: { containerOverrides: [{ name: 'app', command: ['npm', 'run', 'migrate'] }] },
      }),
    );
    const arn = tasks![0]!.taskArn!;
    let stopped: { exitCode?: number; stopCode?: string } | undefined;
    await sandbox.waitFor(
      async () => {
        const { tasks: described } = await ecs.send(new DescribeTasksCommand({ cluster: 'shop', tasks: [arn] }));
        const task = described![0]!;
        if (task.lastStatus === 'STOPPED')
          stopped = { exitCode: task.containers![0]!.exitCode, stopCode: task.stopCode };
        return stopped !== undefined;
      },
      { timeoutMs: 10_000 },
    );
    expect(stopped).toEqual({ exitCode: 0, stopCode: 'EssentialContainerExited' });
  });

  test('a service with no healthy task answers 503', async () => {
    const response = await fetch(`${sandbox.url}/apps/shop/nothing/health`);
    expect(response.status).toBe(503);
  });
});
