// Interop: a CodeDeploy deployment the deploy action made, read by the AWS CLI (botocore's models and waiters, not
// ours): `deploy wait deployment-successful` (botocore's DeploymentSuccessful waiter, asked when the deployment has
// ended so that its 15 s delay never runs) on the deployment, its ECS
// target's lifecycle events, the service's task sets (and its empty deployments[]) and the service settings the step
// applied to the CODE_DEPLOY service.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { startAction } from '@ecs-ship/testing';
import { awsCli, type AwsCli } from '@ecs-ship/testing/aws-cli';

const scenario = parse(
  readFileSync(new URL('../../packages/sandbox/scenarios/codedeploy.yaml', import.meta.url), 'utf8'),
) as Record<string, any>;

let sandbox: Sandbox;
let aws: AwsCli;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario });
  aws = awsCli(sandbox.url, 'eu-west-1');
});
afterAll(() => sandbox.stop());

test('the CLI waits for the deployment the step started and reads it, its target and the task sets', async () => {
  const running = startAction('ecs-deploy-with-circuit-breaker', {
    inputs: {
      cluster: 'shop',
      services: 'web',
      image: 'registry.example/shop:2',
      'enable-ecs-managed-tags': 'true',
      'propagate-tags': 'SERVICE',
      'poll-interval-seconds': '0.2',
    },
    env: sandbox.env(),
    timeoutMs: 60_000,
  });
  const started = await running.waitForLine(/CodeDeploy deployment (d-[A-Z0-9]+) started/, 30_000);
  const id = /(d-[A-Z0-9]+)/.exec(started)![1]!;

  // While both task sets run, ECS lists them, and no deployments[].
  const web = () => sandbox.state('ecs').service('eu-west-1', 'shop', 'web')!;
  await sandbox.waitFor(() => web().deployments.length === 2, { timeoutMs: 30_000, description: 'two task sets' });
  const both = await aws.json('ecs', 'describe-task-sets', '--cluster', 'shop', '--service', 'web');
  expect(both.taskSets.map((t: { status: string }) => t.status)).toEqual(['PRIMARY', 'ACTIVE']);
  expect(both.taskSets[1]).toMatchObject({ startedBy: 'CodeDeploy', externalId: id });

  const run = await running.result;
  expect(`exit ${run.exitCode}\n${run.stdout}${run.stderr}`).toMatch(/^exit 0/);
  // Asked once the step ended, botocore's waiter finds the deployment Succeeded at its first call (its delay is 15 s).
  const waited = await aws.run('deploy', 'wait', 'deployment-successful', '--deployment-id', id);
  expect(waited).toMatchObject({ code: 0 });

  const { deploymentInfo } = await aws.json('deploy', 'get-deployment', '--deployment-id', id);
  expect(deploymentInfo).toMatchObject({
    status: 'Succeeded',
    applicationName: 'AppECS-shop-web',
    deploymentGroupName: 'DgpECS-shop-web',
    computePlatform: 'ECS',
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
  });
  const target = await aws.json('deploy', 'get-deployment-target', '--deployment-id', id, '--target-id', 'shop:web');
  expect(target.deploymentTarget.ecsTarget.lifecycleEvents.map((e: { status: string }) => e.status)).toEqual(
    Array(8).fill('Succeeded'),
  );

  const { services } = await aws.json('ecs', 'describe-services', '--cluster', 'shop', '--services', 'web');
  expect(services[0]).toMatchObject({
    deploymentController: { type: 'CODE_DEPLOY' },
    deployments: [],
    enableECSManagedTags: true,
    propagateTags: 'SERVICE',
  });
  expect(services[0].taskSets).toEqual([
    expect.objectContaining({ status: 'PRIMARY', taskDefinition: expect.stringMatching(/task-definition\/shop:2$/) }),
  ]);
});

test('the CLI sees a failed deployment the way the waiter fails on it', async () => {
  sandbox.load(scenario);
  const failing = await aws.json(
    'deploy',
    'create-deployment',
    '--application-name',
    'AppECS-shop-web',
    '--deployment-group-name',
    'DgpECS-shop-web',
    '--revision',
    JSON.stringify({
      revisionType: 'AppSpecContent',
      appSpecContent: {
        content: JSON.stringify({
          version: 0.0,
          Resources: [
            {
              TargetService: {
                Type: 'AWS::ECS::Service',
                Properties: {
                  TaskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/missing:1',
                  LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 },
                },
              },
            },
          ],
        }),
      },
    }),
  );
  const waited = await aws.run('deploy', 'wait', 'deployment-successful', '--deployment-id', failing.deploymentId);
  expect(waited.code).not.toBe(0);
  expect(waited.stderr).toMatch(/Waiter DeploymentSuccessful failed/);
  const { deploymentInfo } = await aws.json('deploy', 'get-deployment', '--deployment-id', failing.deploymentId);
  expect(deploymentInfo).toMatchObject({ status: 'Failed', errorInformation: { code: 'ECS_UPDATE_ERROR' } });
});
