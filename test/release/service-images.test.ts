/**
 * A release whose services each have their own image (services[].image in the config): the image stage promotes
 * each, the deploy gives each service its own, and a rollback puts each service back on its own previous image.
 * Run through the root action's bundle against the sandbox with the demo's world, three repositories added.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { repoRoot, runAction, type ActionRun } from '@ecs-ship/testing';

const GOOD = '8f2b6c41d3e5a7b9c0d2e4f6a8b0c1d3e5f7a9b2';
const BAD = 'd4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3';
const SERVICES = ['web', 'worker', 'api'] as const;
const REPOSITORY = { web: 'shop-web', worker: 'shop-worker', api: 'shop-api' };

let sandbox: Sandbox;
let workspace: string;

/** The demo's world with one repository per service, each holding both commits; api's BAD image fails its checks. */
function world(): Record<string, any> {
  const scenario = parse(readFileSync(join(repoRoot, 'demo', 'scenario.yaml'), 'utf8')) as Record<string, any>;
  for (const service of SERVICES) {
    const name = REPOSITORY[service];
    scenario.ecr.repositories.push({
      name,
      images: [GOOD, BAD].map((sha) => ({ tags: [sha], revision: `${sha.slice(0, 30)}${service}` })),
    });
    scenario.ecs.images[`${name}:${GOOD}`] = { behaviour: 'healthy', startDelay: 4, healthyAfter: 6 };
    scenario.ecs.images[`${name}:${BAD}`] =
      service === 'api'
        ? { behaviour: 'fails-health-checks', startDelay: 4, after: 6 }
        : { behaviour: 'healthy', startDelay: 4, healthyAfter: 6 };
  }
  return scenario;
}

function writeConfig(): void {
  const config = parse(readFileSync(join(repoRoot, 'demo', 'ecs-release.yml'), 'utf8')) as Record<string, any>;
  config.environments.production.services = SERVICES.map((name) => ({
    name,
    containers: ['app'],
    image: { repository: REPOSITORY[name], source: 'promote', from: '{sha}', tags: ['production-{sha7}'] },
  }));
  writeFileSync(
    join(workspace, '.github', 'ecs-release.yml'),
    stringify(config).replaceAll('${SANDBOX_URL}', sandbox.url),
  );
}

function release(sha: string): Promise<ActionRun> {
  return runAction('release', {
    inputs: { environment: 'production', sha, stages: 'image,deploy' },
    env: { ...sandbox.env(), GITHUB_SHA: sha },
    cwd: workspace,
    timeoutMs: 120_000,
  });
}

/** The image of the app container in the revision a service runs. */
function runningImage(service: string): string {
  const ecs = sandbox.state('ecs');
  const arn = ecs.service('eu-west-1', 'shop-production', service)!.taskDefinitionArn;
  const definition = ecs.taskDefinition('eu-west-1', arn)!;
  return definition.body.containerDefinitions.find((c) => c.name === 'app')!.image!;
}

beforeEach(async () => {
  sandbox = await startSandbox({ scenario: world() });
  workspace = mkdtempSync(join(tmpdir(), 'release-images-'));
  mkdirSync(join(workspace, '.github'));
  writeConfig();
});

afterEach(async () => {
  rmSync(workspace, { recursive: true, force: true });
  await sandbox.stop();
});

test('three services with three images: each deploys its own, and a rollback restores each its own', async () => {
  const first = await release(GOOD);
  expect(first.exitCode).toBe(0);
  expect(first.outputs.result).toBe('succeeded');
  const released: Record<string, string> = {};
  for (const service of SERVICES) {
    released[service] = runningImage(service);
    expect(released[service]).toMatch(new RegExp(`/${REPOSITORY[service]}@sha256:[0-9a-f]{64}$`));
    expect(first.summary).toContain(`- Image of ${service}: [\`${released[service]}\`](`);
  }
  expect(new Set(Object.values(released)).size).toBe(3);
  // Each repository got the production tag on its own image, by manifest.
  const puts = sandbox.recorder.calls().filter((call) => call.operation === 'PutImage' && call.status < 300);
  expect(puts.map((call) => (call.params as any).repositoryName).sort()).toEqual(
    ['shop', 'shop-api', 'shop-web', 'shop-worker'].sort(),
  );

  const second = await release(BAD);
  expect(second.exitCode).toBe(1);
  expect(second.outputs.result).toBe('rolled-back');
  for (const service of SERVICES) {
    await sandbox.waitFor(() => runningImage(service) === released[service], {
      timeoutMs: 30_000,
      description: `${service} back on its own previous image`,
    });
  }
});
