/**
 * Faults for the actions that talk to GitHub, Slack and the deployed services: tag-release, notify-slack and
 * smoke-test, run against a sandbox that throttles (429), answers 5xx, drops connections or answers slowly. Each run
 * ends with the right result and leaves exactly one tag, one release, one deployment record, one Slack message.
 *
 * @runs-long: its runs wait out retries and GitHub's write spacing.
 */
import { createHash } from 'node:crypto';
import { jest } from '@jest/globals';
import { scenario as deployScenario } from '../ecs-deploy/helpers.js';
import { runAction, sandboxPerTest, type ActionRun } from '@ecs-ship/testing';
import { FAULT_KINDS, injectStorm, successes, type FaultKind } from './fault-storms.js';

jest.setTimeout(150_000);

const sha = (text: string) => createHash('sha1').update(text).digest('hex');
const FIRST = sha('first');
const SECOND = sha('second');
const TOKEN = 'ghs_faultsWriter00000000000000000000000';

const WORLD = {
  ...deployScenario('shop'),
  github: {
    repository: 'acme/shop',
    tokens: [{ token: TOKEN, permissions: { contents: 'write', deployments: 'write' } }],
    commits: [
      { sha: FIRST, message: 'feat: catalogue', author: 'alice', pr: 11 },
      { sha: SECOND, message: 'fix: basket totals', author: 'bob', pr: 12 },
    ],
  },
  slack: { webhooks: [{ name: 'deploys' }] },
};

const GITHUB_OPERATIONS = [
  'repos.getCommit',
  'git.getRef',
  'git.createTag',
  'git.createRef',
  'repos.getReleaseByTag',
  'repos.createRelease',
  'repos.listDeployments',
  'repos.createDeployment',
  'repos.createDeploymentStatus',
];

// The runs wait on retries far more than they compute: the tests run at the same time, each with a sandbox of its own.
const sandboxes = sandboxPerTest();

function expectSuccess(run: ActionRun): void {
  if (run.exitCode !== 0) throw new Error(`The run failed under faults:\n${run.stdout}\n${run.stderr}`);
  expect(run.errors).toEqual([]);
}

// GitHub's throttled answer is a spent rate limit (403, x-ratelimit-remaining 0, reset in a minute), which the action
// reports instead of holding the job: see the test after this block.
const GITHUB_FAULT_KINDS = FAULT_KINDS.filter((kind) => kind !== 'a throttling storm');

test.concurrent.each(GITHUB_FAULT_KINDS)(
  'tag-release under %s: one tag, one release, one deployment record',
  async (kind: FaultKind) => {
    const sandbox = await sandboxes.start(WORLD);
    const storm = injectStorm(sandbox, kind, { github: GITHUB_OPERATIONS });
    const run = await runAction('tag-release', {
      inputs: { sha: SECOND, tag: 'v3.0.0', 'create-release': 'true', 'deployment-environment': 'production' },
      env: sandbox.env(),
      timeoutMs: 120_000,
    });
    expectSuccess(run);
    storm.expectHit();
    const github = sandbox.state('github');
    expect(run.outputs.tag).toBe('v3.0.0');
    expect(github.refs.get('refs/tags/v3.0.0')).toMatchObject({ type: 'tag', sha: run.outputs['tag-sha'] });
    expect([...github.tagObjects.values()].filter((t) => t.tag === 'v3.0.0')).toHaveLength(1);
    expect(github.releases.filter((r) => r.tag_name === 'v3.0.0')).toHaveLength(1);
    expect(github.deployments.filter((d) => d.environment === 'production')).toHaveLength(1);
    expect(successes(sandbox, 'github', 'git.createRef')).toBe(1);
    expect(successes(sandbox, 'github', 'repos.createRelease')).toBe(1);
    expect(run.outputs['release-id']).toBe(String(github.releases[0]!.id));
  },
);

test.concurrent(
  'tag-release under a spent GitHub rate limit stops naming the reset time; the re-run converges to one of each',
  async () => {
    const sandbox = await sandboxes.start(WORLD);
    // The limit runs out between the tag object and its ref.
    sandbox.faults.inject({ kind: 'throttle', service: 'github', operation: 'git.createRef', count: 1 });
    const inputs = { sha: SECOND, tag: 'v3.0.0', 'create-release': 'true', 'deployment-environment': 'production' };
    const first = await runAction('tag-release', { inputs, env: sandbox.env(), timeoutMs: 60_000 });
    expect(first.exitCode).toBe(1);
    expect(first.errors).toEqual([expect.stringMatching(/rate limit .*Run the job again after \d{4}-\d\d-\d\dT/)]);
    const github = sandbox.state('github');
    expect(github.refs.has('refs/tags/v3.0.0')).toBe(false);
    expect(github.releases).toEqual([]);

    const again = await runAction('tag-release', { inputs, env: sandbox.env(), timeoutMs: 60_000 });
    expectSuccess(again);
    expect(github.refs.get('refs/tags/v3.0.0')).toMatchObject({ type: 'tag', sha: again.outputs['tag-sha'] });
    expect(github.releases.filter((r) => r.tag_name === 'v3.0.0')).toHaveLength(1);
    expect(github.deployments.filter((d) => d.environment === 'production')).toHaveLength(1);
  },
);

describe.each(FAULT_KINDS)('under %s', (kind: FaultKind) => {
  // A 5xx or a dropped connection comes after the whole message was sent: Slack may have posted it, and a webhook
  // cannot recognise a repeat, so the step says the outcome is unknown instead of risking a second message.
  const unknownOutcome = kind === 'a 5xx burst' || kind === 'connection resets';

  test.concurrent(
    `notify-slack: ${unknownOutcome ? 'never sent twice; delivered=unknown with a warning' : 'the message is delivered once'}`,
    async () => {
      const sandbox = await sandboxes.start(WORLD);
      const storm = injectStorm(sandbox, kind, { slack: ['post'] });
      const env = sandbox.env();
      const run = await runAction('notify-slack', {
        inputs: {
          'webhook-url': env.SLACK_WEBHOOK_URL!,
          status: 'success',
          environment: 'production',
          service: 'web',
          'fail-on-error': 'true',
        },
        env,
        timeoutMs: 60_000,
      });
      storm.expectHit();
      if (unknownOutcome) {
        expect(run.exitCode).toBe(1);
        expect(run.outputs.delivered).toBe('unknown');
        expect(run.warnings).toEqual([
          expect.stringMatching(/^The Slack notification may or may not have been delivered/),
        ]);
        expect(sandbox.recorder.calls({ service: 'slack' })).toHaveLength(1);
        return;
      }
      expectSuccess(run);
      expect(run.outputs).toEqual({ delivered: 'true', 'status-code': '200' });
      expect(sandbox.state('slack').delivered('deploys')).toHaveLength(1);
    },
  );

  test.concurrent('smoke-test: a flaky service within the warm-up still passes', async () => {
    const sandbox = await sandboxes.start(WORLD);
    // The service's first answers fail: the whole storm lands inside the warm-up window.
    const storm = injectStorm(sandbox, kind, { apps: ['*'] }, 3);
    const run = await runAction('smoke-test', {
      inputs: {
        checks: [
          '- name: web health',
          `  url: ${sandbox.url}/apps/shop/web/health`,
          '  expect:',
          '    json:',
          '      status: ok',
        ].join('\n'),
        'wait-for-healthy-seconds': '60',
        'consecutive-successes': '2',
        'expect-version': '1',
      },
      env: sandbox.env(),
      timeoutMs: 90_000,
    });
    expectSuccess(run);
    storm.expectHit();
    expect(run.outputs.result).toBe('passed');
    expect(run.outputs['failed-count']).toBe('0');
  });
});
