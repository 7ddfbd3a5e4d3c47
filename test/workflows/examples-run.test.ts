/**
 * The example workflows, run job by job with the local workflow runner against the sandbox: the suite's actions run
 * through their real bundles; third-party actions are declared no-ops; `run:` steps run in bash. The sandbox's world
 * (test/workflows/scenario.yaml) uses the names the examples' `env:` blocks give.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { repoRoot } from '@ecs-ship/testing';
import { DOCKER_DOUBLE_DIR } from '@ecs-ship/testing/docker-double';
import { runWorkflow, type WorkflowRun, type WorkflowRunOptions } from '../workflow-runner/runner.js';

const GOOD = '8f2b6c41d3e5a7b9c0d2e4f6a8b0c1d3e5f7a9b2';
const BAD = 'd4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3';
const example = (name: string) => join(repoRoot, 'workflows-examples', name);

interface EcsState {
  service(region: string, cluster: string, name: string): { taskDefinitionArn: string } | undefined;
}

let sandbox: Sandbox;
let dockerConfig: string;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: join(repoRoot, 'test', 'workflows', 'scenario.yaml') });
  dockerConfig = mkdtempSync(join(tmpdir(), 'docker-config-'));
});

afterAll(async () => {
  rmSync(dockerConfig, { recursive: true, force: true });
  await sandbox.stop();
});

beforeEach(() => sandbox.recorder.clear());

/** A repository whose tests pass, as actions/checkout would leave it. */
function seedWorkspace(directory: string): void {
  const manifest = { name: 'shop', version: '1.0.0', private: true, scripts: { test: 'node -e "console.log(1)"' } };
  writeFileSync(join(directory, 'package.json'), JSON.stringify(manifest));
  writeFileSync(
    join(directory, 'package-lock.json'),
    JSON.stringify({ name: 'shop', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': manifest } }),
  );
}

function options(overrides: Partial<WorkflowRunOptions>): WorkflowRunOptions {
  const env = sandbox.env();
  return {
    event: 'push',
    env: {
      ...env,
      // The docker stand-in: build-push-ecr reuses the image CI pushed, and never needs a Docker engine here.
      PATH: `${DOCKER_DOUBLE_DIR}:${process.env.PATH}`,
      DOCKER_CONFIG: dockerConfig,
    },
    secrets: { SLACK_WEBHOOK_URL: env.SLACK_WEBHOOK_URL! },
    thirdParty: {
      'actions/checkout': {},
      'actions/setup-node': {},
      'aws-actions/configure-aws-credentials': { requiredInputs: ['role-to-assume', 'aws-region'] },
    },
    envOverrides: {
      STAGING_URL: `${sandbox.url}/apps/shop-staging/shop-staging-web`,
      PRODUCTION_URL: `${sandbox.url}/apps/shop-production/shop-production-web`,
    },
    seedWorkspace,
    ...overrides,
  };
}

function revision(cluster: string, service: string): string {
  return sandbox.state<EcsState>('ecs').service('us-east-1', cluster, service)!.taskDefinitionArn.replace(/^.*\//, '');
}

function operations(): string[] {
  return sandbox.recorder
    .calls()
    .filter((call) => call.status < 300)
    .map((call) => call.operation);
}

function step(run: WorkflowRun, job: string, id: string) {
  return run.jobs[job]!.steps.find((s) => s.id === id)!;
}

function slackTexts(): string[] {
  const slack = sandbox.state<{ delivered(): { text?: string }[] }>('slack');
  return slack.delivered().map((message) => message.text ?? '');
}

test('staging: a push to main builds (reusing the pushed image), migrates, deploys, smoke-tests and records', async () => {
  const run = await runWorkflow(example('deploy-staging.yml'), options({ event: 'push', sha: GOOD }));
  expect(run.order).toEqual(['test', 'deploy']);
  expect(run.jobs.deploy!.result).toBe('success');
  expect(step(run, 'deploy', 'image').outputs.pushed).toBe('false');
  expect(step(run, 'deploy', 'deploy').outputs.result).toBe('succeeded');
  expect(step(run, 'deploy', 'smoke').outputs.result).toBe('passed');
  expect(revision('shop-staging', 'shop-staging-web')).toBe('shop-staging-web:2');
  expect(operations()).toEqual(expect.arrayContaining(['RunTask', 'repos.createDeployment', 'git.createRef']));
  expect(
    slackTexts()
      .slice(-2)
      .map((text) => text.split(' ')[0]),
  ).toEqual([':rocket:', ':white_check_mark:']);
});

test('production: the release manager’s SHA is promoted, snapshotted, migrated, deployed, tagged and released', async () => {
  const run = await runWorkflow(
    example('deploy-production.yml'),
    options({ event: 'workflow_dispatch', inputs: { sha: GOOD, confirm: 'deploy' } }),
  );
  expect(run.jobs.validate!.result).toBe('success');
  expect(run.jobs.deploy!.environment).toBe('production');
  expect(run.jobs.deploy!.result).toBe('success');
  const calls = operations();
  expect(calls.indexOf('PutImage')).toBeLessThan(calls.indexOf('CreateDBSnapshot'));
  expect(calls.indexOf('CreateDBSnapshot')).toBeLessThan(calls.indexOf('RunTask'));
  expect(calls.filter((c) => c === 'git.createRef')).toHaveLength(1);
  expect(calls.filter((c) => c === 'repos.createRelease')).toHaveLength(1);
  expect(step(run, 'deploy', 'tag').outputs.tag).toMatch(/^production-\d{4}-\d\d-\d\d-8f2b6c4$/);
  expect(revision('shop-production', 'shop-production-web')).toBe('shop-production-web:2');
});

test('production with an image that fails its health checks: the breaker, the rollback, the failure notified, no tag', async () => {
  const run = await runWorkflow(
    example('deploy-production.yml'),
    options({ event: 'workflow_dispatch', inputs: { sha: BAD, confirm: 'deploy' } }),
  );
  expect(run.jobs.deploy!.result).toBe('failure');
  const deploy = step(run, 'deploy', 'deploy');
  expect(deploy.outcome).toBe('failure');
  expect(deploy.outputs.result).toBe('rolled-back');
  expect(deploy.outputs['failure-reason']).toMatch(/circuit breaker/);
  expect(step(run, 'deploy', 'smoke').outcome).toBe('skipped');
  expect(step(run, 'deploy', 'tag').outcome).toBe('skipped');
  expect(operations()).not.toContain('git.createRef');
  expect(slackTexts().at(-1)).toMatch(/rolled back/i);
  await sandbox.waitFor(() => revision('shop-production', 'shop-production-web') === 'shop-production-web:2', {
    timeoutMs: 20_000,
    description: 'web back on the revision it ran before',
  });
});

test.each([
  ['a short SHA', { sha: GOOD.slice(0, 7), confirm: 'deploy' }, /is not a full 40-character commit SHA/],
  ['a wrong confirmation', { sha: GOOD, confirm: 'yes' }, /Type exactly "deploy"/],
  ['a SHA staging never deployed', { sha: 'f'.repeat(40), confirm: 'deploy' }, /has no successful staging deployment/],
])('production refused for %s before anything changes', async (_, inputs, message) => {
  const run = await runWorkflow(example('deploy-production.yml'), options({ event: 'workflow_dispatch', inputs }));
  expect(run.jobs.validate!.result).toBe('failure');
  expect(run.jobs.validate!.steps.map((s) => s.stdout).join('\n')).toMatch(message);
  expect(run.jobs.deploy!.result).toBe('skipped');
  expect(sandbox.recorder.mutatingCalls()).toEqual([]);
  expect(
    operations().filter((operation) => !/^(repos\.listDeployments|repos\.listDeploymentStatuses)$/.test(operation)),
  ).toEqual([]);
});

test('pull requests plan the deploy without changing anything', async () => {
  const run = await runWorkflow(
    example('pr-checks.yml'),
    options({
      event: 'pull_request',
      seedWorkspace: (directory) => {
        seedWorkspace(directory);
        mkdirSync(join(directory, '.aws'));
        writeFileSync(
          join(directory, '.aws', 'task-definition.json'),
          JSON.stringify({
            family: 'shop-staging-web',
            networkMode: 'awsvpc',
            requiresCompatibilities: ['FARGATE'],
            cpu: '512',
            memory: '1024',
            containerDefinitions: [
              { name: 'app', image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:${GOOD}`, essential: true },
            ],
          }),
        );
      },
    }),
  );
  expect(run.jobs.plan!.result).toBe('success');
  expect(step(run, 'plan', 'plan').outputs.result).toBe('planned');
  expect(step(run, 'plan', 'plan').action!.summary).toContain('cpu');
  expect(sandbox.recorder.mutatingCalls()).toEqual([]);
});
