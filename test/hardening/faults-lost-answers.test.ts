/**
 * Lost answers: the call takes effect, then its answer is lost (a 5xx or a dropped connection), and the client's
 * retry repeats it. This is where a retried write can be applied twice, so each action must converge to one of
 * each side effect: one one-off task, one tag per image, one Git tag, one release.
 */
import { createHash } from 'node:crypto';
import { jest } from '@jest/globals';
import { ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { SANDBOX_ACCESS_KEY_ID, SANDBOX_SECRET_ACCESS_KEY, startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { CLUSTER, migrate, migrationInputs, scenario as migrationScenario } from '../run-migration/helpers.js';
import { ecrScenario } from '../build-push-ecr/scenario.js';
import { scenario as deployScenario } from '../ecs-deploy/helpers.js';
import { runAction, type ActionRun } from '@ecs-ship/testing';

jest.setTimeout(120_000);

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({});
});
afterAll(() => sandbox.stop());

function expectSuccess(run: ActionRun): void {
  if (run.exitCode !== 0) throw new Error(`The run failed:\n${run.stdout}\n${run.stderr}`);
  expect(run.errors).toEqual([]);
}

function lostAnswers(): number {
  return sandbox.recorder.calls().filter((call) => call.fault === 'reset after' || call.fault === 'error after').length;
}

test('the sandbox: a lost answer means the change was made, and a blind retry makes it twice', async () => {
  sandbox.load({ region: 'eu-west-1', ecs: { clusters: ['shop'] } });
  sandbox.faults.inject({ kind: 'error', service: 'ecs', operation: 'RegisterTaskDefinition', after: true, count: 1 });
  const ecs = new ECSClient({
    region: 'eu-west-1',
    endpoint: sandbox.url,
    credentials: { accessKeyId: SANDBOX_ACCESS_KEY_ID, secretAccessKey: SANDBOX_SECRET_ACCESS_KEY },
  });
  const answer = await ecs.send(
    new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [{ name: 'web', image: 'web:1' }] }),
  );
  expect(answer.taskDefinition?.revision).toBe(2);
  expect(sandbox.recorder.calls({ operation: 'RegisterTaskDefinition' }).map((c) => [c.status, c.fault])).toEqual([
    [503, 'error after'],
    [200, undefined],
  ]);
  ecs.destroy();
});

describe.each([
  ['a dropped connection', 'reset'],
  ['a 5xx', 'error'],
] as const)('after %s that lost the answer', (_label, kind) => {
  // The action sends RunTask a client token, so ECS starts one task however often the call is retried.
  test('RunTask retried with its client token starts one task', async () => {
    sandbox.load(migrationScenario('migrations'));
    sandbox.faults.inject({ kind, service: 'ecs', operation: 'RunTask', after: true, count: 1 });
    const run = await migrate(sandbox, migrationInputs(), { timeoutMs: 90_000 });
    expectSuccess(run);
    expect(lostAnswers()).toBe(1);
    const world = sandbox.state('ecs');
    const oneOff = world.tasksOf('eu-west-1', CLUSTER).filter((task) => task.details.serviceName === undefined);
    expect(oneOff).toHaveLength(1);
    expect(run.outputs['exit-code']).toBe('0');
  });

  // The retried CreateDBSnapshot is refused with DBSnapshotAlreadyExists for the snapshot its own first attempt made;
  // the request's tag on that snapshot shows it is ours, so the action waits for it instead of stopping.
  test('a CreateDBSnapshot that already took effect is waited for, not taken twice', async () => {
    sandbox.load(migrationScenario('migrations'));
    sandbox.faults.inject({ kind, service: 'rds', operation: 'CreateDBSnapshot', after: true, count: 1 });
    const run = await migrate(sandbox, migrationInputs({ 'snapshot-db-instance': 'shop-db' }), { timeoutMs: 90_000 });
    expectSuccess(run);
    expect(lostAnswers()).toBe(1);
    expect(run.outputs['snapshot-id']).not.toBe('');
    const created = sandbox.recorder.calls({ operation: 'CreateDBSnapshot' });
    expect(created.length).toBeGreaterThan(1); // the retry happened, and found the snapshot already there
    expect(sandbox.recorder.calls({ operation: 'RunTask', failed: false }).length).toBeGreaterThan(0);
  });

  test('deploy: an UpdateService retried after its answer was lost still ends on one new revision', async () => {
    sandbox.load(deployScenario('shop'));
    sandbox.faults.inject({ kind, service: 'ecs', operation: 'UpdateService', after: true, count: 1 });
    const run = await runAction('ecs-deploy-with-circuit-breaker', {
      inputs: { cluster: 'shop', services: 'web', image: 'registry.example/web:2', 'poll-interval-seconds': '0.2' },
      env: sandbox.env(),
      timeoutMs: 90_000,
    });
    expectSuccess(run);
    expect(lostAnswers()).toBe(1);
    expect(run.outputs.result).toBe('succeeded');
    const world = sandbox.state('ecs');
    expect(world.taskDefinition('eu-west-1', 'web')?.revision).toBe(2);
    expect(world.service('eu-west-1', 'shop', 'web')?.taskDefinitionArn).toMatch(/web:2$/);
  });

  // RegisterTaskDefinition takes no client token, so a blind retry of a call whose answer was lost registers a
  // second, identical revision. Before retrying, the action looks for the revision its first attempt registered.
  test('a RegisterTaskDefinition retried after a lost answer leaves one new revision', async () => {
    sandbox.load(deployScenario('shop'));
    sandbox.faults.inject({ kind, service: 'ecs', operation: 'RegisterTaskDefinition', after: true, count: 1 });
    const run = await runAction('ecs-deploy-with-circuit-breaker', {
      inputs: { cluster: 'shop', services: 'web', image: 'registry.example/web:2', 'poll-interval-seconds': '0.2' },
      env: sandbox.env(),
      timeoutMs: 90_000,
    });
    expectSuccess(run);
    const world = sandbox.state('ecs');
    expect(world.taskDefinition('eu-west-1', 'web')?.revision).toBe(2);
    expect(run.stdout).toContain('its first answer was lost; the retry found it rather than register twice');
  });

  test('run-migration-task: a RegisterTaskDefinition retried after a lost answer registers one revision', async () => {
    sandbox.load(migrationScenario('migrations'));
    const world = sandbox.state('ecs');
    const before = world.taskDefinition('eu-west-1', 'shop-migrate')!.revision;
    sandbox.faults.inject({ kind, service: 'ecs', operation: 'RegisterTaskDefinition', after: true, count: 1 });
    const run = await migrate(sandbox, migrationInputs(), { timeoutMs: 90_000 });
    expectSuccess(run);
    expect(lostAnswers()).toBe(1);
    expect(run.stdout).toContain('The answer to the first registration was lost');
    expect(world.taskDefinition('eu-west-1', 'shop-migrate')?.revision).toBe(before + 1);
    expect(sandbox.recorder.calls({ operation: 'RunTask', failed: false })[0]!.params).toMatchObject({
      taskDefinition: expect.stringMatching(new RegExp(`shop-migrate:${before + 1}$`)),
    });
  });

  test('build-push-ecr promote: a PutImage that already took effect is not an error', async () => {
    sandbox.load(ecrScenario());
    sandbox.faults.inject({ kind, service: 'ecr', operation: 'PutImage', after: true, count: 1 });
    const run = await runAction('build-push-ecr', {
      inputs: { repository: 'shop/web', 'source-tag': 'staging', tags: 'production, v1.4.0' },
      env: sandbox.env(),
    });
    expectSuccess(run);
    expect(lostAnswers()).toBe(1);
    const tags = sandbox.state('ecr').repository('eu-west-1', 'shop/web').tags;
    expect(tags.get('production')).toBe(tags.get('staging'));
    expect(tags.get('v1.4.0')).toBe(tags.get('staging'));
  });

  test('tag-release: the ref and the release exist once', async () => {
    const sha = createHash('sha1').update('second').digest('hex');
    sandbox.load({
      github: {
        repository: 'acme/shop',
        tokens: [{ token: 'ghs_lostAnswers000000000000000000000000', permissions: { contents: 'write' } }],
        commits: [{ sha, message: 'fix: basket totals', author: 'bob' }],
      },
    });
    sandbox.faults.inject(
      { kind, service: 'github', operation: 'git.createRef', after: true, count: 1 },
      { kind, service: 'github', operation: 'repos.createRelease', after: true, count: 1 },
    );
    const run = await runAction('tag-release', {
      inputs: { sha, tag: 'v3.0.0', 'create-release': 'true' },
      env: sandbox.env(),
      timeoutMs: 60_000,
    });
    expectSuccess(run);
    expect(lostAnswers()).toBe(2);
    const github = sandbox.state('github');
    expect(github.refs.get('refs/tags/v3.0.0')).toMatchObject({ type: 'tag' });
    expect(github.releases.filter((r) => r.tag_name === 'v3.0.0')).toHaveLength(1);
    expect(run.outputs['release-id']).toBe(String(github.releases[0]!.id));
  });
});
