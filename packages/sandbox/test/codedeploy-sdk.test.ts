// CodeDeploy blue/green deployments of ECS services through the real AWS SDK (CodeDeploy, ECS), every answer checked
// against botocore's codedeploy and ecs models: the lifecycle events in order, the task sets ECS lists as CodeDeploy
// moves them, the listener weights, a failing hook with its diagnostics and the rollback deployment, StopDeployment,
// the ready wait with ContinueDeployment, and the errors of requests CodeDeploy refuses.
import {
  CodeDeployClient,
  ContinueDeploymentCommand,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand,
  type DeploymentInfo,
} from '@aws-sdk/client-codedeploy';
import { DescribeServicesCommand, DescribeTaskSetsCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { fileURLToPath } from 'node:url';
import { startSandbox, type Sandbox } from '../src/index.js';
import { registerShop, sdkConfig } from './sdk.js';

const SCENARIO = fileURLToPath(new URL('../scenarios/codedeploy.yaml', import.meta.url));
let sandbox: Sandbox;
let ecs: ECSClient;
let codedeploy: CodeDeployClient;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: SCENARIO, checkModels: true });
  const config = sdkConfig(sandbox);
  ecs = new ECSClient(config);
  codedeploy = new CodeDeployClient(config);
});
afterAll(async () => {
  ecs.destroy();
  codedeploy.destroy();
  await sandbox.stop();
});
beforeEach(() => sandbox.load(SCENARIO));
afterEach(() => expect(sandbox.takeViolations()).toEqual([]));

const release = (image: string) => registerShop(ecs, image);

function appSpec(taskDefinition: string, hooks: Record<string, string>[] = []): string {
  return JSON.stringify({
    version: 0.0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: taskDefinition,
            LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 },
          },
        },
      },
    ],
    Hooks: hooks,
  });
}

async function create(service: 'web' | 'api', taskDefinition: string, hooks: Record<string, string>[] = []) {
  const answer = await codedeploy.send(
    new CreateDeploymentCommand({
      applicationName: `AppECS-shop-${service}`,
      deploymentGroupName: `DgpECS-shop-${service}`,
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec(taskDefinition, hooks) } },
    }),
  );
  return answer.deploymentId!;
}

async function get(id: string): Promise<DeploymentInfo> {
  return (await codedeploy.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo!;
}

async function until(id: string, done: (d: DeploymentInfo) => boolean): Promise<DeploymentInfo> {
  let info = await get(id);
  while (!done(info)) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    info = await get(id);
  }
  return info;
}

async function target(id: string) {
  const { targetIds } = await codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId: id }));
  expect(targetIds).toHaveLength(1);
  const answer = await codedeploy.send(new GetDeploymentTargetCommand({ deploymentId: id, targetId: targetIds![0]! }));
  return answer.deploymentTarget!.ecsTarget!;
}

function weights(rule: string): Record<string, number> {
  const found = [...sandbox.state('elbv2').rules.values()].find((r) => r.name === rule)!;
  return Object.fromEntries(found.forward!.map((t) => [t.targetGroupArn.split('/').at(-2)!, t.weight]));
}

test('a canary deployment: lifecycle events in order, task sets moving, production 10% then 100%', async () => {
  const taskDefinition = await release('registry.example/shop:2');
  const id = await create('web', taskDefinition, [{ AfterAllowTestTraffic: 'smoke' }]);
  const during = await until(id, (d) => d.status === 'InProgress');
  expect(during).toMatchObject({
    computePlatform: 'ECS',
    creator: 'user',
    deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
  });

  // While both task sets run, ECS lists them (deployments[] stays empty under CODE_DEPLOY).
  await sandbox.waitFor(async () => (await target(id)).taskSetsInfo!.length === 2, { timeoutMs: 5000 });
  const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'shop', services: ['web'] }));
  expect(services![0]!.deployments).toEqual([]);
  expect(services![0]!.taskSets!.map((t) => t.status)).toEqual(['PRIMARY', 'ACTIVE']);
  const sets = await ecs.send(new DescribeTaskSetsCommand({ cluster: 'shop', service: 'web' }));
  expect(sets.taskSets!.map((t) => [t.status, t.startedBy, t.externalId])).toEqual([
    ['PRIMARY', 'CodeDeploy', undefined],
    ['ACTIVE', 'CodeDeploy', id],
  ]);

  const done = await until(id, (d) => d.status === 'Succeeded' || d.status === 'Failed');
  expect(done.status).toBe('Succeeded');
  const events = (await target(id)).lifecycleEvents!;
  expect(events.map((e) => [e.lifecycleEventName, e.status])).toEqual([
    ['BeforeInstall', 'Succeeded'],
    ['Install', 'Succeeded'],
    ['AfterInstall', 'Succeeded'],
    ['AllowTestTraffic', 'Succeeded'],
    ['AfterAllowTestTraffic', 'Succeeded'],
    ['BeforeAllowTraffic', 'Succeeded'],
    ['AllowTraffic', 'Succeeded'],
    ['AfterAllowTraffic', 'Succeeded'],
  ]);
  const starts = events.map((e) => e.startTime!.getTime());
  expect([...starts].sort((a, b) => a - b)).toEqual(starts);
  const history = sandbox
    .state('elbv2')
    .history.filter((c) => c.by.includes(id) && c.ruleArn.includes('/'))
    .map((c) => Object.entries(c.weights).find(([group]) => group.includes('/web-green/'))![1]);
  expect(history).toEqual([100, 10, 100]); // test listener, then production 10%, then 100%
  expect(weights('web-production')).toEqual({ 'web-blue': 0, 'web-green': 100 });
  const after = await ecs.send(new DescribeServicesCommand({ cluster: 'shop', services: ['web'] }));
  expect(after.services![0]!.taskDefinition).toBe(taskDefinition);
  expect(after.services![0]!.taskSets!.map((t) => [t.status, t.taskDefinition])).toEqual([['PRIMARY', taskDefinition]]);
});

test('a failing hook fails the deployment with its diagnostics; the rollback deployment restores blue', async () => {
  const taskDefinition = await release('registry.example/shop:broken');
  const id = await create('web', taskDefinition, [
    { AfterAllowTestTraffic: 'arn:aws:lambda:eu-west-1:123456789012:function:smoke' },
  ]);
  const failed = await until(id, (d) => d.status === 'Failed' || d.status === 'Succeeded');
  expect(failed.status).toBe('Failed');
  expect(failed.errorInformation?.code).toBe('HOOK_EXECUTION_FAILURE');
  expect(failed.errorInformation?.message).toContain('smoke tests failed: GET /health answered 500');
  const rollbackId = failed.rollbackInfo!.rollbackDeploymentId!;
  const event = (await target(id)).lifecycleEvents!.find((e) => e.lifecycleEventName === 'AfterAllowTestTraffic')!;
  expect(event).toMatchObject({ status: 'Failed', diagnostics: { errorCode: 'ScriptFailed' } });
  const rollback = await until(rollbackId, (d) => d.status === 'Succeeded' || d.status === 'Failed');
  expect(rollback).toMatchObject({
    status: 'Succeeded',
    creator: 'codeDeployRollback',
    rollbackInfo: { rollbackTriggeringDeploymentId: id },
  });
  expect(weights('web-production')).toEqual({ 'web-blue': 100, 'web-green': 0 });
  expect(weights('web-test')).toEqual({ 'web-blue': 100, 'web-green': 0 });
  const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'shop', services: ['web'] }));
  expect(services![0]!.taskSets!.map((t) => t.taskDefinition)).toEqual([
    expect.stringMatching(/:task-definition\/shop:1$/),
  ]);
});

test('a ready wait: Ready with test traffic on green; ContinueDeployment goes on; StopDeployment rolls back', async () => {
  const group = await codedeploy.send(
    new GetDeploymentGroupCommand({ applicationName: 'AppECS-shop-api', deploymentGroupName: 'DgpECS-shop-api' }),
  );
  expect(group.deploymentGroupInfo!.blueGreenDeploymentConfiguration!.deploymentReadyOption).toEqual({
    actionOnTimeout: 'STOP_DEPLOYMENT',
    waitTimeInMinutes: 60,
  });
  const taskDefinition = await release('registry.example/shop:2');
  const id = await create('api', taskDefinition);
  await until(id, (d) => d.status === 'Ready');
  expect(weights('api-test')).toEqual({ 'api-blue': 0, 'api-green': 100 });
  expect(weights('api-production')).toEqual({ 'api-blue': 100, 'api-green': 0 });
  await codedeploy.send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'READY_WAIT' }));
  expect((await until(id, (d) => d.status !== 'Ready' && d.status !== 'InProgress')).status).toBe('Succeeded');

  const second = await create('api', await release('registry.example/shop:broken'));
  await until(second, (d) => d.status === 'Ready');
  const stop = await codedeploy.send(new StopDeploymentCommand({ deploymentId: second, autoRollbackEnabled: true }));
  expect(stop.status).toBe('Pending');
  const stopped = await get(second);
  expect(stopped).toMatchObject({ status: 'Stopped', errorInformation: { code: 'MANUAL_STOP' } });
  await until(stopped.rollbackInfo!.rollbackDeploymentId!, (d) => d.status === 'Succeeded');
  expect(weights('api-production')).toEqual({ 'api-blue': 0, 'api-green': 100 }); // production never moved
  expect(weights('api-test')).toEqual({ 'api-blue': 0, 'api-green': 100 });
});

test('requests CodeDeploy refuses, and UpdateService refusing a new task definition under CODE_DEPLOY', async () => {
  const send = (input: Record<string, unknown>) =>
    codedeploy.send(new CreateDeploymentCommand(input as never)).then(
      () => 'ok',
      (error: Error) => `${error.name}: ${error.message}`,
    );
  expect(await send({ applicationName: 'nope', deploymentGroupName: 'x', revision: {} })).toMatch(
    /^ApplicationDoesNotExistException/,
  );
  expect(await send({ applicationName: 'AppECS-shop-web', deploymentGroupName: 'x' })).toMatch(
    /^DeploymentGroupDoesNotExistException/,
  );
  expect(
    await send({
      applicationName: 'AppECS-shop-web',
      deploymentGroupName: 'DgpECS-shop-web',
      revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'appspec.yaml', bundleType: 'YAML' } },
    }),
  ).toMatch(/^InvalidRevisionException: .*S3 revision is not modelled/);
  const taskDefinition = await release('registry.example/shop:2');
  await create('web', taskDefinition);
  expect(
    await send({
      applicationName: 'AppECS-shop-web',
      deploymentGroupName: 'DgpECS-shop-web',
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec(taskDefinition) } },
    }),
  ).toMatch(/^DeploymentLimitExceededException/);
  await expect(ecs.send(new UpdateServiceCommand({ cluster: 'shop', service: 'web', taskDefinition }))).rejects.toThrow(
    /Use AWS CodeDeploy to trigger a new deployment/,
  );
});

test('an AppSpec naming a task definition that does not exist fails at Install; the rollback has nothing to remove', async () => {
  const id = await create('web', 'arn:aws:ecs:eu-west-1:123456789012:task-definition/missing:1');
  const failed = await until(id, (d) => d.status === 'Failed' || d.status === 'Succeeded');
  expect(failed).toMatchObject({ status: 'Failed', errorInformation: { code: 'ECS_UPDATE_ERROR' } });
  const rollback = await until(failed.rollbackInfo!.rollbackDeploymentId!, (d) => d.status !== 'InProgress');
  expect(rollback.status).toBe('Succeeded');
  const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'shop', services: ['web'] }));
  expect(services![0]!.taskSets!.map((t) => t.status)).toEqual(['PRIMARY']);
});
