/**
 * The rollback example, run job by job with the local workflow runner against the sandbox under the permissions each
 * job declares (see examples-release.test.ts): the services' rollback, and the database restore with its own
 * environment, reviewers and typed confirmation, read back with the AWS CLI; then each declared permission taken
 * away (examples-permissions.ts), after the whole run it reuses.
 *
 * @runs-long: whole example workflows, job by job.
 */
import { jest } from '@jest/globals';
import { awsCli } from '@ecs-ship/testing/aws-cli';
import { grantedScopes } from '../workflow-runner/permissions.js';
import { runWorkflow } from '../workflow-runner/runner.js';
import { permissionsOf, testEveryPermission } from './examples-permissions.js';
import {
  GOOD,
  RESTORE,
  STARTS,
  example,
  options,
  restores,
  results,
  runExample,
  sandbox,
  slackTexts,
  step,
  useExamplesSandbox,
} from './examples-world.js';

jest.setTimeout(120_000);
useExamplesSandbox();

/** The AWS CLI, reading the sandbox's RDS as it reads AWS's. */
function awsRds(...args: string[]): Promise<any> {
  const env = sandbox.env();
  const cli = awsCli(sandbox.url, 'us-east-1', {
    accessKeyId: env.AWS_ACCESS_KEY_ID!,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
  });
  return cli.json('rds', ...args);
}

test('rollback: the image of an earlier commit goes back out, and Slack is told', async () => {
  const inputs = { environment: 'staging', sha: GOOD, confirm: 'rollback' };
  const run = await runWorkflow(example('rollback.yml'), options({ event: 'workflow_dispatch', inputs }));
  expect(results(run)).toEqual({ rollback: 'success', 'restore-database': 'skipped' });
  expect(restores()).toEqual([]);
  expect(step(run, 'rollback', 'deploy').outputs.result).toBe('succeeded');
  expect(grantedScopes(run.jobs.rollback!.permissions!)).toEqual(['id-token']);
  expect(slackTexts().at(-1)).toMatch(/rollback of staging/i);
});

test('rollback with the database restore: approved on its own, least permissions, the failed release’s snapshot restored beside the original', async () => {
  const run = await runExample('rollback.yml', STARTS['rollback.yml']!);
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

testEveryPermission(permissionsOf('examples-rollback'));
