// Interop: preview environments made and removed by the deploy action's bundle, read back with the AWS CLI
// (botocore's models and waiters, not ours): a service created from the template with the preview tag, its own target
// group and host rule, reachable through that rule; deployed again in place; removed with its rule and target group,
// and seen INACTIVE by botocore's services-inactive waiter.
import { request } from 'node:http';
import { jest } from '@jest/globals';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { awsCli as cli, type AwsCli } from '@ecs-ship/testing/aws-cli';
import { changesMade, deploy, explain, scenario } from '../ecs-deploy/helpers.js';

jest.setTimeout(90_000);

const HOST = 'shop-pr-7.preview.example.com';
const PREVIEW = { cluster: 'shop', services: 'shop-pr-7', 'create-from': 'shop-staging', 'preview-host': HOST };

let sandbox: Sandbox;
let aws: AwsCli;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: scenario('preview') });
  aws = cli(sandbox.url, 'eu-west-1');
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(scenario('preview')));

const operations = (service?: string) => changesMade(sandbox, service);

/** A GET through the load balancer: the sandbox answers as the listener rule for the Host header routes it. */
function viaLoadBalancer(host: string): Promise<{ status: number; body: any }> {
  const url = new URL(sandbox.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: '/health', headers: { host } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function listenerRules(port: number): Promise<any[]> {
  const { LoadBalancers } = await aws.json('elbv2', 'describe-load-balancers', '--names', 'shop');
  const { Listeners } = await aws.json(
    'elbv2',
    'describe-listeners',
    '--load-balancer-arn',
    LoadBalancers[0].LoadBalancerArn,
  );
  const listener = Listeners.find((l: any) => l.Port === port);
  return (await aws.json('elbv2', 'describe-rules', '--listener-arn', listener.ListenerArn)).Rules;
}

const hostRule = async () =>
  (await listenerRules(443)).find((rule) => rule.Conditions.some((c: any) => c.Field === 'host-header'));

test('created from the template, tagged, deployed and reachable through its own rule; deployed again in place', async () => {
  const run = await deploy(sandbox, { ...PREVIEW, image: 'registry.example/web:2' });
  expect([run.exitCode, run.outputs.result, run.exitCode === 0 ? '' : explain(run)]).toEqual([0, 'succeeded', '']);
  expect(run.outputs['preview-url']).toBe(`https://${HOST}/`);
  // Made in the order that lets each step find the one before, and only then deployed.
  expect(operations()).toEqual([
    'CreateTargetGroup',
    'CreateRule',
    'CreateService',
    'RegisterTaskDefinition',
    'UpdateService',
  ]);

  const { services } = await aws.json(
    'ecs',
    'describe-services',
    '--cluster',
    'shop',
    '--services',
    'shop-pr-7',
    'shop-staging',
    '--include',
    'TAGS',
  );
  const [preview, template] = services;
  expect(preview).toMatchObject({
    status: 'ACTIVE',
    desiredCount: 1,
    runningCount: 1,
    launchType: 'FARGATE',
    networkConfiguration: template.networkConfiguration,
    enableECSManagedTags: true,
    propagateTags: 'SERVICE',
    deploymentConfiguration: expect.objectContaining({
      maximumPercent: 200,
      minimumHealthyPercent: 50,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    }),
    loadBalancers: [expect.objectContaining({ containerName: 'web', containerPort: 8080 })],
  });
  expect(preview.tags).toEqual(
    expect.arrayContaining([
      { key: 'team', value: 'shop' },
      { key: 'ecs-ship:preview', value: 'shop-pr-7' },
    ]),
  );
  expect(template.desiredCount).toBe(2);

  // The target group is made like the template's, and the host rule takes the lowest free priority on HTTPS.
  const { TargetGroups } = await aws.json('elbv2', 'describe-target-groups', '--names', 'shop-pr-7');
  expect(TargetGroups[0]).toMatchObject({
    TargetGroupArn: preview.loadBalancers[0].targetGroupArn,
    Protocol: 'HTTP',
    Port: 8080,
    HealthCheckPath: '/health',
    Matcher: { HttpCode: '200-299' },
  });
  const rule = await hostRule();
  expect(rule).toMatchObject({
    Priority: '3',
    Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: [HOST] } }],
    Actions: [expect.objectContaining({ Type: 'forward', TargetGroupArn: TargetGroups[0].TargetGroupArn })],
  });
  const tags = await aws.json(
    'elbv2',
    'describe-tags',
    '--resource-arns',
    rule.RuleArn,
    TargetGroups[0].TargetGroupArn,
  );
  for (const description of tags.TagDescriptions) {
    expect(description.Tags).toEqual([{ Key: 'ecs-ship:preview', Value: 'shop-pr-7' }]);
  }
  expect(await viaLoadBalancer(HOST)).toMatchObject({ status: 200, body: { service: 'shop-pr-7', version: '2' } });
  expect(await viaLoadBalancer('staging.example.com')).toMatchObject({ status: 404 });

  sandbox.recorder.clear();
  const again = await deploy(sandbox, { ...PREVIEW, image: 'registry.example/web:3' });
  expect([again.exitCode, again.outputs.result, again.exitCode === 0 ? '' : explain(again)]).toEqual([
    0,
    'succeeded',
    '',
  ]);
  expect(again.outputs['preview-url']).toBe(`https://${HOST}/`);
  expect(operations()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  expect(await viaLoadBalancer(HOST)).toMatchObject({ status: 200, body: { version: '3' } });
});

test('mode: delete removes the service, its rule and its target group, and the CLI waiter sees it INACTIVE', async () => {
  await deploy(sandbox, { ...PREVIEW, image: 'registry.example/web:2' });
  sandbox.recorder.clear();
  const run = await deploy(sandbox, { mode: 'delete', cluster: 'shop', services: 'shop-pr-7' });
  expect([run.exitCode, run.outputs.result, run.exitCode === 0 ? '' : explain(run)]).toEqual([0, 'deleted', '']);
  expect(operations()).toEqual(['UpdateService', 'DeleteService', 'DeleteRule', 'DeleteTargetGroup']);
  expect(sandbox.recorder.calls({ operation: 'DeleteService' })[0]!.params).toMatchObject({ force: true });
  expect(run.summary).toMatch(
    /\| `shop-pr-7` \| removed \| service shop-pr-7, listener rule \(priority 3\), target group shop-pr-7 \|/,
  );

  const waited = await aws.run('ecs', 'wait', 'services-inactive', '--cluster', 'shop', '--services', 'shop-pr-7');
  expect(waited.code).toBe(0);
  expect(await hostRule()).toBeUndefined();
  const gone = await aws.run('elbv2', 'describe-target-groups', '--names', 'shop-pr-7');
  expect([gone.code, gone.stderr]).toEqual([255, expect.stringContaining('TargetGroupNotFound')]);
  expect(await viaLoadBalancer(HOST)).toMatchObject({ status: 404 });

  // The pull request closed twice: nothing left, nothing fails.
  const twice = await deploy(sandbox, { mode: 'delete', cluster: 'shop', services: 'shop-pr-7' });
  expect([twice.exitCode, twice.outputs.result, twice.outputs.changed]).toEqual([0, 'deleted', 'false']);
});
