/**
 * The release's watch after the deploy (deploy.watch-minutes and deploy.watch-metrics in the config): three services,
 * each with its own image; a 5xx rate that rises while the new web image runs rolls every service back to what it ran
 * before, fails the release naming the metric, and the Slack message says so. Run through the root action's
 * bundle against the sandbox with the demo's world.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { repoRoot, runAction } from '@ecs-ship/testing';

const OLD = '8f2b6c41d3e5a7b9c0d2e4f6a8b0c1d3e5f7a9b2';
const NEW = 'd4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3';
const SERVICES = ['web', 'worker', 'api'] as const;
const LB = 'app/shop-production/7f3c2a1b0e9d8c6a';

let sandbox: Sandbox;
let workspace: string;

function world(): Record<string, any> {
  const scenario = parse(readFileSync(join(repoRoot, 'demo', 'scenario.yaml'), 'utf8')) as Record<string, any>;
  for (const service of SERVICES) {
    scenario.ecr.repositories.push({
      name: `shop-${service}`,
      images: [OLD, NEW].map((sha) => ({ tags: [sha], revision: `${sha.slice(0, 30)}${service}` })),
    });
    for (const sha of [OLD, NEW])
      scenario.ecs.images[`shop-${service}:${sha}`] = { behaviour: 'healthy', startDelay: 4, healthyAfter: 6 };
  }
  const alb = { namespace: 'AWS/ApplicationELB', dimensions: { LoadBalancer: LB } };
  scenario.cloudwatch = {
    metrics: [
      { ...alb, name: 'RequestCount', value: 800 },
      {
        ...alb,
        name: 'HTTPCode_Target_5XX_Count',
        value: 0,
        // Set by the test to the new web image, as the deploy names it (by digest).
        whileImageRuns: { image: 'unknown', after: 20, value: 120 },
      },
    ],
  };
  return scenario;
}

function writeConfig(): void {
  const config = parse(readFileSync(join(repoRoot, 'demo', 'ecs-release.yml'), 'utf8')) as Record<string, any>;
  const production = config.environments.production;
  production.services = SERVICES.map((name) => ({
    name,
    containers: ['app'],
    image: { repository: `shop-${name}`, source: 'promote', from: '{sha}', tags: ['production-{sha7}'] },
  }));
  production.deploy['watch-minutes'] = 0.05;
  production.deploy['watch-metrics'] = [`target-5xx-rate > 5% LoadBalancer=${LB}`];
  writeFileSync(
    join(workspace, '.github', 'ecs-release.yml'),
    stringify(config).replaceAll('${SANDBOX_URL}', sandbox.url),
  );
}

function release(sha: string) {
  return runAction('release', {
    inputs: { environment: 'production', sha, stages: 'image,deploy,notify' },
    env: { ...sandbox.env(), GITHUB_SHA: sha },
    cwd: workspace,
    timeoutMs: 120_000,
  });
}

function runningImage(service: string): string {
  const ecs = sandbox.state('ecs');
  const arn = ecs.service('eu-west-1', 'shop-production', service)!.taskDefinitionArn;
  return ecs.taskDefinition('eu-west-1', arn)!.body.containerDefinitions.find((c) => c.name === 'app')!.image!;
}

beforeEach(async () => {
  sandbox = await startSandbox({ scenario: world() });
  workspace = mkdtempSync(join(tmpdir(), 'release-watch-'));
  mkdirSync(join(workspace, '.github'));
  writeConfig();
});

afterEach(async () => {
  rmSync(workspace, { recursive: true, force: true });
  await sandbox.stop();
});

test('a 5xx rate rising after the deploy rolls each service back to its own image and fails the release, Slack says why', async () => {
  const before = Object.fromEntries(SERVICES.map((s) => [s, runningImage(s)]));
  // The 5xx answers come with the new web image: the deploy names it by its digest.
  const digest = sandbox.state('ecr').repository('eu-west-1', 'shop-web').tags.get(NEW)!;
  sandbox.state('cloudwatch').series[1]!.section.whileImageRuns!.image = `shop-web@${digest}`;

  const run = await release(NEW);
  expect(run.exitCode).toBe(1);
  expect(run.outputs.result).toBe('rolled-back');
  expect(run.summary).toContain('### Watch after the deploy');
  expect(run.visibleText).toContain('ALB target 5xx rate was 15%, above the threshold of 5%');
  // Each service back on its own previous image, none on another's.
  expect(Object.fromEntries(SERVICES.map((s) => [s, runningImage(s)]))).toEqual(before);
  const slack = JSON.stringify(sandbox.state('slack').delivered());
  expect(slack).toContain('ALB target 5xx rate was 15%');
  expect(slack).toContain('rolled back by this step');
});
