// The pure parts of preview environments: the CreateService request copied from a real-shaped template, what it
// leaves out and why, the target group's name within ELB's limits, and the preview's URL.
import type { Service } from '@aws-sdk/client-ecs';
import { marksPreview, previewServiceRequest, previewTargetGroupName, previewUrl } from '../src/preview/index.js';

const TEMPLATE: Service = {
  serviceName: 'shop-staging',
  taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-staging:7',
  desiredCount: 3,
  capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
  platformVersion: 'LATEST',
  networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'] } },
  deploymentConfiguration: {
    strategy: 'BLUE_GREEN',
    bakeTimeInMinutes: 5,
    lifecycleHooks: [
      {
        hookTargetArn: 'arn:aws:lambda:eu-west-1:123456789012:function:t',
        lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
      },
    ],
    deploymentCircuitBreaker: { enable: true, rollback: true },
    maximumPercent: 200,
    minimumHealthyPercent: 100,
  },
  loadBalancers: [{ targetGroupArn: 'arn:tg/staging', containerName: 'web', containerPort: 8080 }],
  serviceRegistries: [{ registryArn: 'arn:aws:servicediscovery:eu-west-1:123456789012:service/srv-1' }],
  deployments: [
    {
      status: 'PRIMARY',
      serviceConnectConfiguration: {
        enabled: true,
        namespace: 'shop',
        services: [{ portName: 'http', discoveryName: 'web' }],
      },
    },
  ],
  tags: [
    { key: 'team', value: 'shop' },
    { key: 'aws:cloudformation:stack-name', value: 'shop' },
    { key: 'ecs-ship:preview', value: 'shop-staging' },
  ],
  enableECSManagedTags: true,
  propagateTags: 'SERVICE',
  healthCheckGracePeriodSeconds: 30,
};

test('a copy of the template at 0 tasks, rolling, a Service Connect client, tagged as the preview', () => {
  const { request, leftOut } = previewServiceRequest(TEMPLATE, {
    cluster: 'shop',
    service: 'shop-pr-7',
    targetGroup: { arn: 'arn:tg/pr-7', containerName: 'web', containerPort: 8080 },
  });
  expect(request).toEqual({
    cluster: 'shop',
    serviceName: 'shop-pr-7',
    taskDefinition: TEMPLATE.taskDefinition,
    desiredCount: 0,
    capacityProviderStrategy: TEMPLATE.capacityProviderStrategy,
    platformVersion: 'LATEST',
    networkConfiguration: TEMPLATE.networkConfiguration,
    deploymentConfiguration: {
      strategy: 'ROLLING',
      deploymentCircuitBreaker: { enable: true, rollback: true },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    },
    deploymentController: { type: 'ECS' },
    enableECSManagedTags: true,
    propagateTags: 'SERVICE',
    tags: [
      { key: 'team', value: 'shop' },
      { key: 'ecs-ship:preview', value: 'shop-pr-7' },
    ],
    loadBalancers: [{ targetGroupArn: 'arn:tg/pr-7', containerName: 'web', containerPort: 8080 }],
    healthCheckGracePeriodSeconds: 30,
    serviceConnectConfiguration: { enabled: true, namespace: 'shop' },
  });
  expect(leftOut).toEqual([
    expect.stringMatching(/^service registries/),
    expect.stringMatching(/^Service Connect endpoints/),
    expect.stringMatching(/^the BLUE_GREEN strategy/),
    expect.stringMatching(/^lifecycle hooks/),
  ]);
  expect(marksPreview(request.tags, 'shop-pr-7')).toBe(true);
  expect(marksPreview(TEMPLATE.tags, 'shop-pr-7')).toBe(false);
});

test("without a target group of its own, the preview joins none of the template's", () => {
  const { request, leftOut } = previewServiceRequest(
    { ...TEMPLATE, launchType: 'FARGATE', capacityProviderStrategy: [] },
    { cluster: 'shop', service: 'shop-pr-7' },
  );
  expect(request.loadBalancers).toBeUndefined();
  expect(request.launchType).toBe('FARGATE');
  expect(leftOut).toContainEqual(expect.stringMatching(/^load balancers: without preview-host/));
});

test.each([
  ['shop-pr-7', 'shop-pr-7'],
  ['shop_pr_7', /^shop-pr-7-[0-9a-f]{8}$/],
  ['a-very-long-application-name-pr-1234', /^a-very-long-application-[0-9a-f]{8}$/],
  ['_', /^preview-[0-9a-f]{8}$/],
])('the target group of %s fits ELB: %s', (service, expected) => {
  const name = previewTargetGroupName(service);
  if (typeof expected === 'string') expect(name).toBe(expected);
  else expect(name).toMatch(expected);
  expect(name).toMatch(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/);
});

test('two long names that share their start get two target groups', () => {
  const a = previewTargetGroupName('a-very-long-application-name-pr-1234');
  const b = previewTargetGroupName('a-very-long-application-name-pr-1235');
  expect(a).not.toBe(b);
});

test.each([
  [{ Protocol: 'HTTPS', Port: 443 }, 'https://pr-7.example.com/'],
  [{ Protocol: 'HTTP', Port: 80 }, 'http://pr-7.example.com/'],
  [{ Protocol: 'HTTPS', Port: 8443 }, 'https://pr-7.example.com:8443/'],
] as const)('the URL on a %j listener is %s', (listener, url) => {
  expect(previewUrl('PR-7.example.com', listener)).toBe(url);
});
