// build mode with an executable `docker` test double first on PATH: the exact command lines, the stdin login,
// secrets kept off the command line, the post step's logout, skip-existing, and what the builder can do (a hosted
// runner's docker driver versus the docker-container builder docker/setup-buildx-action creates).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { DEFAULT_SHA, runAction, startAction } from '@ecs-ship/testing';
import { DOCKER_DOUBLE_DIR, DockerDouble } from '@ecs-ship/testing/docker-double';
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
    const docker = new DockerDouble().setUp({ qemu: true, buildx: true });
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
      ['buildx', 'inspect'],
      ['login', '--username'],
      ['buildx', 'build'],
    ]);
    expect(calls[1]!.args).toEqual(['login', '--username', 'AWS', '--password-stdin', '127.0.0.1:1']);
    expect(calls[1]!.stdin).toBe(PASSWORD);

    const uri = '127.0.0.1:1/shop/build';
    expect(calls[2]!.args).toEqual([
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
    expect(calls[2]!.secretEnv).toEqual({ ECS_SHIP_BUILD_SECRET_NPM_TOKEN: 'npm-secret-value-42' });
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
    const args = docker.calls()[2]!.args;
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
    const args = docker.calls()[2]!.args;
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
    expect(docker.calls().map((c) => c.args[0])).toEqual(['buildx', 'login', 'buildx']);
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
    expect(docker.calls()[2]!.args).not.toContain('--cache-to');
  });
});

describe('build-push-ecr build on the builder the runner has', () => {
  const actionCalls = () => sandbox.recorder.calls().map((call) => call.operation);

  it('on a hosted runner’s docker driver: no registry cache export, said in the log and the summary', async () => {
    const docker = new DockerDouble();
    const run = await build(docker, { repository: 'shop/build', tags: 'd1', context: 'app' });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    const args = docker.calls()[2]!.args;
    expect(args).toContain('--cache-from');
    expect(args).not.toContain('--cache-to');
    expect(run.lines).toContain(
      'Building with the builder "default" (docker driver), which builds linux/amd64, linux/amd64/v2, linux/amd64/v3, linux/386.',
    );
    expect(run.annotations).toContainEqual(
      expect.objectContaining({
        level: 'notice',
        message: expect.stringMatching(/cannot export a build cache.*docker\/setup-buildx-action/),
      }),
    );
    expect(run.summary).toContain('`default`, docker driver, no cache export');
  });

  it('after docker/setup-buildx-action: the docker-container builder writes the registry cache', async () => {
    const docker = new DockerDouble().setUp({ buildx: true });
    const run = await build(docker, { repository: 'shop/build', tags: 'd2', context: 'app' });
    expect(run.exitCode).toBe(0);
    expect(docker.calls()[2]!.args).toContain('--cache-to');
    expect(run.lines).toContainEqual(
      expect.stringMatching(/^Building with the builder "builder-1" \(docker-container driver\)/),
    );
  });

  it.each([
    [
      'an explicit registry cache export on the docker driver',
      {},
      { 'cache-to': 'type=registry,ref=127.0.0.1:1/shop/build:cache' },
      /The builder "default" \(docker driver\) cannot export a build cache to type=registry,ref=127\.0\.0\.1:1\/shop\/build:cache\. Add docker\/setup-buildx-action before this step/,
    ],
    [
      'two platforms on the docker driver',
      { qemu: true },
      { platforms: 'linux/amd64,linux/arm64' },
      /The builder "default" \(docker driver\) cannot build several platforms \(linux\/amd64, linux\/arm64\) into one image\. Add docker\/setup-buildx-action/,
    ],
    [
      'arm64 without QEMU',
      { buildx: true },
      { platforms: 'linux/amd64,linux/arm64' },
      /The builder "builder-1" \(docker-container driver\) cannot build linux\/arm64: it builds linux\/amd64, .*Add docker\/setup-qemu-action/,
    ],
  ])('refuses %s before logging in or building', async (_, setUp, inputs, message) => {
    const docker = new DockerDouble().setUp(setUp);
    const run = await build(docker, { repository: 'shop/build', tags: 'd3', context: 'app', ...inputs });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([expect.stringMatching(message)]);
    expect(docker.calls().map((c) => c.args.slice(0, 2).join(' '))).toEqual(['buildx inspect']);
    expect(actionCalls()).not.toContain('PutImage');
  });
});

describe('the docker test double', () => {
  const buildx = (docker: DockerDouble, ...extra: string[]) =>
    spawnSync(
      join(DOCKER_DOUBLE_DIR, 'docker'),
      ['buildx', 'build', '--push', '--metadata-file', join(docker.dir, 'm.json'), '--tag', 'r/x:1', ...extra, '.'],
      {
        env: { ...process.env, ...docker.env() },
        encoding: 'utf8',
      },
    );

  it('refuses a registry cache export on the docker driver with buildx’s message, and builds it on docker-container', () => {
    const docker = new DockerDouble();
    const refused = buildx(docker, '--cache-to', 'type=registry,ref=r/x:cache');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      'Cache export is not supported for the docker driver.\nSwitch to a different driver, or turn on the containerd image store, and try again.',
    );
    docker.setUp({ buildx: true });
    const built = buildx(docker, '--cache-to', 'type=registry,ref=r/x:cache');
    expect(built.status).toBe(0);
    expect(built.stdout).toContain('building with "builder-1" instance using docker-container driver');
  });

  it('refuses a multi-platform build on the docker driver, and fails an emulator-less platform mid-build', () => {
    const docker = new DockerDouble().setUp({ qemu: true });
    expect(buildx(docker, '--platform', 'linux/amd64,linux/arm64').stderr).toContain(
      'Multi-platform build is not supported for the docker driver.',
    );
    const bare = new DockerDouble().setUp({ buildx: true });
    expect(buildx(bare, '--platform', 'linux/arm64').stderr).toContain('exec format error');
  });
});
