// The tag-release bundle run as the runner runs it, against the sandbox's GitHub REST API with the real Octokit.
import { createHash } from 'node:crypto';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { readActionMetadata, runAction, startAction, type ActionRun } from '@ecs-ship/testing';
import { inputErrors } from '@ecs-ship/testing/input-check';

const sha = (text: string) => createHash('sha1').update(text).digest('hex');
const FIRST = sha('first');
const SECOND = sha('second');
const THIRD = sha('third');
const UNKNOWN = sha('never pushed');
const TOKEN = 'ghs_tagReleaseWriter000000000000000000';

function scenario(github: Record<string, unknown> = {}) {
  return {
    github: {
      repository: 'acme/shop',
      serverUrl: 'https://github.com',
      tokens: [{ token: TOKEN, permissions: { contents: 'write', deployments: 'write' } }],
      commits: [
        { sha: FIRST, message: 'feat: catalogue', author: 'alice', pr: 11 },
        { sha: SECOND, message: 'fix: basket totals', author: 'bob', pr: 12 },
        { sha: THIRD, message: 'feat: checkout', author: 'carol', pr: 13 },
      ],
      ...github,
    },
  };
}

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: scenario() });
});

afterAll(async () => {
  await sandbox?.stop();
});

beforeEach(() => sandbox.load(scenario()));

const github = () => sandbox.state('github');

function tagRelease(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  return runAction('tag-release', { inputs, env: { ...sandbox.env(), ...env }, timeoutMs: 30_000 });
}

function mutatingOperations(): string[] {
  return sandbox.recorder.mutatingCalls().map((call) => call.operation);
}

function expectSuccess(run: ActionRun): void {
  if (run.exitCode !== 0) throw new Error(`tag-release failed:\n${run.stdout}\n${run.stderr}`);
}

describe('tag-release against the sandbox', () => {
  it('creates an annotated tag from a template: the tag object, then the ref', async () => {
    const run = await tagRelease({
      sha: SECOND,
      tag: 'production-{date}-{sha7}',
      'deployment-environment': 'production',
    });
    expectSuccess(run);
    const today = new Date().toISOString().slice(0, 10);
    const tag = `production-${today}-${SECOND.slice(0, 7)}`;
    expect(run.outputs.tag).toBe(tag);

    const ref = github().refs.get(`refs/tags/${tag}`);
    expect(ref).toMatchObject({ type: 'tag', sha: run.outputs['tag-sha'] });
    const object = github().tagObjects.get(run.outputs['tag-sha']!);
    expect(object).toMatchObject({ tag, object: { sha: SECOND, type: 'commit' } });
    expect(object?.message).toBe(`Release ${tag} of ${SECOND.slice(0, 7)} to production.`);

    const writes = mutatingOperations();
    expect(writes.indexOf('git.createTag')).toBeLessThan(writes.indexOf('git.createRef'));
    expect(run.summary).toContain(`[${tag}](https://github.com/acme/shop/tree/${tag})`);
    expect(run.summary).toContain(`https://github.com/acme/shop/commit/${SECOND}`);
    expect(run.visibleText).not.toContain(TOKEN);
  });

  it('reads every input declared in action.yml and sets only declared outputs', async () => {
    const run = await tagRelease({ sha: FIRST, tag: 'v1.0.0' });
    expectSuccess(run);
    const metadata = readActionMetadata('tag-release');
    expect(new Set(run.inputsRead)).toEqual(new Set(Object.keys(metadata.inputs ?? {})));
    expect(Object.keys(run.outputs).every((name) => name in (metadata.outputs ?? {}))).toBe(true);
    expect(run.outputs).toMatchObject({ tag: 'v1.0.0', 'release-url': '', 'release-id': '', 'deployment-id': '' });
  });

  it('is idempotent: a re-run finds the tag on the same commit, says so and writes nothing', async () => {
    const inputs = { sha: SECOND, tag: 'v2.0.0', 'create-release': 'true', 'deployment-environment': 'production' };
    const first = await tagRelease(inputs);
    expectSuccess(first);
    sandbox.recorder.clear();

    const again = await tagRelease(inputs);
    expectSuccess(again);
    expect(again.outputs).toEqual(first.outputs);
    expect(again.lines).toContain(`Tag v2.0.0 is already on ${SECOND}: nothing to do.`);
    expect(again.lines.some((line) => line.startsWith('Release of v2.0.0 already exists'))).toBe(true);
    expect(mutatingOperations()).toEqual([]);
    expect(again.summary).toContain('(already there)');
    expect(again.lines).toContain(`Deployment ${first.outputs['deployment-id']} is already success.`);
    expect(github().releases).toHaveLength(1);
    expect(github().deployments).toHaveLength(1);
  });

  it('refuses a tag that is already on another commit, naming both commits', async () => {
    sandbox.load(scenario({ tags: [{ name: 'v1.0.0', sha: FIRST }] }));
    const run = await tagRelease({ sha: THIRD, tag: 'v1.0.0', 'create-release': 'true' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(`Tag "v1.0.0" already exists on commit ${FIRST}, not on ${THIRD}.`);
    expect(mutatingOperations()).toEqual([]);
    expect(github().refs.get('refs/tags/v1.0.0')?.sha).toBe(FIRST);
  });

  it('refuses a full SHA the repository does not have, before writing anything', async () => {
    const run = await tagRelease({ sha: UNKNOWN, tag: 'v9.9.9', 'deployment-environment': 'production' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      `Input "sha": commit ${UNKNOWN} does not exist in acme/shop. Pass the full SHA of a commit that was pushed to this repository.`,
    ]);
    expect(mutatingOperations()).toEqual([]);
  });

  it('refuses a short SHA without calling GitHub at all', async () => {
    const run = await tagRelease({ sha: SECOND.slice(0, 7), tag: 'v1.0.0' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^Input "sha": ".{7}" is a short SHA \(7 characters\)/);
    expect(sandbox.recorder.calls()).toEqual([]);
  });

  it('bumps from the highest semver tag, ignoring pre-releases, other prefixes and non-semver tags', async () => {
    sandbox.load(
      scenario({
        tags: [
          { name: 'v1.2.0', sha: FIRST },
          { name: 'v1.9.0', sha: FIRST },
          { name: 'v1.10.0-rc.1', sha: SECOND },
          { name: 'api-v7.0.0', sha: SECOND },
          { name: 'nightly', sha: SECOND },
        ],
      }),
    );
    const run = await tagRelease({ sha: THIRD, bump: 'minor', prefix: 'v' });
    expectSuccess(run);
    expect(run.outputs.tag).toBe('v1.10.0');
    expect(run.lines).toContain('Highest version tag is v1.9.0: the minor bump gives v1.10.0.');
    expect(run.summary).toContain('`v1.9.0`');

    sandbox.recorder.clear();
    const again = await tagRelease({ sha: THIRD, bump: 'minor', prefix: 'v' });
    expectSuccess(again);
    expect(again.outputs.tag).toBe('v1.10.0');
    expect(mutatingOperations()).toEqual([]);
  });

  it('publishes a release with generated notes and the details from earlier steps', async () => {
    sandbox.load(scenario({ tags: [{ name: 'v1.0.0', sha: FIRST }] }));
    // The earlier release, so the generated notes cover only what is new since it.
    const earlier = await tagRelease({ sha: FIRST, tag: 'v1.0.0', 'create-release': 'true' });
    expectSuccess(earlier);

    const details = {
      image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/shop@sha256:${'a'.repeat(64)}`,
      revisions: { web: 7 },
    };
    const run = await tagRelease({
      sha: THIRD,
      tag: 'v1.1.0',
      'create-release': 'true',
      'release-name': 'Shop 1.1',
      'deployment-environment': 'production',
      details: JSON.stringify(details),
    });
    expectSuccess(run);
    const release = github().releases.find((r) => r.tag_name === 'v1.1.0');
    expect(release).toBeDefined();
    expect(run.outputs['release-id']).toBe(String(release!.id));
    expect(run.outputs['release-url']).toBe('https://github.com/acme/shop/releases/tag/v1.1.0');
    expect(release!.name).toBe('Shop 1.1');
    expect(release!.latest).toBe(true);
    expect(release!.body).toContain(`Commit \`${THIRD}\` released to **production**`);
    expect(release!.body).toContain('https://github.com/acme/shop/actions/runs/7001234567');
    expect(release!.body).toContain(`| image | \`${details.image}\` |`);
    expect(release!.body).toContain('| revisions | `{"web":7}` |');
    // GitHub's generated notes follow our body: the changes since v1.0.0, by pull request.
    expect(release!.body).toContain("## What's Changed");
    expect(release!.body).toContain('* fix: basket totals by @bob in https://github.com/acme/shop/pull/12');
    expect(release!.body).toContain('* feat: checkout by @carol in https://github.com/acme/shop/pull/13');
    expect(release!.body).not.toContain('feat: catalogue');
    expect(run.summary).toContain(`[release v1.1.0](${run.outputs['release-url']})`);
  });

  it('makes a pre-release that is not marked latest', async () => {
    const run = await tagRelease({
      sha: THIRD,
      tag: 'v2.0.0-rc.1',
      'create-release': 'true',
      prerelease: 'true',
      'generate-notes': 'false',
    });
    expectSuccess(run);
    const release = github().releases.find((r) => r.tag_name === 'v2.0.0-rc.1');
    expect(release).toMatchObject({ prerelease: true, latest: false, name: 'v2.0.0-rc.1' });
    expect(release!.body).not.toContain("What's Changed");
  });

  it('keeps masked values out of the release body and the deployment payload', async () => {
    const run = await tagRelease({
      sha: THIRD,
      tag: 'v4.0.0',
      'create-release': 'true',
      'deployment-environment': 'production',
      details: JSON.stringify({ note: `pushed with ${TOKEN}` }),
    });
    expectSuccess(run);
    const release = github().releases.find((r) => r.tag_name === 'v4.0.0')!;
    expect(release.body).toContain('| note | `pushed with ***` |');
    expect(release.body).not.toContain(TOKEN);
    const deployment = github().deployments.find((d) => d.id === Number(run.outputs['deployment-id']))!;
    expect(deployment.payload).toMatchObject({ note: 'pushed with ***' });
  });

  it('records a failed deployment without a tag when neither tag nor bump is given', async () => {
    const details = '{"snapshot":{"id":"pre-migration-1","kind":"instance","database":"shop-db"}}';
    const run = await tagRelease({
      sha: THIRD,
      'deployment-environment': 'production',
      'deployment-state': 'failure',
      details,
    });
    expectSuccess(run);
    expect(github().tagObjects.size).toBe(0);
    expect([...github().refs.keys()].filter((ref) => ref.startsWith('refs/tags/'))).toEqual([]);
    const record = github().deployments.find((d) => d.id === Number(run.outputs['deployment-id']))!;
    expect(record).toMatchObject({ sha: THIRD, environment: 'production' });
    expect(record.payload).toEqual({ ...JSON.parse(details), tag: '', sha: THIRD });
    expect(record.statuses.map((status) => status.state)).toEqual(['failure']);
    expect(run.outputs.tag ?? '').toBe('');
    expect(run.summary).toContain('Deployment recorded, not tagged');

    // A re-run finds its record instead of adding another.
    const again = await tagRelease({
      sha: THIRD,
      'deployment-environment': 'production',
      'deployment-state': 'failure',
    });
    expectSuccess(again);
    expect(again.outputs['deployment-id']).toBe(run.outputs['deployment-id']);
    expect(github().deployments).toHaveLength(1);
  });

  it('records deployments with statuses and marks earlier ones of the environment inactive', async () => {
    const deploy = async (commit: string, state = 'success', environment = 'production') => {
      const run = await tagRelease({
        sha: commit,
        tag: `${environment}-{sha7}`,
        'deployment-environment': environment,
        'deployment-state': state,
        'environment-url': 'https://shop.example.com',
        details: '{"image":"shop@sha256:1234"}',
      });
      expectSuccess(run);
      return Number(run.outputs['deployment-id']);
    };
    const staging = await deploy(FIRST, 'success', 'staging');
    const first = await deploy(FIRST);
    const second = await deploy(SECOND);
    const latestState = (id: number) =>
      github()
        .deployments.find((d) => d.id === id)
        ?.statuses.at(-1)?.state;
    expect(latestState(first)).toBe('inactive');
    expect(latestState(second)).toBe('success');

    // A failed deployment leaves the one that still runs alone.
    const failed = await deploy(THIRD, 'failure');
    expect(latestState(failed)).toBe('failure');
    expect(latestState(second)).toBe('success');

    // Retried after the fix: the same commit and tag, so the failed record gets the new status.
    const third = await deploy(THIRD);
    expect(third).toBe(failed);
    expect(latestState(second)).toBe('inactive');
    expect(latestState(third)).toBe('success');
    expect(
      github()
        .deployments.find((d) => d.id === third)!
        .statuses.map((s) => s.state),
    ).toEqual(['failure', 'success']);
    // Another environment is not touched.
    expect(latestState(staging)).toBe('success');

    const record = github().deployments.find((d) => d.id === third)!;
    expect(record).toMatchObject({ sha: THIRD, environment: 'production', production_environment: true });
    expect(record.payload).toEqual({ tag: `production-${THIRD.slice(0, 7)}`, sha: THIRD, image: 'shop@sha256:1234' });
    expect(record.statuses.at(-1)).toMatchObject({
      environment_url: 'https://shop.example.com',
      log_url: 'https://github.com/acme/shop/actions/runs/7001234567',
    });
    const inactive = github()
      .deployments.find((d) => d.id === second)!
      .statuses.at(-1)!;
    expect(inactive.description).toBe(`Superseded by production-${THIRD.slice(0, 7)} (${THIRD.slice(0, 7)}).`);
  });

  it('rides out a server error and a dropped connection', async () => {
    sandbox.faults.inject(
      { kind: 'error', service: 'github', operation: 'git.createRef', count: 1 },
      { kind: 'reset', service: 'github', operation: 'repos.createRelease', count: 1 },
    );
    const run = await tagRelease({ sha: SECOND, tag: 'v3.0.0', 'create-release': 'true' });
    expectSuccess(run);
    expect(run.lines).toContain(
      'GitHub answered 503 to POST /repos/{owner}/{repo}/git/refs; sending it again (attempt 2 of 4).',
    );
    expect(
      run.lines.some((line) => line.startsWith('GitHub answered 500 to POST /repos/{owner}/{repo}/releases;')),
    ).toBe(true);
    expect(github().refs.get('refs/tags/v3.0.0')?.type).toBe('tag');
    expect(github().releases.filter((r) => r.tag_name === 'v3.0.0')).toHaveLength(1);
  });

  it('stops with a cancellation message when the job is cancelled during a slow GitHub call', async () => {
    // A read, so that it is sent at once (writes are spaced a second apart by the throttling plugin).
    sandbox.faults.inject({
      kind: 'latency',
      service: 'github',
      operation: 'repos.listDeployments',
      ms: 3_000,
      count: 1,
    });
    const handle = startAction('tag-release', {
      inputs: { sha: SECOND, tag: 'v5.0.0', 'deployment-environment': 'production' },
      env: sandbox.env(),
      timeoutMs: 15_000,
    });
    await handle.waitForLine(/^Created annotated tag v5\.0\.0/);
    // The fault is used up when the call arrives: the sandbox is holding it now.
    await sandbox.waitFor(() => sandbox.faults.list().length === 0);
    handle.kill('SIGINT');
    const run = await handle.result;
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(['The job was cancelled (SIGINT).']);
    expect(run.lines.some((line) => line.includes('sending it again'))).toBe(false);
    expect(github().deployments).toEqual([]);
    // The server still finishes the call it was holding (as GitHub would); let it land before the next test.
    await sandbox.waitFor(() => sandbox.recorder.calls({ operation: 'repos.listDeployments' }).length > 0, {
      timeoutMs: 10_000,
    });
  });

  describe('permissions', () => {
    it('names contents: write when the token may only read contents', async () => {
      sandbox.load(scenario({ tokens: [{ token: TOKEN, permissions: { contents: 'read', deployments: 'write' } }] }));
      const run = await tagRelease({ sha: SECOND, tag: 'v1.0.0' });
      expect(run.exitCode).toBe(1);
      expect(run.errors).toEqual([
        'GitHub refused to create tag "v1.0.0" in acme/shop (403: Resource not accessible by integration). Give the job "permissions: contents: write" (or use a token that has it).',
      ]);
      expect(run.annotations.find((a) => a.level === 'error')?.properties.title).toBe(
        'Missing permission: contents: write',
      );
    });

    it('names deployments: write when the token may not write deployments', async () => {
      sandbox.load(scenario({ tokens: [{ token: TOKEN, permissions: { contents: 'write', deployments: 'read' } }] }));
      const run = await tagRelease({ sha: SECOND, tag: 'v1.0.0', 'deployment-environment': 'production' });
      expect(run.exitCode).toBe(1);
      expect(run.errors[0]).toMatch(
        /^GitHub refused to create a deployment for environment "production" in acme\/shop \(403: .*permissions: deployments: write/,
      );
      // The tag was made before the refusal: the outputs and the summary say so.
      expect(run.outputs).toMatchObject({ tag: 'v1.0.0', 'deployment-id': '' });
      expect(github().refs.get('refs/tags/v1.0.0')?.type).toBe('tag');
      expect(run.summary).toContain('## Release `v1.0.0` (incomplete)');
      expect(run.summary).toContain('| Deployment | not done |');
      expect(run.summary).toMatch(/\*\*Failed:\*\* GitHub refused to create a deployment/);
    });

    it('names the permission when GitHub hides the repository behind a 404', async () => {
      const run = await tagRelease({ sha: SECOND, tag: 'v1.0.0' }, { GITHUB_REPOSITORY: 'acme/secret' });
      expect(run.exitCode).toBe(1);
      expect(run.errors[0]).toMatch(
        /^GitHub answered 404 when asked to read the repository in acme\/secret .*permissions: contents: read/,
      );
      expect(mutatingOperations()).toEqual([]);
    });
  });

  describe('bad input: one ::error:: naming the input, and no call to GitHub', () => {
    const bad: [string, Record<string, string>, string][] = [
      ['a short SHA', { sha: 'abc1234', tag: 'v1' }, 'sha'],
      ['a SHA that is not hex', { sha: 'g'.repeat(40), tag: 'v1' }, 'sha'],
      ['neither tag nor bump', {}, 'tag'],
      [
        'neither tag nor bump for a successful deployment',
        { 'deployment-environment': 'production', 'deployment-state': 'success' },
        'tag',
      ],
      [
        'a release for an untagged failed deployment',
        { 'deployment-environment': 'production', 'deployment-state': 'failure', 'create-release': 'true' },
        'create-release',
      ],
      ['both tag and bump', { tag: 'v1', bump: 'patch' }, 'tag'],
      ['a tag with a space', { tag: 'release {date}' }, 'tag'],
      ['a tag with ".."', { tag: 'v1..2' }, 'tag'],
      ['an unknown placeholder', { tag: '{branch}-{sha7}' }, 'tag'],
      ['{env} without an environment', { tag: '{env}-{sha7}' }, 'tag'],
      ['an unknown bump', { bump: 'huge' }, 'bump'],
      ['a prefix git refuses', { bump: 'patch', prefix: 'v:' }, 'prefix'],
      ['a boolean typo', { tag: 'v1', 'create-release': 'yes' }, 'create-release'],
      ['an unknown make-latest', { tag: 'v1', 'create-release': 'true', 'make-latest': 'always' }, 'make-latest'],
      [
        'an unknown deployment state',
        { tag: 'v1', 'deployment-environment': 'production', 'deployment-state': 'done' },
        'deployment-state',
      ],
      [
        'an environment URL without scheme',
        { tag: 'v1', 'deployment-environment': 'production', 'environment-url': 'shop.example.com' },
        'environment-url',
      ],
      ['details that are not JSON', { tag: 'v1', details: '{image: shop}' }, 'details'],
      ['no token', { tag: 'v1', token: '' }, 'token'],
    ];

    // Each row goes through the action's own input check in this process, the check its entry makes first; the
    // first row also runs the action as the runner does, to prove that the refusal calls nothing and shows no token.
    it.each(bad)('%s (input check)', (_, inputs, name) => {
      const errors = inputErrors('tag-release', { inputs: { sha: SECOND, ...inputs }, env: sandbox.env() });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(new RegExp(`^Input "${name}": `));
      expect(errors[0]).not.toContain(TOKEN);
    });

    it.each(bad.slice(0, 1))('%s', async (_, inputs, name) => {
      const run = await tagRelease({ sha: SECOND, ...inputs });
      expect(run.exitCode).toBe(1);
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toMatch(new RegExp(`^Input "${name}": `));
      expect(sandbox.recorder.calls()).toEqual([]);
      expect(run.visibleText).not.toContain(TOKEN);
    });
  });
});
