// Interop: the AWS CLI (a client nobody here wrote, with its own models and waiters) against the sandbox's ECS and
// CloudWatch Logs. Debian's awscli predates AWS_ENDPOINT_URL, so every call passes --endpoint-url.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { awsCli, type AwsCli } from '@ecs-ship/testing/aws-cli';

const REGION = 'eu-west-1';
const logConfiguration = {
  logDriver: 'awslogs',
  options: { 'awslogs-group': '/ecs/shop', 'awslogs-region': REGION, 'awslogs-stream-prefix': 'db' },
};
const scenario = {
  region: REGION,
  timeScale: 0.01,
  ecs: {
    clusters: [{ name: 'prod', containerInstances: 3 }],
    images: {
      'shop/web:v1': { startDelay: 2 },
      'shop/web:v2': { startDelay: 3 },
      'shop/web:broken': { behaviour: 'fails-to-start', startDelay: 2 },
      'shop/migrate:ok': { startDelay: 2, duration: 20, exitCode: 0, logLines: ['migrating', 'applied 3', 'done'] },
    },
    taskDefinitions: [
      { family: 'web', containerDefinitions: [{ name: 'web', image: 'shop/web:v1' }] },
      { family: 'web', containerDefinitions: [{ name: 'web', image: 'shop/web:v2' }] },
      { family: 'web', containerDefinitions: [{ name: 'web', image: 'shop/web:broken' }] },
      { family: 'migrate', containerDefinitions: [{ name: 'migrate', image: 'shop/migrate:ok', logConfiguration }] },
    ],
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
let cli: AwsCli;
const aws = (...args: string[]) => cli.run(...args);
const awsJson = (...args: string[]) => cli.json(...args);

beforeAll(async () => {
  sandbox = await startSandbox({ scenario });
  cli = awsCli(sandbox.url, REGION);
});
afterAll(async () => {
  await sandbox?.stop();
});
beforeEach(() => sandbox.load(scenario));

describe('aws ecs against the sandbox', () => {
  it('the AWS CLI is installed', () => {
    expect(spawnSync('aws', ['--version']).status).toBe(0);
  });

  it('describe-services shows the deployment and MISSING names', async () => {
    const out = await awsJson('ecs', 'describe-services', '--cluster', 'prod', '--services', 'web', 'gone');
    expect(out.services[0]).toMatchObject({ serviceName: 'web', status: 'ACTIVE', desiredCount: 2, runningCount: 2 });
    expect(out.services[0].deployments).toHaveLength(1);
    expect(out.services[0].deployments[0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'COMPLETED' });
    expect(out.failures).toEqual([{ arn: `arn:aws:ecs:${REGION}:123456789012:service/prod/gone`, reason: 'MISSING' }]);
  });

  it('wait services-stable succeeds on a completed rollout', async () => {
    const updated = await awsJson(
      'ecs',
      'update-service',
      '--cluster',
      'prod',
      '--service',
      'web',
      '--task-definition',
      'web:2',
    );
    expect(updated.service.deployments[0].rolloutState).toBe('IN_PROGRESS');
    const waited = await aws('ecs', 'wait', 'services-stable', '--cluster', 'prod', '--services', 'web');
    expect(waited).toMatchObject({ code: 0 });
    const out = await awsJson('ecs', 'describe-services', '--cluster', 'prod', '--services', 'web');
    expect(out.services[0].taskDefinition).toMatch(/web:2$/);
    expect(out.services[0].deployments[0].rolloutState).toBe('COMPLETED');
  });

  it('wait services-stable also succeeds on a rolled-back rollout, as the real waiter does', async () => {
    const updated = await awsJson(
      'ecs',
      'update-service',
      '--cluster',
      'prod',
      '--service',
      'web',
      '--task-definition',
      'web:3',
    );
    const failingId: string = updated.service.deployments[0].id;
    const waited = await aws('ecs', 'wait', 'services-stable', '--cluster', 'prod', '--services', 'web');
    expect(waited).toMatchObject({ code: 0 });
    const out = await awsJson('ecs', 'describe-services', '--cluster', 'prod', '--services', 'web');
    // Stable, on the OLD revision: only the events tell the deployment failed.
    expect(out.services[0].taskDefinition).toMatch(/web:1$/);
    const messages: string[] = out.services[0].events.map((e: { message: string }) => e.message);
    expect(messages).toContain(`(service web) (deployment ${failingId}) deployment failed: tasks failed to start.`);
  });

  it('wait services-stable fails on a MISSING service', async () => {
    const waited = await aws('ecs', 'wait', 'services-stable', '--cluster', 'prod', '--services', 'gone');
    expect(waited.code).not.toBe(0);
    expect(waited.stderr).toMatch(/terminal failure state|MISSING/);
  });

  it('wait services-stable fails on a DRAINING service', async () => {
    await awsJson('ecs', 'delete-service', '--cluster', 'prod', '--service', 'web', '--force');
    const waited = await aws('ecs', 'wait', 'services-stable', '--cluster', 'prod', '--services', 'web');
    expect(waited.code).not.toBe(0);
    const out = await awsJson('ecs', 'describe-services', '--cluster', 'prod', '--services', 'web');
    expect(['DRAINING', 'INACTIVE']).toContain(out.services[0].status);
  });

  it('run-task, wait tasks-stopped, describe-tasks, and logs get-log-events', async () => {
    const run = await awsJson(
      'ecs',
      'run-task',
      '--cluster',
      'prod',
      '--task-definition',
      'migrate',
      '--started-by',
      'interop',
      '--overrides',
      JSON.stringify({ containerOverrides: [{ name: 'migrate', command: ['./migrate', 'up'] }] }),
    );
    expect(run.failures).toEqual([]);
    const taskArn: string = run.tasks[0].taskArn;
    expect(taskArn).toMatch(/^arn:aws:ecs:eu-west-1:123456789012:task\/prod\/[0-9a-f]{32}$/);
    const waited = await aws('ecs', 'wait', 'tasks-stopped', '--cluster', 'prod', '--tasks', taskArn);
    expect(waited).toMatchObject({ code: 0 });
    const described = await awsJson('ecs', 'describe-tasks', '--cluster', 'prod', '--tasks', taskArn);
    expect(described.tasks[0]).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited' });
    expect(described.tasks[0].containers[0].exitCode).toBe(0);

    const stream = `db/migrate/${taskArn.split('/').at(-1)}`;
    const events = await awsJson(
      'logs',
      'get-log-events',
      '--log-group-name',
      '/ecs/shop',
      '--log-stream-name',
      stream,
      '--start-from-head',
    );
    expect(events.events.map((e: { message: string }) => e.message)).toEqual(['migrating', 'applied 3', 'done']);
    const again = await awsJson(
      'logs',
      'get-log-events',
      '--log-group-name',
      '/ecs/shop',
      '--log-stream-name',
      stream,
      '--next-token',
      events.nextForwardToken,
    );
    expect(again.events).toEqual([]);
    expect(again.nextForwardToken).toBe(events.nextForwardToken);
  });
});
