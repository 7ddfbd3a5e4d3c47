// The ELBv2 operations a preview environment uses, through the real AWS SDK, every answer checked against botocore's
// elbv2 model by the test setup: load balancers, listeners, target groups and tags read; target groups and rules
// created and deleted, with ELB's errors (PriorityInUse, DuplicateTargetGroupName, ResourceInUse,
// TargetGroupNotFound, TargetGroupAssociationLimit); a host rule routing requests; and ECS's DeleteService: refused
// above 0 tasks without force, then DRAINING until its tasks stopped, then INACTIVE.
import { request } from 'node:http';
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  ListServicesCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { startSandbox, type Sandbox } from '../src/index.js';
import { sdkConfig } from './sdk.js';

const WORLD = {
  region: 'eu-west-1',
  timeScale: 0.02,
  elbv2: {
    targetGroups: [{ name: 'web', port: 8080, healthCheckPath: '/health' }],
    loadBalancers: [
      {
        name: 'shop',
        listeners: [{ port: 443, protocol: 'HTTPS', rules: [{ name: 'web', priority: 1, forward: ['web'] }] }],
      },
      {
        name: 'other',
        vpcId: 'vpc-0ffffffffffffffff',
        listeners: [{ port: 80, rules: [{ name: 'other', priority: 1, forward: ['other'] }] }],
      },
    ],
  },
  ecs: {
    clusters: ['shop'],
    images: { 'registry.example/web:1': { behaviour: 'healthy', startDelay: 1, healthyAfter: 1 } },
    taskDefinitions: [
      {
        family: 'web',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          { name: 'web', image: 'registry.example/web:1', portMappings: [{ containerPort: 8080 }] },
        ],
      },
    ],
    services: [
      {
        cluster: 'shop',
        serviceName: 'web',
        taskDefinition: 'web',
        desiredCount: 1,
        loadBalancers: [{ targetGroupArn: 'web', containerName: 'web', containerPort: 8080 }],
      },
    ],
  },
};

let sandbox: Sandbox;
let elb: ElasticLoadBalancingV2Client;
let ecs: ECSClient;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: WORLD, checkModels: true });
  const config = sdkConfig(sandbox, { maxAttempts: 1 });
  elb = new ElasticLoadBalancingV2Client(config);
  ecs = new ECSClient(config);
});
afterAll(async () => {
  elb.destroy();
  ecs.destroy();
  await sandbox.stop();
});
beforeEach(() => sandbox.load(WORLD));
afterEach(() => expect(sandbox.takeViolations()).toEqual([]));

async function shop() {
  const { LoadBalancers = [] } = await elb.send(new DescribeLoadBalancersCommand({ Names: ['shop'] }));
  const lb = LoadBalancers[0]!;
  const { Listeners = [] } = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
  return { lb, listener: Listeners[0]! };
}

const newGroup = (name: string, vpc = 'vpc-0a1b2c3d4e5f60718') =>
  elb.send(
    new CreateTargetGroupCommand({
      Name: name,
      Protocol: 'HTTP',
      Port: 8080,
      VpcId: vpc,
      TargetType: 'ip',
      HealthCheckPath: '/health',
      Tags: [{ Key: 'ecs-ship:preview', Value: name }],
    }),
  );

test('reads load balancers, listeners and target groups as ELB describes them', async () => {
  const { lb, listener } = await shop();
  expect(lb).toMatchObject({ LoadBalancerName: 'shop', Type: 'application', State: { Code: 'active' } });
  expect(listener).toMatchObject({ Port: 443, Protocol: 'HTTPS', LoadBalancerArn: lb.LoadBalancerArn });
  const { TargetGroups = [] } = await elb.send(new DescribeTargetGroupsCommand({ Names: ['web'] }));
  expect(TargetGroups[0]).toMatchObject({
    Port: 8080,
    HealthCheckPath: '/health',
    LoadBalancerArns: [lb.LoadBalancerArn],
  });
  await expect(elb.send(new DescribeLoadBalancersCommand({ Names: ['nope'] }))).rejects.toMatchObject({
    name: 'LoadBalancerNotFoundException',
  });
  await expect(elb.send(new DescribeTargetGroupsCommand({ Names: ['nope'] }))).rejects.toMatchObject({
    name: 'TargetGroupNotFoundException',
  });
});

test('target groups: an identical create answers the same group, other settings are a duplicate name', async () => {
  const first = (await newGroup('pr-7')).TargetGroups![0]!;
  const again = (await newGroup('pr-7')).TargetGroups![0]!;
  expect(again.TargetGroupArn).toBe(first.TargetGroupArn);
  await expect(
    elb.send(
      new CreateTargetGroupCommand({ Name: 'pr-7', Protocol: 'HTTP', Port: 9090, VpcId: 'vpc-0a1b2c3d4e5f60718' }),
    ),
  ).rejects.toMatchObject({ name: 'DuplicateTargetGroupNameException' });
  await expect(
    elb.send(new CreateTargetGroupCommand({ Name: 'pr_7', Protocol: 'HTTP', Port: 80, VpcId: 'vpc-1' })),
  ).rejects.toMatchObject({
    name: 'ValidationError',
  });
  const { TagDescriptions = [] } = await elb.send(new DescribeTagsCommand({ ResourceArns: [first.TargetGroupArn!] }));
  expect(TagDescriptions[0]!.Tags).toEqual([{ Key: 'ecs-ship:preview', Value: 'pr-7' }]);
});

test('rules: a taken priority, a missing or foreign target group are refused; a group in use cannot be deleted', async () => {
  const { listener } = await shop();
  const group = (await newGroup('pr-7')).TargetGroups![0]!;
  const rule = (host: string, priority: number, targetGroupArn = group.TargetGroupArn!) =>
    elb.send(
      new CreateRuleCommand({
        ListenerArn: listener.ListenerArn,
        Priority: priority,
        Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: [host] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
      }),
    );
  await expect(rule('pr-7.example.com', 1)).rejects.toMatchObject({ name: 'PriorityInUseException' });
  const created = (await rule('pr-7.example.com', 2)).Rules![0]!;
  expect(created).toMatchObject({
    Priority: '2',
    Conditions: [{ Field: 'host-header', Values: ['pr-7.example.com'] }],
  });
  await expect(rule('x.example.com', 3, group.TargetGroupArn!.replace('pr-7', 'gone'))).rejects.toMatchObject({
    name: 'TargetGroupNotFoundException',
  });
  const foreign = (await newGroup('foreign', 'vpc-0ffffffffffffffff')).TargetGroups![0]!;
  await expect(rule('y.example.com', 4, foreign.TargetGroupArn!)).rejects.toMatchObject({
    name: 'InvalidConfigurationRequestException',
  });
  await expect(elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: group.TargetGroupArn }))).rejects.toMatchObject({
    name: 'ResourceInUseException',
  });

  // The host rule routes: a request for its host reaches a service registered in the group.
  await ecs.send(
    new CreateServiceCommand({
      cluster: 'shop',
      serviceName: 'pr-7',
      taskDefinition: 'web',
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d4e5f60718'] } },
      loadBalancers: [{ targetGroupArn: group.TargetGroupArn, containerName: 'web', containerPort: 8080 }],
    }),
  );
  await sandbox.waitFor(async () => (await get('pr-7.example.com')).status === 200, { timeoutMs: 10_000 });
  expect((await get('pr-7.example.com')).body).toMatchObject({ service: 'pr-7' });

  await elb.send(new DeleteRuleCommand({ RuleArn: created.RuleArn }));
  await expect(elb.send(new DeleteRuleCommand({ RuleArn: created.RuleArn }))).rejects.toMatchObject({
    name: 'RuleNotFoundException',
  });
  await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: group.TargetGroupArn }));
  await expect(elb.send(new DescribeTargetGroupsCommand({ Names: ['pr-7'] }))).rejects.toMatchObject({
    name: 'TargetGroupNotFoundException',
  });
});

test('ECS: a target group no load balancer forwards to is refused by CreateService', async () => {
  const group = (await newGroup('lonely')).TargetGroups![0]!;
  await expect(
    ecs.send(
      new CreateServiceCommand({
        cluster: 'shop',
        serviceName: 'lonely',
        taskDefinition: 'web',
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d4e5f60718'] } },
        loadBalancers: [{ targetGroupArn: group.TargetGroupArn, containerName: 'web', containerPort: 8080 }],
      }),
    ),
  ).rejects.toMatchObject({
    name: 'InvalidParameterException',
    message: expect.stringContaining('does not have an associated load balancer'),
  });
});

test('ECS DeleteService: refused above 0 tasks without force; with force DRAINING, then INACTIVE', async () => {
  await expect(ecs.send(new DeleteServiceCommand({ cluster: 'shop', service: 'web' }))).rejects.toMatchObject({
    name: 'InvalidParameterException',
  });
  const deleted = await ecs.send(new DeleteServiceCommand({ cluster: 'shop', service: 'web', force: true }));
  expect(deleted.service).toMatchObject({ status: 'DRAINING', desiredCount: 0 });
  // No longer listed once it is being deleted, still described.
  expect((await ecs.send(new ListServicesCommand({ cluster: 'shop' }))).serviceArns).toEqual([]);
  const status = async () =>
    (await ecs.send(new DescribeServicesCommand({ cluster: 'shop', services: ['web'] }))).services![0]!.status;
  await sandbox.waitFor(async () => (await status()) === 'INACTIVE', { timeoutMs: 10_000 });
  await expect(
    ecs.send(new DeleteServiceCommand({ cluster: 'shop', service: 'web', force: true })),
  ).rejects.toMatchObject({
    name: 'ServiceNotFoundException',
  });
});

function get(host: string): Promise<{ status: number; body: any }> {
  const url = new URL(sandbox.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: '/', headers: { host } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') }));
    });
    req.on('error', reject);
    req.end();
  });
}
