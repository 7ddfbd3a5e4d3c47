/**
 * The example workflows, run job by job with the local workflow runner against the sandbox, under the permissions
 * each job declares, enforced as GitHub enforces them: the suite's actions run through their real bundles;
 * third-party actions run as models (test/workflow-runner/third-party.ts); `run:` steps run in bash. The sandbox's
 * world (test/workflows/scenario.yaml) holds the names that the repository variables below give.
 * Then, for every permission a job declares, the same workflow with that permission removed: the job must fail with
 * GitHub's own 403 (or, for id-token, configure-aws-credentials' own error).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { jest } from '@jest/globals';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { SCOPES, grantedScopes, parsePermissions } from '../workflow-runner/permissions.js';
import { BAD, GOOD, SCENARIO, example, runOptions, seedWorkspace, template, variables } from './examples-world.js';
import {
  readWorkflow,
  runWorkflow,
  type Workflow,
  type WorkflowRun,
  type WorkflowRunOptions,
} from '../workflow-runner/runner.js';

// A whole production run, with its snapshot, migration, deploy and rollback, takes 20 to 40 s on a loaded machine.
jest.setTimeout(120_000);

let sandbox: Sandbox;
const scratch: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: SCENARIO });
});
afterAll(async () => {
  for (const folder of scratch) rmSync(folder, { recursive: true, force: true });
  await sandbox.stop();
});
beforeEach(() => sandbox.load(SCENARIO));

const options = (overrides: Partial<WorkflowRunOptions>) => runOptions(sandbox, scratch, overrides);

const RESTORE = {
  environment: 'staging',
  sha: GOOD,
  confirm: 'rollback',
  'restore-database': 'true',
  'restore-confirm': 'shop-staging-restored',
};

/** How each example is started in these tests (its successful run). */
const STARTS: Record<string, Partial<WorkflowRunOptions>> = {
  'deploy-staging.yml': { event: 'push', sha: GOOD },
  'deploy-production.yml': { event: 'workflow_dispatch', inputs: { sha: GOOD, confirm: 'deploy' } },
  'pr-checks.yml': { event: 'pull_request', sha: GOOD },
  'rollback.yml': { event: 'workflow_dispatch', inputs: RESTORE },
  'preview.yml': { event: 'pull_request', sha: GOOD, pullRequestAction: 'opened' },
};

/** Jobs that run only when something failed start from the run that makes them run. */
const FAILED_PRODUCTION: Partial<WorkflowRunOptions> = {
  event: 'workflow_dispatch',
  inputs: { sha: BAD, confirm: 'deploy' },
};
const JOB_STARTS: Record<string, Partial<WorkflowRunOptions>> = {
  'deploy-production.yml/record-failure': FAILED_PRODUCTION,
  'preview.yml/remove': { event: 'pull_request', sha: GOOD, pullRequestAction: 'closed' },
};
const startOf = (file: string, job: string) => JOB_STARTS[`${file}/${job}`] ?? STARTS[file]!;

function revision(cluster: string, service: string): string {
  return sandbox.state('ecs').service('us-east-1', cluster, service)!.taskDefinitionArn.replace(/^.*\//, '');
}

/** Calls that succeeded, without the ones the runner makes itself (job tokens, checkouts). */
function operations(): string[] {
  return sandbox.recorder
    .calls()
    .filter((call) => call.status < 300)
    .map((call) => call.operation)
    .filter((operation) => !['apps.createInstallationAccessToken', 'repos.getCommit'].includes(operation));
}

function step(run: WorkflowRun, job: string, id: string) {
  return run.jobs[job]!.steps.find((s) => s.id === id)!;
}

function results(run: WorkflowRun): Record<string, string> {
  return Object.fromEntries(run.order.map((job) => [job, run.jobs[job]!.result]));
}

function slackTexts(): string[] {
  const slack = sandbox.state('slack');
  return slack.delivered().map((message) => String(message.text ?? ''));
}

test('staging: a push to main builds (reusing the pushed image), migrates, deploys, smoke-tests and records', async () => {
  const run = await runWorkflow(example('deploy-staging.yml'), options(STARTS['deploy-staging.yml']!));
  expect(results(run)).toEqual({ test: 'success', deploy: 'success', record: 'success', notify: 'success' });
  expect(step(run, 'deploy', 'image').outputs.pushed).toBe('false');
  expect(step(run, 'deploy', 'deploy').outputs.result).toBe('succeeded');
  expect(step(run, 'deploy', 'smoke').outputs.result).toBe('passed');
  expect(revision('shop-staging', 'shop-staging-web')).toBe('shop-staging-web:2');
  expect(operations()).toEqual(expect.arrayContaining(['RunTask', 'repos.createDeployment', 'git.createRef']));
  // The job that runs the repository's code cannot write to it; the one that tags runs none of it.
  expect(grantedScopes(run.jobs.deploy!.permissions!)).toEqual(['contents', 'id-token']);
  expect(run.jobs.deploy!.permissions!.contents).toBe('read');
  expect(grantedScopes(run.jobs.record!.permissions!)).toEqual(['contents', 'deployments']);
  expect(
    slackTexts()
      .slice(-2)
      .map((text) => text.split(' ')[0]),
  ).toEqual([':rocket:', ':white_check_mark:']);
});

test('staging for two platforms: QEMU and a docker-container builder are set up before the build', async () => {
  const run = await runWorkflow(
    example('deploy-staging.yml'),
    options({
      ...STARTS['deploy-staging.yml'],
      vars: { ...variables(sandbox.url), IMAGE_PLATFORMS: 'linux/amd64,linux/arm64' },
    }),
  );
  expect(run.jobs.deploy!.result).toBe('success');
  const names = run.jobs.deploy!.steps.map((s) => [s.name, s.outcome]);
  expect(names).toContainEqual(['Set up QEMU', 'success']);
  expect(names).toContainEqual(['Set up Docker Buildx', 'success']);
  const buildx = run.jobs.deploy!.steps.find((s) => s.name === 'Set up Docker Buildx')!;
  expect(buildx.outputs).toMatchObject({
    driver: 'docker-container',
    platforms: expect.stringContaining('linux/arm64'),
  });
});

test('production: the release manager’s SHA is promoted, snapshotted, migrated, deployed, tagged and released', async () => {
  const run = await runWorkflow(example('deploy-production.yml'), options(STARTS['deploy-production.yml']!));
  expect(results(run)).toEqual({
    validate: 'success',
    deploy: 'success',
    release: 'success',
    'record-failure': 'skipped',
    notify: 'success',
  });
  expect(run.jobs.deploy!.environment).toBe('production');
  const calls = operations();
  expect(calls.indexOf('PutImage')).toBeLessThan(calls.indexOf('CreateDBSnapshot'));
  expect(calls.indexOf('CreateDBSnapshot')).toBeLessThan(calls.indexOf('RunTask'));
  expect(calls.filter((c) => c === 'git.createRef')).toHaveLength(1);
  expect(calls.filter((c) => c === 'repos.createRelease')).toHaveLength(1);
  expect(step(run, 'release', 'tag').outputs.tag).toMatch(/^production-\d{4}-\d\d-\d\d-8f2b6c4$/);
  expect(revision('shop-production', 'shop-production-web')).toBe('shop-production-web:2');
  expect(grantedScopes(run.jobs.deploy!.permissions!)).toEqual(['id-token']);
  expect(slackTexts().at(-1)).toMatch(/succeeded/i);
});

test('production with an image that fails its health checks: the breaker, the rollback, the failure notified, no tag', async () => {
  const run = await runWorkflow(example('deploy-production.yml'), options(FAILED_PRODUCTION));
  expect(results(run)).toEqual({
    validate: 'success',
    deploy: 'failure',
    release: 'skipped',
    'record-failure': 'success',
    notify: 'success',
  });
  const deploy = step(run, 'deploy', 'deploy');
  expect(deploy.outcome).toBe('failure');
  expect(deploy.outputs.result).toBe('rolled-back');
  expect(deploy.outputs['failure-reason']).toMatch(/circuit breaker/);
  expect(step(run, 'deploy', 'smoke').outcome).toBe('skipped');
  expect(operations()).not.toContain('git.createRef');
  // The failure is recorded, untagged, with the snapshot taken before the migration: what a restore reads.
  const snapshotId = step(run, 'deploy', 'migrate').outputs['snapshot-id'];
  expect(snapshotId).toMatch(/^pre-migration-production-/);
  const record = sandbox
    .state('github')
    .deployments.filter((d) => d.environment === 'production')
    .at(-1)!;
  expect(record.sha).toBe(BAD);
  expect(record.statuses.map((s) => s.state)).toEqual(['failure']);
  expect(record.payload).toMatchObject({
    tag: '',
    result: 'rolled-back',
    snapshot: { id: snapshotId, kind: 'instance', database: 'shop-production' },
  });
  expect(slackTexts().at(-1)).toMatch(/rolled back/i);
  await sandbox.waitFor(() => revision('shop-production', 'shop-production-web') === 'shop-production-web:1', {
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
  expect(results(run)).toEqual({
    validate: 'failure',
    deploy: 'skipped',
    release: 'skipped',
    'record-failure': 'skipped',
    notify: 'skipped',
  });
  expect(run.jobs.validate!.steps.map((s) => s.stdout).join('\n')).toMatch(message);
  expect(sandbox.recorder.mutatingCalls()).toEqual([]);
  expect(
    operations().filter((operation) => !/^(repos\.listDeployments|repos\.listDeploymentStatuses)$/.test(operation)),
  ).toEqual([]);
});

/** The plan comments on pull request 7 (found by their hidden marker), beside the review comment already there. */
function planComments() {
  return sandbox
    .state('github')
    .comments.filter((comment) => comment.issue === 7 && comment.body.startsWith('<!-- ecs-ship:'));
}

test('pull requests plan the deploy of each service from its own template, on the pull request, changing nothing', async () => {
  const run = await runWorkflow(example('pr-checks.yml'), options(STARTS['pr-checks.yml']!));
  expect(results(run)).toEqual({ test: 'success', plan: 'success', 'plan-skipped': 'skipped' });
  const plan = step(run, 'plan', 'plan');
  expect(plan.outputs.result).toBe('planned');
  expect(plan.action!.summary).toMatch(/### `shop-staging-web`[\s\S]*\| Task CPU \| `256` \| `512` \|/);
  expect(plan.action!.summary).toMatch(/### `shop-staging-worker`/);
  expect(sandbox.recorder.mutatingCalls().map((call) => call.operation)).toEqual(['issues.createComment']);
  expect(grantedScopes(run.jobs.plan!.permissions!)).toEqual(['contents', 'id-token', 'pull-requests']);
  const [comment] = planComments();
  expect(planComments()).toHaveLength(1);
  expect(comment!.body).toContain(plan.outputs.plan);
  expect(comment!.author.login).toBe('github-actions[bot]');
});

test('a second push to the pull request updates the plan comment in place instead of adding one', async () => {
  await runWorkflow(example('pr-checks.yml'), options(STARTS['pr-checks.yml']!));
  const [first] = planComments();
  // The next push doubles the web service's CPU again.
  const seedAgain = (directory: string) => {
    seedWorkspace(directory);
    writeFileSync(join(directory, '.aws', 'web.json'), JSON.stringify(template('shop-staging-web', '1024')));
  };
  const again = await runWorkflow(
    example('pr-checks.yml'),
    options({ ...STARTS['pr-checks.yml'], seedWorkspace: seedAgain }),
  );
  expect(again.jobs.plan!.result).toBe('success');
  expect(planComments()).toHaveLength(1);
  const [second] = planComments();
  expect(second!.id).toBe(first!.id);
  expect(second!.body).toContain(step(again, 'plan', 'plan').outputs.plan);
  expect(second!.body).toContain('| Task CPU | `256` | `1024` |');
  expect(second!.body).not.toContain('| Task CPU | `256` | `512` |');
  expect(sandbox.state('github').comments.filter((comment) => comment.issue === 7)).toHaveLength(2);
});

test('a pull request from a fork skips the AWS plan and the comment with a notice, instead of failing on OIDC', async () => {
  const run = await runWorkflow(example('pr-checks.yml'), options({ ...STARTS['pr-checks.yml'], fromFork: true }));
  expect(results(run)).toEqual({ test: 'success', plan: 'skipped', 'plan-skipped': 'success' });
  expect(run.jobs['plan-skipped']!.steps[0]!.stdout).toMatch(/^::notice title=Deploy plan skipped::.*fork/m);
  expect(sandbox.recorder.calls().filter((call) => call.service === 'ecs')).toEqual([]);
  expect(planComments()).toEqual([]);
});

test('rollback: the image of an earlier commit goes back out, and Slack is told', async () => {
  const inputs = { environment: 'staging', sha: GOOD, confirm: 'rollback' };
  const run = await runWorkflow(example('rollback.yml'), options({ event: 'workflow_dispatch', inputs }));
  expect(results(run)).toEqual({ rollback: 'success', 'restore-database': 'skipped' });
  expect(restores()).toEqual([]);
  expect(step(run, 'rollback', 'deploy').outputs.result).toBe('succeeded');
  expect(grantedScopes(run.jobs.rollback!.permissions!)).toEqual(['id-token']);
  expect(slackTexts().at(-1)).toMatch(/rollback of staging/i);
});

/** The RDS restores that reached the sandbox (refused or not). */
function restores() {
  return sandbox.recorder.calls().filter((call) => call.operation === 'RestoreDBInstanceFromDBSnapshot');
}

/** The AWS CLI, reading the sandbox's RDS as it reads AWS's. */
async function awsRds(...args: string[]): Promise<any> {
  const env = sandbox.env();
  const { stdout } = await promisify(execFile)(
    'aws',
    ['rds', ...args, '--endpoint-url', sandbox.url, '--region', 'us-east-1', '--output', 'json'],
    {
      timeout: 100_000,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: tmpdir(),
        AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID!,
        AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY!,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_PAGER: '',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    },
  );
  return JSON.parse(stdout);
}

test('rollback with the database restore: approved on its own, least permissions, the failed release’s snapshot restored beside the original', async () => {
  const run = await runWorkflow(example('rollback.yml'), options(STARTS['rollback.yml']!));
  expect(results(run)).toEqual({ rollback: 'success', 'restore-database': 'success' });
  const job = run.jobs['restore-database']!;
  expect([job.environment, job.review]).toEqual(['database-restore', 'approved']);
  expect(run.jobs.rollback!.environment).toBe('staging');
  expect(grantedScopes(job.permissions!)).toEqual(['deployments', 'id-token']);
  expect(job.permissions!.deployments).toBe('read');
  expect(step(run, 'restore-database', 'record').outputs).toEqual({
    'snapshot-id': 'pre-release-staging-20261205-101500-e7a1c3f',
    kind: 'instance',
    database: 'shop-staging',
  });
  const restored = step(run, 'restore-database', 'restore').outputs;
  expect(restored.identifier).toBe('shop-staging-restored');
  expect(restores()).toHaveLength(1);
  // The AWS CLI reads what the job left: the restored instance available with the original's settings, and the
  // original untouched.
  const [instance] = (await awsRds('describe-db-instances', '--db-instance-identifier', 'shop-staging-restored'))
    .DBInstances;
  expect(instance).toMatchObject({
    DBInstanceStatus: 'available',
    DBInstanceClass: 'db.t4g.medium',
    DBSubnetGroup: { DBSubnetGroupName: 'shop-private' },
    Endpoint: { Address: restored.endpoint },
  });
  const [original] = (await awsRds('describe-db-instances', '--db-instance-identifier', 'shop-staging')).DBInstances;
  expect(original.DBInstanceStatus).toBe('available');
  expect(slackTexts().at(-1)).toMatch(/database restore of staging/i);
});

test('the database restore waits for its own reviewers, and a rejection restores nothing', async () => {
  const waiting = await runWorkflow(
    example('rollback.yml'),
    options({ ...STARTS['rollback.yml'], reviews: { production: 'approved' } }),
  );
  // Approving the services' rollback (staging has no reviewers here) approves nothing of the database.
  expect(results(waiting)).toEqual({ rollback: 'success', 'restore-database': 'waiting' });
  expect(waiting.jobs['restore-database']!.steps).toEqual([]);
  const rejected = await runWorkflow(
    example('rollback.yml'),
    options({ ...STARTS['rollback.yml'], reviews: { 'database-restore': 'rejected' } }),
  );
  expect(rejected.jobs['restore-database']).toMatchObject({ result: 'failure', review: 'rejected', steps: [] });
  expect(restores()).toEqual([]);
  expect(sandbox.recorder.calls().filter((call) => call.service === 'rds')).toEqual([]);
});

test.each([
  ['a word instead of the name', 'yes', /"yes" does not confirm this restore\. Type "shop-staging-restored"/],
  ['the original’s name', 'shop-staging', /does not confirm this restore\. Type "shop-staging-restored"/],
])('the database restore refuses %s, before anything changes in RDS', async (_, confirmation, message) => {
  const inputs = { ...RESTORE, 'restore-confirm': confirmation };
  const run = await runWorkflow(example('rollback.yml'), options({ event: 'workflow_dispatch', inputs }));
  expect(run.jobs['restore-database']!.result).toBe('failure');
  const restore = step(run, 'restore-database', 'restore');
  expect(restore.outcome).toBe('failure');
  expect(restore.stdout).toMatch(message);
  expect(restores()).toEqual([]);
  expect(sandbox.recorder.mutatingCalls().filter((call) => call.service === 'rds')).toEqual([]);
  expect(slackTexts().at(-1)).toMatch(/database restore of staging/i);
});

test('the database restore refuses when the newest release of the environment did not fail', async () => {
  const inputs = { ...RESTORE, environment: 'production', 'restore-confirm': 'shop-production-restored' };
  const run = await runWorkflow(example('rollback.yml'), options({ event: 'workflow_dispatch', inputs }));
  expect(run.jobs['restore-database']!.result).toBe('failure');
  expect(step(run, 'restore-database', 'record').stdout).toMatch(/::error title=Nothing to restore::production has no/);
  expect(step(run, 'restore-database', 'restore').outcome).toBe('skipped');
  expect(restores()).toEqual([]);
});

/** Every (workflow, job, permission) the examples declare: the job-level block, or the workflow's when it has none. */
const declared = Object.keys(STARTS).flatMap((file) => {
  const workflow = readWorkflow(example(file));
  return Object.entries(workflow.jobs).flatMap(([job, definition]) => {
    const level = definition.permissions !== undefined ? 'job' : 'workflow';
    const block = (level === 'job' ? definition.permissions : workflow.permissions) as Record<string, string>;
    const scopes = grantedScopes(parsePermissions(block, job)!);
    return scopes.map((scope) => [file, job, scope, level] as const);
  });
});

/** The workflow with one permission taken out of the block that declared it (an empty block is `{}`). */
function without(file: string, job: string, scope: string, level: 'job' | 'workflow'): Workflow {
  const workflow = readWorkflow(example(file));
  const holder = level === 'job' ? workflow.jobs[job]! : workflow;
  const { [scope]: _removed, ...rest } = holder.permissions as Record<string, string>;
  holder.permissions = rest;
  return workflow;
}

test('the permission table covers every job that declares something', () => {
  expect(declared.length).toBeGreaterThanOrEqual(10);
  expect(new Set(declared.map(([, , scope]) => scope))).toEqual(
    new Set(['contents', 'deployments', 'id-token', 'pull-requests']),
  );
  expect(declared.every(([, , scope]) => (SCOPES as readonly string[]).includes(scope))).toBe(true);
});

test.each(declared)(
  '%s: job "%s" without %s (declared at %s level) fails as GitHub fails it',
  async (file, job, scope, level) => {
    const run = await runWorkflow(without(file, job, scope, level), options(startOf(file, job)));
    expect(run.jobs[job]!.result).toBe('failure');
    const log = run.jobs[job]!.steps.map((s) => s.stdout).join('\n');
    if (scope === 'id-token') {
      expect(log).toContain('Credentials could not be loaded, please check your action inputs');
    } else {
      expect(log).toContain('Resource not accessible by integration');
    }
  },
);
