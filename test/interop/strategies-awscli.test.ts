// Interop: after the deploy action followed a canary deployment and a blue/green one whose hook failed, the AWS CLI
// (botocore's models, not ours) reads what ECS and the load balancer say: the record's status and last stage, the
// failed hook, and the production listener rule's weights.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { repoRoot, runAction } from '@ecs-ship/testing';
import { awsCli, type AwsCli } from '@ecs-ship/testing/aws-cli';

const REGION = 'eu-west-1';
const scenario = () =>
  parse(readFileSync(join(repoRoot, 'packages/sandbox/scenarios/traffic-shifting.yaml'), 'utf8')) as Record<
    string,
    any
  >;

let sandbox: Sandbox;
let aws: AwsCli;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: scenario() });
  aws = awsCli(sandbox.url, REGION);
});
afterAll(() => sandbox?.stop());
beforeEach(() => sandbox.load(scenario()));

const deploy = (service: string, image: string) =>
  runAction('ecs-deploy-with-circuit-breaker', {
    inputs: { cluster: 'shop', services: service, image, 'poll-interval-seconds': '0.2' },
    env: sandbox.env(),
    timeoutMs: 60_000,
  });

/** A production listener rule's weights by target group name, as `aws elbv2 describe-rules` reads them. */
async function weights(ruleName: string): Promise<Record<string, number>> {
  const arn = [...sandbox.state('elbv2').rules.values()].find((rule) => rule.name === ruleName)!.arn;
  const { Rules } = await aws.json('elbv2', 'describe-rules', '--rule-arns', arn);
  const groups = Rules[0].Actions[0].ForwardConfig.TargetGroups as { TargetGroupArn: string; Weight: number }[];
  return Object.fromEntries(groups.map((g) => [g.TargetGroupArn.split('/').at(-2), g.Weight]));
}

test('a canary that succeeded: SUCCESSFUL after CLEAN_UP, all production traffic on green', async () => {
  const run = await deploy('cart', 'registry.example/shop:2');
  expect(run.outputs.result).toBe('succeeded');
  expect(JSON.parse(run.outputs['lifecycle-stages']!)).toEqual({ cart: 'CLEAN_UP' });
  const { services } = await aws.json('ecs', 'describe-services', '--cluster', 'shop', '--services', 'cart');
  const { serviceDeployments } = await aws.json(
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
  expect(await weights('cart-production')).toEqual({ 'cart-blue': 0, 'cart-green': 100 });
});

test('a failed hook: ROLLBACK_SUCCESSFUL, the failed hook listed, all production traffic on blue', async () => {
  const run = await deploy('web', 'registry.example/shop:broken');
  expect(run.outputs.result).toBe('rolled-back');
  expect(run.outputs['failure-reason']).toMatch(/smoke-tests .* failed at POST_TEST_TRAFFIC_SHIFT/);
  const listed = await aws.json('ecs', 'list-service-deployments', '--cluster', 'shop', '--service', 'web');
  const { serviceDeployments } = await aws.json(
    'ecs',
    'describe-service-deployments',
    '--service-deployment-arns',
    listed.serviceDeployments[0].serviceDeploymentArn,
  );
  expect(serviceDeployments[0].status).toBe('ROLLBACK_SUCCESSFUL');
  expect(serviceDeployments[0].lifecycleHookDetails).toContainEqual(
    expect.objectContaining({ status: 'FAILED', targetArn: expect.stringMatching(/:function:smoke-tests$/) }),
  );
  expect(await weights('web-production')).toEqual({ 'web-blue': 100, 'web-green': 0 });
});
