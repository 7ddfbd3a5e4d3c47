// promote mode, run as the runner runs the bundle, against the sandbox's ECR over real HTTP.
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { runAction, startAction } from '@ecs-ship/testing';
import { ecrScenario, ecrState, expectNoSecrets } from './scenario.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: ecrScenario() });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(ecrScenario()));

function promote(inputs: Record<string, string>) {
  return runAction('build-push-ecr', { inputs, env: sandbox.env() });
}

function digestOf(repository: string, tag: string): string | undefined {
  const state = ecrState(sandbox);
  return state.repository('eu-west-1', repository).tags.get(tag);
}

describe('build-push-ecr promote', () => {
  it('adds tags to the tested image by manifest, without moving layers', async () => {
    const staging = digestOf('shop/web', 'staging')!;
    const run = await promote({ repository: 'shop/web', 'source-tag': 'staging', tags: 'production, v1.4.0' });

    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(digestOf('shop/web', 'production')).toBe(staging);
    expect(digestOf('shop/web', 'v1.4.0')).toBe(staging);
    expect(run.outputs).toEqual({
      image: '127.0.0.1:1/shop/web',
      digest: staging,
      'image-ref': `127.0.0.1:1/shop/web@${staging}`,
      tags: 'production,v1.4.0',
      pushed: 'false',
    });
    // A constant number of calls: one lookup of the repository, one BatchGetImage, one PutImage per new tag.
    const calls = sandbox.recorder.calls().map((c) => c.operation);
    expect(calls).toEqual(['DescribeRepositories', 'BatchGetImage', 'PutImage', 'PutImage']);
    expect(run.summary).toContain('shop/web');
    expectNoSecrets(run);
  });

  it('promotes by digest too', async () => {
    const staging = digestOf('shop/web', 'staging')!;
    const run = await promote({ repository: 'shop/web', 'source-digest': staging, tags: 'production' });
    expect(run.exitCode).toBe(0);
    expect(digestOf('shop/web', 'production')).toBe(staging);
  });

  it('fails saying so when the source image was never pushed, and changes nothing', async () => {
    const run = await promote({ repository: 'shop/web', 'source-tag': 'deadbeef', tags: 'production' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/source image \(tag "deadbeef"\) does not exist in ECR repository "shop\/web"/);
    expect(sandbox.recorder.mutatingCalls()).toEqual([]);
  });

  it('refuses to move a tag in an immutable repository, before any change', async () => {
    const prod = digestOf('shop/api', 'prod');
    const run = await promote({ repository: 'shop/api', 'source-tag': 'v1', tags: 'v1-approved, prod' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(
      /Tag "prod" already points at sha256:[a-f0-9]{64} in the immutable repository "shop\/api"/,
    );
    expect(digestOf('shop/api', 'prod')).toBe(prod);
    // The conflict was found before any PutImage, so the other tag was not added either.
    expect(digestOf('shop/api', 'v1-approved')).toBeUndefined();
    expect(sandbox.recorder.mutatingCalls()).toEqual([]);
  });

  it('refuses promote without tags, by name, before any AWS call', async () => {
    // The runner would otherwise have tagged the promoted image with the workflow's own commit.
    const run = await runAction('build-push-ecr', {
      inputs: { repository: 'shop/web', 'source-tag': 'old' },
      env: { ...sandbox.env(), GITHUB_SHA: 'abc1234' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(/^Input "tags": promote mode needs the tags to put on the image/),
    ]);
    expect(sandbox.recorder.calls()).toEqual([]);
  });

  it('refuses to move a tag that points at another image unless allow-tag-move says so', async () => {
    const head = digestOf('shop/web', 'abc1234')!;
    const old = digestOf('shop/web', 'old')!;
    const refused = await promote({ repository: 'shop/web', 'source-tag': 'old', tags: 'v2, abc1234' });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors[0]).toBe(
      `Tag "abc1234" already points at ${head} in "shop/web", and promoting ${old} under it would move it. Use a new tag, or set allow-tag-move: true to move it.`,
    );
    // Checked before any PutImage: the new tag was not added either.
    expect(sandbox.recorder.mutatingCalls()).toEqual([]);
    expect(digestOf('shop/web', 'v2')).toBeUndefined();

    const allowed = await promote({
      repository: 'shop/web',
      'source-tag': 'old',
      tags: 'v2, abc1234',
      'allow-tag-move': 'true',
    });
    expect(allowed.exitCode).toBe(0);
    expect(digestOf('shop/web', 'abc1234')).toBe(old);
    expect(digestOf('shop/web', 'v2')).toBe(old);
    expect(allowed.warnings).toEqual([`Moved tag abc1234 from ${head} to ${old}.`]);
    expect(allowed.summary).toContain(`Moved tag \`abc1234\` from \`${head}\` to \`${old}\`.`);
  });

  it('is idempotent: a re-run succeeds without any mutating call', async () => {
    const first = await promote({ repository: 'shop/api', 'source-tag': 'v1', tags: 'release-7' });
    expect(first.exitCode).toBe(0);
    sandbox.recorder.clear();
    const again = await promote({ repository: 'shop/api', 'source-tag': 'v1', tags: 'release-7' });
    expect(again.errors).toEqual([]);
    expect(again.exitCode).toBe(0);
    expect(again.outputs.digest).toBe(first.outputs.digest);
    expect(again.outputs.pushed).toBe('false');
    expect(sandbox.recorder.mutatingCalls()).toEqual([]);
    expect(again.stdout).toContain('already points at');
  });

  it('fails on scan findings at or above fail-on-severity', async () => {
    const run = await promote({
      repository: 'shop/api',
      'source-tag': 'v1',
      tags: 'candidate',
      'fail-on-severity': 'HIGH',
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/found 2 HIGH, at or above fail-on-severity HIGH/);
    const passing = await promote({
      repository: 'shop/api',
      'source-tag': 'v1',
      tags: 'candidate',
      'fail-on-severity': 'CRITICAL',
    });
    expect(passing.exitCode).toBe(0);
    expect(passing.summary).toMatch(/2 HIGH, 1 LOW/);
  });

  it('waits for a scan still in progress, logging only its changes', async () => {
    const handle = startAction('build-push-ecr', {
      inputs: { repository: 'shop/slow', 'source-tag': 'v1', tags: 'checked', 'fail-on-severity': 'HIGH' },
      env: sandbox.env(),
    });
    await handle.waitForLine(/^Scan of sha256:[a-f0-9]{64}: in progress…$/);
    // The scan finishes while the action waits.
    const repository = ecrState(sandbox).repository('eu-west-1', 'shop/slow');
    repository.images.get(repository.tags.get('v1')!)!.scan!.completesAt = Date.now();
    const run = await handle.result;
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    const scanLines = run.lines.filter((line) => line.startsWith('Scan of '));
    expect(scanLines).toEqual([expect.stringMatching(/: in progress…$/), expect.stringMatching(/: 1 LOW\.$/)]);
  });

  it('gives up on a scan that does not finish within scan-timeout', async () => {
    const run = await promote({
      repository: 'shop/slow',
      'source-tag': 'v9',
      tags: 'checked',
      'fail-on-severity': 'HIGH',
      'scan-timeout': '1s',
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(
      /did not finish in time: still IN_PROGRESS after 1\.\d s \(the limit is 1\.0 s\).*raise scan-timeout/,
    );
  });

  it('rides out ECR throttling with the SDK retry alone', async () => {
    sandbox.faults.inject({ kind: 'throttle', service: 'ecr', operation: 'BatchGetImage', count: 2 });
    const run = await promote({ repository: 'shop/web', 'source-tag': 'staging', tags: 'throttled' });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    const lookups = sandbox.recorder.calls().filter((c) => c.operation === 'BatchGetImage');
    expect(lookups.map((c) => c.errorCode ?? 'ok')).toEqual(['ThrottlingException', 'ThrottlingException', 'ok']);
  });

  it('says how to fix a missing repository', async () => {
    const run = await promote({ repository: 'shop/nothing', 'source-tag': 'v1', tags: 'x' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/ECR repository "shop\/nothing" does not exist.*create-repository: true/);
  });
});

describe('build-push-ecr repository URIs', () => {
  it('accepts the URI of the repository', async () => {
    const run = await promote({ repository: '127.0.0.1:1/shop/web', 'source-tag': 'staging', tags: 'uri-tag' });
    expect(run.errors).toEqual([]);
    expect(digestOf('shop/web', 'uri-tag')).toBe(digestOf('shop/web', 'staging'));
  });

  it('refuses a URI of another registry before changing anything', async () => {
    const run = await promote({
      repository: '210987654321.dkr.ecr.eu-west-1.amazonaws.com/shop/web',
      'source-tag': 'staging',
      tags: 'x',
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/the URI names registry 210987654321\.dkr\.ecr\.eu-west-1\.amazonaws\.com/);
    expect(sandbox.recorder.mutatingCalls()).toEqual([]);
  });
});
