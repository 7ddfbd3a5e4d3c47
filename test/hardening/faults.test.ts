/**
 * Faults: the AWS actions (deploy, migration, build-push-ecr promote) run against a sandbox that throttles, answers
 * 5xx, drops connections or answers slowly on every operation they use. Each run must end with the right result and
 * no duplicated side effect: one task-definition revision per service, one UpdateService, one one-off task, one
 * snapshot, one PutImage per new tag. The sandbox applies faults before handlers, and the recorder shows each faulted
 * attempt, so the tests also prove that the storm really hit.
 */
import { jest } from '@jest/globals';
import { scenario as deployScenario } from '../ecs-deploy/helpers.js';
import { CLUSTER, migrate, migrationInputs, scenario as migrationScenario } from '../run-migration/helpers.js';
import { ecrScenario } from '../build-push-ecr/scenario.js';
import { runAction, sandboxPerTest, type ActionRun } from '@ecs-ship/testing';
import { FAULT_KINDS, injectStorm, successes, type FaultKind } from './fault-storms.js';

jest.setTimeout(120_000);

// The runs wait on retries far more than they compute: the tests of a block run at the same time, each with a
// sandbox of its own.
const sandboxes = sandboxPerTest();

function explain(run: ActionRun): string {
  return `exit ${run.exitCode}\n${run.stdout}\n${run.stderr}`;
}

function expectSuccess(run: ActionRun): void {
  if (run.exitCode !== 0) throw new Error(`The run failed under faults:\n${explain(run)}`);
  expect(run.errors).toEqual([]);
}

const DEPLOY_OPERATIONS = [
  'DescribeClusters',
  'DescribeServices',
  'DescribeTaskDefinition',
  'ListServiceDeployments',
  'RegisterTaskDefinition',
  'UpdateService',
  'DescribeServiceDeployments',
];

describe.each(FAULT_KINDS)('under %s', (kind: FaultKind) => {
  test.concurrent('deploy: one new revision, one UpdateService, the deployment succeeds', async () => {
    const sandbox = await sandboxes.start(deployScenario('shop'));
    const storm = injectStorm(sandbox, kind, { ecs: DEPLOY_OPERATIONS });
    const run = await runAction('ecs-deploy-with-circuit-breaker', {
      inputs: { cluster: 'shop', services: 'web', image: 'registry.example/web:2', 'poll-interval-seconds': '0.2' },
      env: sandbox.env(),
      timeoutMs: 90_000,
    });
    expectSuccess(run);
    expect(run.outputs.result).toBe('succeeded');
    storm.expectHit();
    expect(successes(sandbox, 'ecs', 'RegisterTaskDefinition')).toBe(1);
    expect(successes(sandbox, 'ecs', 'UpdateService')).toBe(1);
    const world = sandbox.state('ecs');
    expect(world.taskDefinition('eu-west-1', 'web')?.revision).toBe(2);
    expect(JSON.parse(run.outputs['task-definition-arns']!)).toEqual({ web: expect.stringMatching(/web:2$/) });
  });

  test.concurrent('migration: one snapshot, one one-off task, exit code 0', async () => {
    const sandbox = await sandboxes.start(migrationScenario('migrations'));
    const storm = injectStorm(sandbox, kind, {
      ecs: ['DescribeTaskDefinition', 'RegisterTaskDefinition', 'RunTask', 'DescribeTasks'],
      logs: ['GetLogEvents'],
      rds: ['CreateDBSnapshot', 'DescribeDBSnapshots'],
    });
    const run = await migrate(sandbox, migrationInputs({ 'snapshot-db-instance': 'shop-db' }), { timeoutMs: 90_000 });
    expectSuccess(run);
    expect(run.outputs['exit-code']).toBe('0');
    storm.expectHit();
    expect(successes(sandbox, 'rds', 'CreateDBSnapshot')).toBe(1);
    expect(successes(sandbox, 'ecs', 'RunTask')).toBe(1);
    const oneOff = sandbox
      .state('ecs')
      .tasksOf('eu-west-1', CLUSTER)
      .filter((task) => task.details.serviceName === undefined);
    expect(oneOff).toHaveLength(1);
  });

  test.concurrent('build-push-ecr promote: each new tag put once, both on the tested digest', async () => {
    const sandbox = await sandboxes.start(ecrScenario());
    const storm = injectStorm(sandbox, kind, { ecr: ['DescribeRepositories', 'BatchGetImage', 'PutImage'] });
    const run = await runAction('build-push-ecr', {
      inputs: { repository: 'shop/web', 'source-tag': 'staging', tags: 'production, v1.4.0' },
      env: sandbox.env(),
      timeoutMs: 90_000,
    });
    expectSuccess(run);
    storm.expectHit();
    expect(successes(sandbox, 'ecr', 'PutImage')).toBe(2);
    const tags = sandbox.state('ecr').repository('eu-west-1', 'shop/web').tags;
    expect(tags.get('production')).toBe(tags.get('staging'));
    expect(tags.get('v1.4.0')).toBe(tags.get('staging'));
    expect(run.outputs.digest).toBe(tags.get('staging'));
  });
});

describe('under a sustained rate limit on the whole service', () => {
  test.concurrent('deploy: the adaptive client slows down and the deployment succeeds with one revision', async () => {
    const sandbox = await sandboxes.start(deployScenario('shop'));
    sandbox.faults.inject({ kind: 'rateLimit', service: 'ecs', perSecond: 4, burst: 2 });
    const run = await runAction('ecs-deploy-with-circuit-breaker', {
      inputs: { cluster: 'shop', services: 'web', image: 'registry.example/web:2', 'poll-interval-seconds': '0.2' },
      env: sandbox.env(),
      timeoutMs: 90_000,
    });
    expectSuccess(run);
    expect(run.outputs.result).toBe('succeeded');
    expect(sandbox.recorder.calls({ service: 'ecs' }).some((call) => call.fault === 'rateLimit')).toBe(true);
    expect(successes(sandbox, 'ecs', 'RegisterTaskDefinition')).toBe(1);
    expect(successes(sandbox, 'ecs', 'UpdateService')).toBe(1);
  });

  test.concurrent('migration: one one-off task under a rate limit on ECS, Logs and RDS', async () => {
    const sandbox = await sandboxes.start(migrationScenario('migrations'));
    for (const service of ['ecs', 'logs', 'rds'])
      sandbox.faults.inject({ kind: 'rateLimit', service, perSecond: 4, burst: 2 });
    const run = await migrate(sandbox, migrationInputs({ 'snapshot-db-instance': 'shop-db' }), { timeoutMs: 90_000 });
    expectSuccess(run);
    expect(sandbox.recorder.calls().some((call) => call.fault === 'rateLimit')).toBe(true);
    expect(successes(sandbox, 'ecs', 'RunTask')).toBe(1);
    expect(successes(sandbox, 'rds', 'CreateDBSnapshot')).toBe(1);
  });
});
