// Interop: the AWS CLI (a client nobody here wrote, with its own models and waiters) against the sandbox's ECS and
// CloudWatch Logs. Debian's awscli predates AWS_ENDPOINT_URL, so every call passes --endpoint-url.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { repoRoot, runAction } from '@ecs-ship/testing';

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

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

let sandbox: Sandbox;
let awsBinary: string | undefined;
const home = mkdtempSync(join(tmpdir(), 'ecs-awscli-'));

function findAws(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', 'command -v aws'], (error, stdout) =>
      resolve(error ? undefined : stdout.trim() || undefined),
    );
  });
}

function aws(...args: string[]): Promise<CliResult> {
  if (!awsBinary) {
    throw new Error(
      'The AWS CLI is not installed. Install Debian\'s awscli ("apt-get install -y awscli"; .ci/run does it) and run the interop suite again.',
    );
  }
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const argv = [...args, '--endpoint-url', sandbox.url, '--region', REGION, '--output', 'json'];
  return new Promise((resolve) => {
    execFile(awsBinary!, argv, { env, timeout: 110_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function awsJson(...args: string[]): Promise<any> {
  const result = await aws(...args);
  if (result.code !== 0) throw new Error(`aws ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout);
}

beforeAll(async () => {
  awsBinary = await findAws();
  sandbox = await startSandbox({ scenario });
});
afterAll(async () => {
  await sandbox?.stop();
});
beforeEach(() => sandbox.load(scenario));

describe('aws ecs against the sandbox', () => {
  it('the AWS CLI is installed', () => {
    expect(awsBinary).toBeDefined();
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

/**
 * After the deploy action followed a canary deployment and a blue/green one whose hook failed, the AWS CLI reads
 * what ECS and the load balancer say: the record's status and last stage, and the production listener rule's weights.
 */
describe('aws ecs and aws elbv2 read what the deploy action reported', () => {
  const trafficShifting = () => {
    const world = parse(readFileSync(join(repoRoot, 'packages/sandbox/scenarios/traffic-shifting.yaml'), 'utf8'));
    return { ...world, region: REGION };
  };
  const deploy = (service: string, image: string) =>
    runAction('ecs-deploy-with-circuit-breaker', {
      inputs: { cluster: 'shop', services: service, image, 'poll-interval-seconds': '0.2' },
      env: sandbox.env(),
      timeoutMs: 60_000,
    });
  /** The production listener rule's weights by target group name. */
  async function productionWeights(ruleName: string): Promise<Record<string, number>> {
    const arn = [...sandbox.state('elbv2').rules.values()].find((rule) => rule.name === ruleName)!.arn;
    const { Rules } = await awsJson('elbv2', 'describe-rules', '--rule-arns', arn);
    const groups = Rules[0].Actions[0].ForwardConfig.TargetGroups as { TargetGroupArn: string; Weight: number }[];
    return Object.fromEntries(groups.map((g) => [g.TargetGroupArn.split('/').at(-2), g.Weight]));
  }

  it('a canary that succeeded: SUCCESSFUL after CLEAN_UP, all production traffic on green', async () => {
    sandbox.load(trafficShifting());
    const run = await deploy('cart', 'registry.example/shop:2');
    expect(run.outputs.result).toBe('succeeded');
    expect(JSON.parse(run.outputs['lifecycle-stages']!)).toEqual({ cart: 'CLEAN_UP' });
    const { services } = await awsJson('ecs', 'describe-services', '--cluster', 'shop', '--services', 'cart');
    const { serviceDeployments } = await awsJson(
      'ecs',
      'describe-service-deployments',
      '--service-deployment-arns',
      services[0].currentServiceDeployment,
    );
    expect(serviceDeployments[0]).toMatchObject({
      status: 'SUCCESSFUL',
      lifecycleStage: 'CLEAN_UP',
      deploymentConfiguration: { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10 } },
      targetServiceRevision: { requestedProductionTrafficWeight: 100 },
    });
    expect(await productionWeights('cart-production')).toEqual({ 'cart-blue': 0, 'cart-green': 100 });
  });

  it('a failed hook: ROLLBACK_SUCCESSFUL, the failed hook listed, all production traffic on blue', async () => {
    sandbox.load(trafficShifting());
    const run = await deploy('web', 'registry.example/shop:broken');
    expect(run.outputs.result).toBe('rolled-back');
    expect(run.outputs['failure-reason']).toMatch(/smoke-tests .* failed at POST_TEST_TRAFFIC_SHIFT/);
    const listed = await awsJson('ecs', 'list-service-deployments', '--cluster', 'shop', '--service', 'web');
    const { serviceDeployments } = await awsJson(
      'ecs',
      'describe-service-deployments',
      '--service-deployment-arns',
      listed.serviceDeployments[0].serviceDeploymentArn,
    );
    expect(serviceDeployments[0].status).toBe('ROLLBACK_SUCCESSFUL');
    expect(serviceDeployments[0].lifecycleHookDetails).toContainEqual(
      expect.objectContaining({ status: 'FAILED', targetArn: expect.stringMatching(/:function:smoke-tests$/) }),
    );
    expect(await productionWeights('web-production')).toEqual({ 'web-blue': 100, 'web-green': 0 });
  });
});
