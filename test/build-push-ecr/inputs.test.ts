// Bad input: one clear line naming the input, every input still read, and nothing sent that changes anything.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { DEFAULT_SHA, readActionMetadata, runAction } from '@ecs-ship/testing';
import { DockerDouble } from '@ecs-ship/testing/docker-double';
import { inputCheck } from '@ecs-ship/testing/input-check';
import { ecrScenario, expectNoSecrets } from './scenario.js';

let sandbox: Sandbox;
let workspace: string;
const declared = Object.keys(readActionMetadata('build-push-ecr').inputs ?? {});

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: ecrScenario() });
  workspace = mkdtempSync(join(tmpdir(), 'inputs-ws-'));
  mkdirSync(join(workspace, 'app'));
});
afterAll(() => sandbox.stop());

const cases: [string, Record<string, string>, string, RegExp][] = [
  ['a tag with a space', { 'source-tag': 'v1', tags: 'bad tag' }, 'tags', /"bad tag" is not a valid image tag/],
  ['a tag starting with a hyphen', { 'source-tag': 'v1', tags: '-rc1' }, 'tags', /not a valid image tag/],
  ['a tag of 129 characters', { 'source-tag': 'v1', tags: 'a'.repeat(129) }, 'tags', /not a valid image tag/],
  ['a tag given twice', { 'source-tag': 'v1', tags: 'prod, prod' }, 'tags', /listed twice/],
  ['a short digest', { 'source-digest': 'sha256:abc123' }, 'source-digest', /is not a digest/],
  ['an md5 digest', { 'source-digest': `md5:${'a'.repeat(32)}` }, 'source-digest', /is not a digest/],
  ['a bad source tag', { 'source-tag': 'v1;rm -rf /' }, 'source-tag', /not a valid image tag/],
  ['a context that does not exist', { context: 'no-such-dir' }, 'context', /"no-such-dir" does not exist/],
  ['a Dockerfile that does not exist', { context: 'app', file: 'app/Nope' }, 'file', /"app\/Nope" does not exist/],
  [
    'an upper-case repository',
    { repository: 'Shop/Web', 'source-tag': 'v1' },
    'repository',
    /not a valid ECR repository name/,
  ],
  [
    'an image instead of a repository',
    { repository: 'shop/web:latest', 'source-tag': 'v1' },
    'repository',
    /names an image/,
  ],
  [
    'a repository URI in another region',
    { repository: '123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/web', 'source-tag': 'v1' },
    'repository',
    /names region us-west-2 but AWS_REGION is eu-west-1/,
  ],
  [
    'an unknown mode',
    { mode: 'deploy', 'source-tag': 'v1' },
    'mode',
    /"deploy" is not one of build, push-archive, promote/,
  ],
  ['no mode at all', {}, 'mode', /none can be inferred/],
  [
    'inputs of two modes',
    { context: 'app', 'source-tag': 'v1' },
    'mode',
    /several modes were given \(build, promote\)/,
  ],
  [
    'a build input in promote mode',
    { mode: 'promote', 'source-tag': 'v1', platforms: 'linux/amd64' },
    'platforms',
    /applies to build mode/,
  ],
  [
    'tag and digest together',
    { 'source-tag': 'v1', 'source-digest': `sha256:${'a'.repeat(64)}` },
    'source-digest',
    /both given/,
  ],
  [
    'a build argument that is not key=value',
    { context: 'app', 'build-args': 'JUST_A_NAME' },
    'build-args',
    /is not key=value/,
  ],
  [
    'a build argument with a bad name',
    { context: 'app', 'build-args': '1ST=x' },
    'build-args',
    /not a valid build argument name/,
  ],
  ['a platform without an OS', { context: 'app', platforms: 'amd64' }, 'platforms', /"amd64" is not a platform/],
  [
    'a boolean that is not true or false',
    { 'source-tag': 'v1', 'create-repository': 'yes' },
    'create-repository',
    /not a boolean/,
  ],
  [
    'an unknown severity',
    { 'source-tag': 'v1', 'fail-on-severity': 'SEVERE' },
    'fail-on-severity',
    /not one of CRITICAL/,
  ],
  [
    'a KMS key without KMS',
    { 'source-tag': 'v1', 'kms-key': 'alias/mine' },
    'kms-key',
    /only applies with encryption: KMS/,
  ],
  [
    'a chunk size below ECR minimum',
    { archive: 'app', 'chunk-size': '1024' },
    'chunk-size',
    /below the minimum 5242880/,
  ],
  ['an archive that does not exist', { archive: 'image.tar' }, 'archive', /"image.tar" does not exist/],
  [
    'an unknown tag mutability',
    { 'source-tag': 'v1', 'tag-mutability': 'FROZEN' },
    'tag-mutability',
    /not one of MUTABLE, IMMUTABLE/,
  ],
];

describe('build-push-ecr bad inputs', () => {
  // Every row goes through the action's own input check in this process, the check its entry makes first; the first
  // row also runs the action as the runner does, to prove that the refusal reaches neither AWS nor Docker.
  it.each(cases)('refuses %s (input check)', (_label, inputs, input, problem) => {
    const { errors, inputsRead } = inputCheck('build-push-ecr', {
      inputs: { repository: 'shop/web', ...inputs },
      cwd: workspace,
      env: { ...sandbox.env(), GITHUB_SHA: DEFAULT_SHA },
    });
    expect(errors.find((e) => e.startsWith(`Input "${input}": `))).toMatch(problem);
    // Every input is read even when some are bad.
    expect([...inputsRead].sort()).toEqual([...declared].sort());
  });

  it.each(cases.slice(0, 1))('refuses %s', async (_label, inputs, input, problem) => {
    const docker = new DockerDouble();
    sandbox.recorder.clear();
    const run = await runAction('build-push-ecr', {
      inputs: { repository: 'shop/web', ...inputs },
      cwd: workspace,
      env: { ...sandbox.env(), GITHUB_SHA: DEFAULT_SHA, ...docker.env() },
    });
    expect(run.exitCode).toBe(1);
    const mine = run.errors.find((e) => e.startsWith(`Input "${input}": `));
    expect(mine).toMatch(problem);
    // Every input is read even when some are bad, and nothing at all reached AWS or Docker.
    expect([...run.inputsRead].sort()).toEqual([...declared].sort());
    expect(sandbox.recorder.calls()).toEqual([]);
    expect(docker.calls()).toEqual([]);
    expectNoSecrets(run);
  });

  it('never echoes a malformed secrets line, which may be the secret itself', async () => {
    const run = await runAction('build-push-ecr', {
      inputs: { repository: 'shop/web', context: 'app', secrets: 'npm_token=fine-value-1\nraw-secret-without-id-77' },
      cwd: workspace,
      env: sandbox.env(),
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toContain(
      'Input "secrets": line 2 is not id=value. Write one id=value pair per line, e.g. npm_token=${{ secrets.NPM_TOKEN }}.',
    );
    expect(run.masks).toEqual(expect.arrayContaining(['fine-value-1', 'raw-secret-without-id-77']));
    expect(run.visibleText).not.toContain('raw-secret-without-id-77');
  });

  it('says which input is missing', async () => {
    const run = await runAction('build-push-ecr', { inputs: { 'source-tag': 'v1' }, env: sandbox.env() });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toContain(
      `Input "repository": it is required but was not given. Set "repository" in the step's with: block.`,
    );
  });
});
