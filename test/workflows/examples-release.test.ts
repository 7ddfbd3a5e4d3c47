/**
 * The example workflows, run job by job with the local workflow runner against the sandbox, under the permissions
 * each job declares, enforced as GitHub enforces them: the suite's actions run through their real bundles;
 * third-party actions run as models (test/workflow-runner/third-party.ts); `run:` steps run in bash. The sandbox's
 * world (test/workflows/scenario.yaml) holds the names that the repository variables give (./examples-world.ts).
 * This file: staging, production and the pull-request checks, then each of their declared permissions taken away
 * (examples-permissions.ts), after the whole runs they reuse. examples-rollback.test.ts: the rollback and the
 * database restore.
 *
 * @runs-long: whole example workflows, job by job.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { grantedScopes } from '../workflow-runner/permissions.js';
import { runWorkflow } from '../workflow-runner/runner.js';
import { permissionsOf, testEveryPermission } from './examples-permissions.js';
import {
  BAD,
  FAILED_PRODUCTION,
  GOOD,
  STARTS,
  example,
  operations,
  options,
  results,
  runExample,
  revision,
  sandbox,
  seedWorkspace,
  slackTexts,
  step,
  template,
  useExamplesSandbox,
  variables,
} from './examples-world.js';

// A whole production run, with its snapshot, migration, deploy and rollback, takes 10 to 40 s on a loaded machine.
jest.setTimeout(120_000);
useExamplesSandbox();

test('staging: a push to main builds (reusing the pushed image), migrates, deploys, smoke-tests and records', async () => {
  const run = await runExample('deploy-staging.yml', STARTS['deploy-staging.yml']!);
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
    options({ ...STARTS['deploy-staging.yml'], vars: { ...variables(), IMAGE_PLATFORMS: 'linux/amd64,linux/arm64' } }),
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
  const run = await runExample('deploy-production.yml', STARTS['deploy-production.yml']!);
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
  const run = await runExample('deploy-production.yml', FAILED_PRODUCTION);
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
  const run = await runExample('pr-checks.yml', STARTS['pr-checks.yml']!);
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

testEveryPermission(permissionsOf('examples-release'));
