import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { runWorkflow, suiteAction } from './runner.js';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.stop());

describe('the local workflow runner', () => {
  test('runs jobs in needs order with outputs, env, if: and the real bundles', async () => {
    const run = await runWorkflow(fixture('chain.yml'), {
      event: 'workflow_dispatch',
      inputs: { who: 'ops' },
      env: sandbox.env(),
    });
    expect(run.order).toEqual(['first', 'second']);
    expect(run.jobs.first!.outputs).toEqual({ word: 'hello-ops' });
    const second = run.jobs.second!;
    expect(second.environment).toBe('production');
    expect(second.result).toBe('failure');
    expect(second.steps.map((s) => [s.id, s.outcome])).toEqual([
      ['deploy', 'failure'],
      ['after', 'skipped'],
      ['report', 'success'],
    ]);
    expect(second.steps[0]!.action!.errors[0]).toMatch(
      /^Input "cluster": "not a cluster" is not a cluster name or ARN/,
    );
    expect(second.steps[2]!.outputs).toEqual({ result: 'hello-ops' });
  });

  test('a reference to an output the action does not declare fails before anything runs', async () => {
    await expect(runWorkflow(fixture('wrong-output.yml'), { event: 'push', env: sandbox.env() })).rejects.toThrow(
      'step "deploy" has no output "status"',
    );
  });

  test('a missing required input fails the run', async () => {
    await expect(runWorkflow(fixture('missing-input.yml'), { event: 'push', env: sandbox.env() })).rejects.toThrow(
      'does not give the required input "cluster"',
    );
  });

  test.each([
    ['pull_request', false, 'write', 'given'],
    ['pull_request', true, 'read', ''],
    ['pull_request_target', true, 'write', 'given'],
  ] as const)(
    'a %s event (from a fork: %s): the payload, the variables, and a %s token',
    async (event, fromFork, access, secret) => {
      const run = await runWorkflow(fixture('pull-request.yml'), {
        event,
        fromFork,
        pullRequest: 12,
        secrets: { DEPLOY_KEY: 'not-for-forks' },
        env: sandbox.env(),
      });
      const job = run.jobs.show!;
      expect(job.permissions!['pull-requests']).toBe(access);
      const ref = event === 'pull_request' ? 'refs/pull/12/merge' : 'refs/heads/main';
      expect(job.steps[0]!.outputs).toEqual({
        number: '12',
        head: fromFork ? 'octo-fork/shop' : 'acme/shop',
        secret,
        event: `${event} ${ref} feature main`,
        payload: '12 12',
      });
    },
  );

  test.each([
    ['ecs-ship/ecs-ship/actions/smoke-test@v1', 'smoke-test'],
    ['ecs-ship/ecs-ship@v1', 'release'],
    ['./actions/tag-release', 'tag-release'],
    ['acme/ecs-ship/actions/smoke-test@v1', undefined],
    ['actions/checkout@v4', undefined],
  ])('%s is %s', (uses, name) => expect(suiteAction(uses)).toBe(name));
});
