// build mode with an executable `docker` test double first on PATH: the exact command lines, the stdin login,
// secrets kept off the command line, the post step's logout, and skip-existing.
import { mkdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { DEFAULT_SHA, runAction, startAction } from '@ecs-ship/testing';
import { DockerDouble } from '@ecs-ship/testing/docker-double';
import { PASSWORD, ecrScenario, ecrState, expectNoSecrets } from './scenario.js';

let sandbox: Sandbox;
let workspace: string;
const BUILT = `sha256:${'b'.repeat(64)}`;
const NASTY = `$(touch /tmp/pwned); \`id\` | cat && echo 'quoted' "double" > out; *`;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: ecrScenario() });
  workspace = mkdtempSync(join(tmpdir(), 'build-ws-'));
  mkdirSync(join(workspace, 'app'));
  writeFileSync(join(workspace, 'app', 'Dockerfile'), 'FROM scratch\n');
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(ecrScenario()));

function build(docker: DockerDouble, inputs: Record<string, string>, extraEnv: Record<string, string> = {}) {
  return runAction('build-push-ecr', {
    inputs,
    cwd: workspace,
    env: { ...sandbox.env(), GITHUB_SHA: DEFAULT_SHA, ...docker.env({ DOCKER_DOUBLE_DIGEST: BUILT, ...extraEnv }) },
  });
}

describe('build-push-ecr build', () => {
  it('logs in on stdin, runs buildx with exactly the requested arguments, and the post step logs out', async () => {
    const docker = new DockerDouble();
    const run = await build(docker, {
      repository: 'shop/build',
      tags: 'abc1234\nlatest',
      context: 'app',
      file: 'app/Dockerfile',
      platforms: 'linux/amd64,linux/arm64',
      target: 'runtime',
      'build-args': `NODE_ENV=production\nNOTE=${NASTY}`,
      secrets: 'npm_token=npm-secret-value-42',
      labels: 'team=shop',
      provenance: 'mode=max',
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);

    const calls = docker.calls();
    expect(calls.map((c) => c.args.slice(0, 2))).toEqual([
      ['login', '--username'],
      ['buildx', 'build'],
    ]);
    expect(calls[0]!.args).toEqual(['login', '--username', 'AWS', '--password-stdin', '127.0.0.1:1']);
    expect(calls[0]!.stdin).toBe(PASSWORD);

    const uri = '127.0.0.1:1/shop/build';
    expect(calls[1]!.args).toEqual([
      'buildx',
      'build',
      '--push',
      '--metadata-file',
      expect.stringMatching(/metadata\.json$/),
      '--file',
      'app/Dockerfile',
      '--platform',
      'linux/amd64,linux/arm64',
      '--target',
      'runtime',
      '--build-arg',
      'NODE_ENV=production',
      '--build-arg',
      `NOTE=${NASTY}`,
      '--secret',
      'id=npm_token,env=ECS_SHIP_BUILD_SECRET_NPM_TOKEN',
      '--label',
      `org.opencontainers.image.revision=${DEFAULT_SHA}`,
      '--label',
      'org.opencontainers.image.source=https://github.com/acme/shop',
      '--label',
      'team=shop',
      '--tag',
      `${uri}:abc1234`,
      '--tag',
      `${uri}:latest`,
      '--cache-from',
      `type=registry,ref=${uri}:buildcache`,
      '--cache-to',
      `type=registry,ref=${uri}:buildcache,mode=max,image-manifest=true,oci-mediatypes=true`,
      '--provenance=mode=max',
      'app',
    ]);
    // The build secret travels in the environment, never on the command line; it is masked.
    expect(calls[1]!.secretEnv).toEqual({ ECS_SHIP_BUILD_SECRET_NPM_TOKEN: 'npm-secret-value-42' });
    expect(JSON.stringify(calls.map((c) => c.args))).not.toContain('npm-secret-value-42');
    expect(run.masks).toContain('npm-secret-value-42');
    // The password is never an argument and never visible.
    expect(JSON.stringify(calls.map((c) => c.args))).not.toContain(PASSWORD);
    expect(run.masks).toContain(PASSWORD);
    expectNoSecrets(run);
    expect(run.visibleText).not.toContain('npm-secret-value-42');

    expect(run.outputs).toEqual({
      image: uri,
      digest: BUILT,
      'image-ref': `${uri}@${BUILT}`,
      tags: 'abc1234,latest',
      pushed: 'true',
    });
    expect(run.state).toEqual({ registry: '127.0.0.1:1' });
    expect(docker.loggedIn()).toEqual(['127.0.0.1:1']);

    const post = await runAction('build-push-ecr', {
      step: 'post',
      state: run.state,
      env: { ...sandbox.env(), ...docker.env() },
    });
    expect(post.exitCode).toBe(0);
    expect(docker.calls().pop()!.args).toEqual(['logout', '127.0.0.1:1']);
    expect(docker.loggedIn()).toEqual([]);
  });

  it('leaves out the default registry cache for an immutable repository', async () => {
    const docker = new DockerDouble();
    const run = await build(docker, { repository: 'shop/api', tags: 'v2', context: 'app' });
    expect(run.exitCode).toBe(0);
    const args = docker.calls()[1]!.args;
    expect(args).not.toContain('--cache-from');
    expect(args).not.toContain('--cache-to');
  });

  it('turns caching off with none', async () => {
    const docker = new DockerDouble();
    const run = await build(docker, {
      repository: 'shop/build',
      tags: 'x1',
      context: 'app',
      'cache-from': 'none',
      'cache-to': 'type=inline',
    });
    expect(run.exitCode).toBe(0);
    const args = docker.calls()[1]!.args;
    expect(args).not.toContain('--cache-from');
    expect(args.slice(args.indexOf('--cache-to'), args.indexOf('--cache-to') + 2)).toEqual([
      '--cache-to',
      'type=inline',
    ]);
  });

  it('reuses the SHA-tagged image when its revision label matches, without running docker', async () => {
    const docker = new DockerDouble();
    const existing = ecrState(sandbox).repository('eu-west-1', 'shop/web').tags.get(DEFAULT_SHA)!;
    const run = await build(docker, { repository: 'shop/web', context: 'app', tags: `${DEFAULT_SHA}, main` });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(docker.calls()).toEqual([]);
    expect(run.outputs.pushed).toBe('false');
    expect(run.outputs.digest).toBe(existing);
    expect(run.state).toEqual({});
    // The other tags were added by manifest.
    expect(ecrState(sandbox).repository('eu-west-1', 'shop/web').tags.get('main')).toBe(existing);
  });

  it('refuses to reuse an image whose revision label names another commit', async () => {
    const docker = new DockerDouble();
    const run = await build(docker, { repository: 'shop/web', context: 'app', tags: 'old' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(
      /shop\/web:old already exists but was built from revision something-else, not 4f6a0e1c.*skip-existing: false/,
    );
    expect(docker.calls()).toEqual([]);
  });

  it('rebuilds when skip-existing is false', async () => {
    const docker = new DockerDouble();
    const run = await build(docker, { repository: 'shop/web', context: 'app', 'skip-existing': 'false' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.pushed).toBe('true');
    expect(docker.calls().map((c) => c.args[0])).toEqual(['login', 'buildx']);
  });

  it('reports a failed build in one line, and still hands the post step the registry to log out of', async () => {
    const docker = new DockerDouble();
    const run = await build(
      docker,
      { repository: 'shop/build', tags: 'x2', context: 'app' },
      { DOCKER_DOUBLE_FAIL: 'build' },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(/^docker buildx build failed \(exit code 1\): ERROR: failed to solve/),
    ]);
    expect(run.state).toEqual({ registry: '127.0.0.1:1' });
    expectNoSecrets(run);
  });

  it('on cancellation stops the build and says so; the post step still logs out', async () => {
    const docker = new DockerDouble();
    const handle = startAction('build-push-ecr', {
      inputs: { repository: 'shop/build', tags: 'x3', context: 'app' },
      cwd: workspace,
      env: { ...sandbox.env(), GITHUB_SHA: DEFAULT_SHA, ...docker.env({ DOCKER_DOUBLE_BUILD_MS: '60000' }) },
    });
    await handle.waitForLine(/RUN npm ci/);
    handle.kill('SIGINT');
    const run = await handle.result;
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(['The job was cancelled (SIGINT).']);
    // The runner's SIGINT reached buildx through the action.
    expect(docker.calls().map((c) => c.args.join(' '))).toContain('<signal> SIGINT');
    expect(run.outputs).toEqual({});
    const post = await runAction('build-push-ecr', { step: 'post', state: run.state, env: docker.env() });
    expect(post.exitCode).toBe(0);
    expect(docker.loggedIn()).toEqual([]);
  });

  it('creates a missing repository with the requested settings when create-repository is true', async () => {
    const docker = new DockerDouble();
    const run = await build(docker, {
      repository: 'shop/fresh',
      tags: 'v1',
      context: 'app',
      'create-repository': 'true',
      'tag-mutability': 'IMMUTABLE',
      'scan-on-push': 'false',
      encryption: 'KMS',
      'kms-key': 'arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c',
    });
    expect(run.errors).toEqual([]);
    const created = sandbox.recorder.calls().find((c) => c.operation === 'CreateRepository');
    expect(created?.params).toMatchObject({
      repositoryName: 'shop/fresh',
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: false },
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c' },
    });
    const repository = ecrState(sandbox).repository('eu-west-1', 'shop/fresh');
    expect(repository.imageTagMutability).toBe('IMMUTABLE');
    expect(run.summary).toMatch(/Repository \| created \(immutable tags\)/);
    // Immutable: no moving cache tag.
    expect(docker.calls()[1]!.args).not.toContain('--cache-to');
  });
});
