/**
 * Releases whose services mix the ECS and CODE_DEPLOY deployment controllers, run as the runner runs the root action
 * against the sandbox (packages/sandbox/scenarios/codedeploy.yaml plus a worker under the ECS controller; time runs
 * 100 times faster, as the action's process cannot share a test's manual clock), under the documented IAM policy,
 * every exchange checked against botocore's models. worker is deployed first; api (a group that waits for a go-ahead)
 * is then its own CodeDeploy deployment, and the environment's smoke checks decide on green through the test listener.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { repoRoot, runAction } from '@ecs-ship/testing';
import { actUnder, documentedPolicy, withoutAction } from '@ecs-ship/testing/iam';

const GOOD = '4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d';
const BAD = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d';

function world(): Record<string, any> {
  const scenario = parse(readFileSync(join(repoRoot, 'packages/sandbox/scenarios/codedeploy.yaml'), 'utf8'));
  scenario.ecs.services.push({ cluster: 'shop', serviceName: 'worker', taskDefinition: 'shop', desiredCount: 1 });
  // GOOD shows its own SHA as its version; BAD's build shows another, so the version check fails on it.
  scenario.ecr = {
    repositories: [
      {
        name: 'shop',
        images: [
          { tags: [GOOD], revision: GOOD },
          { tags: [BAD], revision: 'a-build-of-something-else' },
        ],
      },
    ],
  };
  for (const sha of [GOOD, BAD])
    scenario.ecs.images[`shop:${sha}`] = { behaviour: 'healthy', startDelay: 10, healthyAfter: 5 };
  return scenario;
}

let sandbox: Sandbox;
let workspace: string;
beforeEach(async () => {
  sandbox = await startSandbox({ scenario: world(), checkModels: true });
  workspace = mkdtempSync(join(tmpdir(), 'release-codedeploy-'));
  mkdirSync(join(workspace, '.github'));
});
afterEach(async () => {
  expect(sandbox.takeViolations()).toEqual([]);
  rmSync(workspace, { recursive: true, force: true });
  await sandbox.stop();
});

/** The production environment: worker under ECS, api under CodeDeploy with its smoke checks on the test listener. */
function config(adjust: (production: Record<string, any>) => void = () => {}): void {
  const production: Record<string, any> = {
    region: 'eu-west-1',
    cluster: 'shop',
    services: [
      { name: 'worker', containers: ['app'] },
      {
        name: 'api',
        containers: ['app'],
        codedeploy: {
          'test-listener-url': `${sandbox.url}/listeners/shop/8443/api/`,
          'deployment-description': 'release of the shop',
        },
      },
    ],
    image: { repository: 'shop', source: 'promote', from: '{sha}', tags: ['production-{sha7}'] },
    deploy: { 'poll-interval-seconds': 1, 'timeout-minutes': 5 },
    smoke: {
      'base-url': `${sandbox.url}/listeners/shop/443/api/`,
      'version-header': 'X-App-Version',
      'wait-for-healthy-seconds': 2,
      checks: [{ name: 'version', url: 'health' }],
    },
  };
  adjust(production);
  writeFileSync(join(workspace, '.github', 'ecs-release.yml'), stringify({ environments: { production } }));
}

function release(sha: string) {
  return runAction('release', {
    inputs: { environment: 'production', sha, stages: 'image,deploy,smoke' },
    env: { ...sandbox.env(), GITHUB_SHA: sha },
    cwd: workspace,
    timeoutMs: 120_000,
  });
}

const calls = (operation: string) => sandbox.recorder.calls().filter((c) => c.operation === operation);

function weights(rule: string): Record<string, number> {
  const found = [...sandbox.state('elbv2').rules.values()].find((r) => r.name === rule)!;
  return Object.fromEntries(found.forward!.map((t) => [t.targetGroupArn.split('/').at(-2)!, t.weight]));
}

function runningImage(service: string): string {
  const ecs = sandbox.state('ecs');
  const arn = ecs.service('eu-west-1', 'shop', service)!.taskDefinitionArn;
  return ecs.taskDefinition('eu-west-1', arn)!.body.containerDefinitions[0]!.image!;
}

test('a mixed release: worker by ECS, then api by CodeDeploy, continued by the smoke checks on green', async () => {
  config();
  const run = await release(GOOD);
  expect(run.exitCode).toBe(0);
  expect(run.outputs.result).toBe('succeeded');
  // worker's UpdateService came before api's CodeDeploy deployment; api had no UpdateService.
  const order = sandbox.recorder
    .calls()
    .filter((c) => c.operation === 'UpdateService' || c.operation === 'CreateDeployment')
    .map((c) => `${c.operation} ${(c.params as any).service ?? (c.params as any).deploymentGroupName}`);
  expect(order).toEqual(['UpdateService worker', 'CreateDeployment DgpECS-shop-api']);
  expect((calls('CreateDeployment')[0]!.params as any).description).toBe('release of the shop');
  expect(calls('ContinueDeployment')).toHaveLength(1);
  expect(calls('StopDeployment')).toEqual([]);
  expect(weights('api-production')).toEqual({ 'api-blue': 0, 'api-green': 100 });
  for (const service of ['worker', 'api']) expect(runningImage(service)).toContain('shop@sha256:');
  expect(run.summary).toContain('smoke checks (test traffic)');
  expect(run.summary).toMatch(/Smoke tests \| ✅ succeeded/);
});

test('smoke checks failing on green stop api with rollback before production traffic moves; worker goes back too', async () => {
  config();
  const before = { worker: runningImage('worker'), api: runningImage('api') };
  const run = await release(BAD);
  expect(run.exitCode).toBe(1);
  expect(run.outputs.result).toBe('rolled-back');
  expect(calls('ContinueDeployment')).toEqual([]);
  expect(calls('StopDeployment').map((c) => c.params)).toEqual([
    { deploymentId: expect.stringMatching(/^d-/), autoRollbackEnabled: true },
  ]);
  const production = sandbox.state('elbv2').rule('eu-west-1', 'api-production')!.arn;
  expect(sandbox.state('elbv2').history.filter((c) => c.ruleArn === production)).toEqual([]);
  // The failure says what this release had already deployed; the rollback stage put worker back.
  expect(run.visibleText).toMatch(/api: smoke checks failed on the test listener: version/);
  expect(run.visibleText).toContain('this step had already deployed worker');
  expect(run.summary).toMatch(/Rollback \| ✅ succeeded/);
  expect({ worker: runningImage('worker'), api: runningImage('api') }).toEqual(before);
  // One CodeDeploy deployment of ours; the other is CodeDeploy's own rollback.
  expect(sandbox.state('codedeploy').deployments.map((d) => d.creator)).toEqual(['user', 'codeDeployRollback']);
});

test('a later stage failing puts api back with a new CodeDeploy deployment of its previous revision', async () => {
  // The production checks reach web (still shop:1), so the smoke stage fails after both services were deployed.
  config((production) => (production.smoke['base-url'] = `${sandbox.url}/listeners/shop/443/`));
  const before = { worker: runningImage('worker'), api: runningImage('api') };
  const run = await release(GOOD);
  expect(run.exitCode).toBe(1);
  expect(run.outputs.result).toBe('rolled-back');
  expect(run.summary).toMatch(/Smoke tests \| ❌ failed/);
  const creates = calls('CreateDeployment').map((c) => JSON.parse((c.params as any).revision.appSpecContent.content));
  expect(creates).toHaveLength(2);
  expect(creates[1].Resources[0].TargetService.Properties.TaskDefinition).toMatch(/:task-definition\/shop:1$/);
  // The rollback deployment waited for a go-ahead too, and was given it at once.
  expect(calls('ContinueDeployment')).toHaveLength(2);
  expect(weights('api-production')).toEqual({ 'api-blue': 100, 'api-green': 0 });
  expect({ worker: runningImage('worker'), api: runningImage('api') }).toEqual(before);
});

test('a bad CodeDeploy key is refused by name before anything changes', async () => {
  config((production) => (production.services[1].codedeploy.application = 'my app'));
  const run = await release(GOOD);
  expect(run.exitCode).toBe(1);
  expect(run.visibleText).toMatch(/environments\.production\.services\.1\.codedeploy\.application/);
  expect(sandbox.recorder.mutatingCalls()).toEqual([]);
});

test('a deployment group that does not exist is refused by its key before the image is promoted', async () => {
  config((production) => (production.services[1].codedeploy['deployment-group'] = 'DgpECS-shop-apii'));
  const run = await release(GOOD);
  expect(run.exitCode).toBe(1);
  expect(run.visibleText).toContain(
    'The release config\'s environments.production.services.1.codedeploy.deployment-group: deployment group "DgpECS-shop-apii" does not exist in application "AppECS-shop-api"',
  );
  expect(sandbox.recorder.mutatingCalls()).toEqual([]);
});

test('a group that waits for a go-ahead without test-listener-url is refused before anything changes', async () => {
  config((production) => delete production.services[1].codedeploy['test-listener-url']);
  const run = await release(GOOD);
  expect(run.exitCode).toBe(1);
  expect(run.visibleText).toContain(
    'environments.production.services.1.codedeploy.test-listener-url is not set, but deployment group "DgpECS-shop-api" waits for a go-ahead',
  );
  expect(sandbox.recorder.mutatingCalls()).toEqual([]);
});

test('watch-minutes with a CodeDeploy service is refused before anything changes', async () => {
  config((production) => (production.deploy['watch-minutes'] = 5));
  const run = await release(GOOD);
  expect(run.exitCode).toBe(1);
  expect(run.visibleText).toContain('service "api" is deployed by CodeDeploy');
  expect(run.visibleText).toContain('"watch-minutes" does not watch it');
  expect(sandbox.recorder.mutatingCalls()).toEqual([]);
});

test('without codedeploy:GetDeploymentGroup in the release policy, the release stops naming it before anything changes', async () => {
  config();
  actUnder(sandbox, 'release', withoutAction(documentedPolicy('release'), 'codedeploy:GetDeploymentGroup'));
  const run = await release(GOOD);
  expect(run.exitCode).toBe(1);
  expect(run.visibleText).toContain('not authorized to perform: codedeploy:GetDeploymentGroup');
  expect(sandbox.recorder.mutatingCalls()).toEqual([]);
});
