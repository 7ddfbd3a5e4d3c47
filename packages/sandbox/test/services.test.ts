// Every listed module answers through its real SDK client on the shipped demo scenario: the wiring of services.ts,
// the routing by target prefix and credential scope, and the scenario sections all meet here.
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { getOctokit } from '@actions/github';
import { IncomingWebhook } from '@slack/webhook';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { startSandbox, type Sandbox } from '../src/index.js';

let sandbox: Sandbox;
let config: { region: string; endpoint: string; credentials: { accessKeyId: string; secretAccessKey: string } };

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: fileURLToPath(new URL('../scenarios/demo.yaml', import.meta.url)) });
  const env = sandbox.env();
  config = {
    region: env.AWS_REGION ?? '',
    endpoint: env.AWS_ENDPOINT_URL ?? '',
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '' },
  };
});
afterAll(() => sandbox.stop());

it('serves ECS, ECR, CloudWatch Logs, RDS, GitHub and Slack from one port, each through its own client', async () => {
  const ecs = new ECSClient(config);
  const services = await ecs.send(new DescribeServicesCommand({ cluster: 'shop', services: ['web'] }));
  expect(services.services?.[0]).toMatchObject({ serviceName: 'web', status: 'ACTIVE' });
  ecs.destroy();

  const ecr = new ECRClient(config);
  const repos = await ecr.send(new DescribeRepositoriesCommand({}));
  expect(repos.repositories?.map((r) => r.repositoryName).sort()).toEqual(['shop/migrate', 'shop/web']);
  ecr.destroy();

  const logs = new CloudWatchLogsClient(config);
  const groups = await logs.send(new DescribeLogGroupsCommand({}));
  expect(groups.logGroups?.map((g) => g.logGroupName)).toEqual(['/ecs/shop-migrate', '/ecs/shop-web']);
  logs.destroy();

  const rds = new RDSClient(config);
  await expect(rds.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: 'shop-db' }))).resolves.toMatchObject({
    $metadata: { httpStatusCode: 200 },
  });
  rds.destroy();

  const env = sandbox.env();
  const octokit = getOctokit(env.GITHUB_TOKEN ?? '', { baseUrl: env.GITHUB_API_URL });
  const commit = await octokit.rest.repos.getCommit({ owner: 'acme', repo: 'shop', ref: env.GITHUB_SHA ?? '' });
  expect(commit.data.commit.message).toBe('fix: totals rounding');

  await expect(new IncomingWebhook(env.SLACK_WEBHOOK_URL_ALERTS ?? '').send('hello')).resolves.toEqual({ text: 'ok' });

  expect(new Set(sandbox.recorder.calls().map((c) => c.service))).toEqual(
    new Set(['ecs', 'ecr', 'logs', 'rds', 'github', 'slack']),
  );
  expect(sandbox.recorder.calls({ failed: true })).toEqual([]);
});
