// Interop: what the deploy action's service settings leave behind, read by the AWS CLI (botocore's models, not
// ours): managed tags and tag propagation on the service, the EBS volume on its deployment and the tags on its new
// tasks; and ECS's refusal of a volume the task definition does not configure at launch, as the CLI reports it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { runAction } from '@ecs-ship/testing';
import { awsCli, type AwsCli } from '@ecs-ship/testing/aws-cli';

const REGION = 'eu-west-1';
const ROLE = 'arn:aws:iam::123456789012:role/ecsInfrastructureRole';
const scenario = parse(readFileSync(new URL('../ecs-deploy/scenarios/shop.yaml', import.meta.url), 'utf8')) as Record<
  string,
  any
>;

let sandbox: Sandbox;
let aws: AwsCli;
let template: string;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario });
  aws = awsCli(sandbox.url, REGION);
  template = join(mkdtempSync(join(tmpdir(), 'settings-awscli-')), 'web.json');
  writeFileSync(
    template,
    JSON.stringify({
      family: 'web',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      volumes: [{ name: 'data', configuredAtLaunch: true }],
      containerDefinitions: [{ name: 'web', image: 'registry.example/web:2', essential: true }],
    }),
  );
});
afterAll(() => sandbox.stop());

test('describe-services and describe-tasks show the settings the deploy applied', async () => {
  const run = await runAction('ecs-deploy-with-circuit-breaker', {
    inputs: {
      cluster: 'shop',
      services: 'web',
      'task-definition': template,
      'enable-ecs-managed-tags': 'true',
      'propagate-tags': 'SERVICE',
      'service-managed-ebs-volume-name': 'data',
      'service-managed-ebs-volume': JSON.stringify({ roleArn: ROLE, sizeInGiB: 30, volumeType: 'gp3' }),
      'poll-interval-seconds': '0.2',
    },
    env: sandbox.env(),
    timeoutMs: 60_000,
  });
  expect(`exit ${run.exitCode}\n${run.stdout}${run.stderr}`).toMatch(/^exit 0/);

  const { services } = await aws.json('ecs', 'describe-services', '--cluster', 'shop', '--services', 'web');
  expect(services[0]).toMatchObject({ enableECSManagedTags: true, propagateTags: 'SERVICE' });
  const primary = services[0].deployments.find((d: { status: string }) => d.status === 'PRIMARY');
  expect(primary.volumeConfigurations).toEqual([
    { name: 'data', managedEBSVolume: { roleArn: ROLE, sizeInGiB: 30, volumeType: 'gp3' } },
  ]);

  const { taskArns } = await aws.json('ecs', 'list-tasks', '--cluster', 'shop', '--service-name', 'web');
  const { tasks } = await aws.json(
    'ecs',
    'describe-tasks',
    '--cluster',
    'shop',
    '--tasks',
    ...taskArns,
    '--include',
    'TAGS',
  );
  const fresh = tasks.filter((t: { taskDefinitionArn: string }) => t.taskDefinitionArn === primary.taskDefinition);
  expect(fresh.length).toBeGreaterThan(0);
  for (const task of fresh) {
    expect(task.tags).toEqual(
      expect.arrayContaining([
        { key: 'aws:ecs:clusterName', value: 'shop' },
        { key: 'aws:ecs:serviceName', value: 'web' },
      ]),
    );
  }
});

test('ECS refuses a volume configuration the task definition does not configure at launch', async () => {
  const result = await aws.run(
    'ecs',
    'update-service',
    '--cluster',
    'shop',
    '--service',
    'web',
    '--task-definition',
    'web:1',
    '--volume-configurations',
    JSON.stringify([{ name: 'data', managedEBSVolume: { roleArn: ROLE, sizeInGiB: 30 } }]),
  );
  expect(result.code).not.toBe(0);
  expect(result.stderr).toMatch(
    /InvalidParameterException.*Volume configuration provided but no matching configuredAtLaunch volume found in task definition/,
  );
});
