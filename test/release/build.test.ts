/**
 * The root action with `source: build` (and the planning side of `push-archive`): its bundle, run as the runner runs
 * it, against the sandbox with the demo's world, and the `docker` test double first on PATH (no Docker engine runs on
 * these machines). The double reports the digest of an image the sandbox ECR holds, so the deploy finds a real image.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { repoRoot, runAction, type ActionRun } from '@ecs-ship/testing';
import { DockerDouble } from '@ecs-ship/testing/docker-double';
import { writeOciFixture } from '@ecs-ship/testing/oci-fixture';

const GOOD = '8f2b6c41d3e5a7b9c0d2e4f6a8b0c1d3e5f7a9b2';
const OLDER = '3c1d9e7a5b2f4c6d8e0a1b3c5d7e9f1a2b4c6d8e';
const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const URI = `${REGISTRY}/shop`;
const NASTY = `$(touch /tmp/pwned); \`id\` && echo 'quoted' > out`;
const STAGING_IMAGE = `    image:
      repository: shop
      source: promote # CI built and pushed the image tagged with the commit SHA
      from: '{sha}'
      tags: ['staging-{sha7}']
`;

let sandbox: Sandbox;
let workspace: string;
let docker: DockerDouble;

/** The demo config with the staging image section replaced by `image` (YAML lines under `image:`). */
function writeConfig(image: string): void {
  const text = readFileSync(join(repoRoot, 'demo', 'ecs-release.yml'), 'utf8');
  if (!text.includes(STAGING_IMAGE)) throw new Error('The demo config no longer has the staging image section');
  writeFileSync(
    join(workspace, '.github', 'ecs-release.yml'),
    text.replace(STAGING_IMAGE, `    image:\n${image}`).replaceAll('${SANDBOX_URL}', sandbox.url),
  );
}

/** The digest ECR holds under a tag of the demo's `shop` repository. */
function digestOf(tag: string): string {
  return sandbox.state('ecr').repository('eu-west-1', 'shop').tags.get(tag)!;
}

function release(inputs: Record<string, string> = {}, env: Record<string, string> = {}): Promise<ActionRun> {
  return runAction('release', {
    inputs: { environment: 'staging', sha: GOOD, ...inputs },
    env: {
      ...sandbox.env(),
      GITHUB_SHA: GOOD,
      ...docker.env({ DOCKER_DOUBLE_DIGEST: digestOf(GOOD), ...env }),
    },
    cwd: workspace,
    timeoutMs: 120_000,
  });
}

/** The image a service's current task definition gives its `app` container. */
function runningImage(cluster: string, service: string): string {
  const ecs = sandbox.state('ecs');
  const arn = ecs.service('eu-west-1', cluster, service)!.taskDefinitionArn;
  return ecs.taskDefinition('eu-west-1', arn)!.body.containerDefinitions.find((c) => c.name === 'app')!.image;
}

function mutatingCalls(): string[] {
  return sandbox.recorder.mutatingCalls().map((call) => call.operation);
}

beforeEach(async () => {
  sandbox = await startSandbox({ scenario: join(repoRoot, 'demo', 'scenario.yaml') });
  workspace = mkdtempSync(join(tmpdir(), 'release-build-test-'));
  mkdirSync(join(workspace, '.github'));
  mkdirSync(join(workspace, 'app'));
  writeFileSync(join(workspace, 'app', 'Dockerfile'), 'FROM scratch\n');
  docker = new DockerDouble();
});

afterEach(async () => {
  rmSync(workspace, { recursive: true, force: true });
  rmSync(docker.dir, { recursive: true, force: true });
  await sandbox.stop();
});

test('a staging release that builds: login on stdin, buildx, logout, then the built digest is deployed', async () => {
  writeConfig(`      repository: shop
      source: build
      context: app
      file: app/Dockerfile
      platforms: [linux/amd64]
      target: runtime
      build-args: { NODE_ENV: production, NOTE: "${NASTY.replaceAll('"', '\\"')}" }
      labels: { team: shop }
      secret-env: { npm_token: NPM_TOKEN }
      skip-existing: false
      tags: ['{sha}', 'staging-{sha7}']
`);
  docker.setUp({ buildx: true }); // a docker-container builder, which writes the registry cache
  const run = await release({}, { NPM_TOKEN: 'npm-secret-value-42' });
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  const built = digestOf(GOOD);
  expect(run.outputs).toMatchObject({ result: 'succeeded', 'image-ref': `${URI}@${built}` });

  const calls = docker.calls();
  expect(calls.map((call) => call.args.slice(0, 2))).toEqual([
    ['buildx', 'inspect'],
    ['login', '--username'],
    ['buildx', 'build'],
    ['logout', REGISTRY],
  ]);
  expect(calls[1]!.args).toEqual(['login', '--username', 'AWS', '--password-stdin', REGISTRY]);
  const password = calls[1]!.stdin;
  expect(password.length).toBeGreaterThan(8);
  expect(calls[2]!.args).toEqual([
    'buildx',
    'build',
    '--push',
    '--metadata-file',
    expect.stringMatching(/metadata\.json$/),
    '--file',
    join(workspace, 'app', 'Dockerfile'),
    '--platform',
    'linux/amd64',
    '--target',
    'runtime',
    '--build-arg',
    'NODE_ENV=production',
    '--build-arg',
    `NOTE=${NASTY}`,
    '--secret',
    'id=npm_token,env=ECS_SHIP_BUILD_SECRET_NPM_TOKEN',
    '--label',
    `org.opencontainers.image.revision=${GOOD}`,
    '--label',
    'org.opencontainers.image.source=https://github.com/acme/shop',
    '--label',
    'team=shop',
    '--tag',
    `${URI}:${GOOD}`,
    '--tag',
    `${URI}:staging-8f2b6c4`,
    '--cache-from',
    `type=registry,ref=${URI}:buildcache`,
    '--cache-to',
    `type=registry,ref=${URI}:buildcache,mode=max,image-manifest=true,oci-mediatypes=true`,
    join(workspace, 'app'),
  ]);
  // The build secret travels in the environment only; it and the registry password are masked and never shown.
  expect(calls[2]!.secretEnv).toEqual({ ECS_SHIP_BUILD_SECRET_NPM_TOKEN: 'npm-secret-value-42' });
  expect(JSON.stringify(calls.map((call) => call.args))).not.toContain('npm-secret-value-42');
  expect(JSON.stringify(calls.map((call) => call.args))).not.toContain(password);
  expect(run.masks).toEqual(expect.arrayContaining([password, 'npm-secret-value-42']));
  expect(run.visibleText).not.toContain(password);
  expect(run.visibleText).not.toContain('npm-secret-value-42');
  // The root action has no post step: the credentials are gone when the step ends.
  expect(docker.loggedIn()).toEqual([]);

  // Both services run the built digest, and the image stage says what it did.
  for (const service of ['web', 'worker']) expect(runningImage('shop-staging', service)).toBe(`${URI}@${built}`);
  expect(run.summary).toMatch(
    /\| Image \| ✅ succeeded \|[^\n]*built app and pushed it as 8f2b6c4[0-9a-f]*, staging-8f2b6c4/,
  );
  expect(sandbox.state('slack').delivered()).toHaveLength(2);
});

test('skip-existing reuses the image already pushed for this commit: no docker at all', async () => {
  writeConfig(`      repository: shop
      source: build
      context: app
      tags: ['{sha}', 'staging-{sha7}']
`);
  const run = await release({ stages: 'image' });
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  expect(docker.calls()).toEqual([]);
  expect(run.outputs['image-ref']).toBe(`${URI}@${digestOf(GOOD)}`);
  // The other tag was added by manifest.
  expect(digestOf('staging-8f2b6c4')).toBe(digestOf(GOOD));
  expect(run.summary).toContain('already exists for this commit: reused, not rebuilt');
});

test('an existing tag built from another commit stops the release at the image stage, before any deploy', async () => {
  writeConfig(`      repository: shop
      source: build
      context: app
      tags: ['${OLDER}']
`);
  const run = await release();
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ result: 'failed', 'failed-stage': 'image' });
  expect(run.outputs['failure-reason']).toContain(
    `shop:${OLDER} already exists but was built from revision ${OLDER}, not ${GOOD}`,
  );
  expect(docker.calls()).toEqual([]);
  expect(mutatingCalls()).not.toContain('UpdateService');
  expect(mutatingCalls()).not.toContain('RunTask');
});

test("a failed build fails the image stage with buildx's reason and still logs out", async () => {
  writeConfig(`      repository: shop
      source: build
      context: app
      skip-existing: false
`);
  const run = await release({}, { DOCKER_DOUBLE_FAIL: 'build' });
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ result: 'failed', 'failed-stage': 'image' });
  expect(run.outputs['failure-reason']).toMatch(/^docker buildx build failed \(exit code 1\): ERROR: failed to solve/);
  expect(docker.calls().map((call) => call.args.slice(0, 2).join(' '))).toEqual([
    'buildx inspect',
    `login --username`,
    'buildx build',
    `logout ${REGISTRY}`,
  ]);
  expect(docker.loggedIn()).toEqual([]);
  expect(mutatingCalls()).not.toContain('UpdateService');
  // The failure is told in Slack.
  expect(sandbox.state('slack').delivered().at(-1)?.text).toMatch(/failed/i);
});

test('a dry run plans the build without building, logging in or changing anything', async () => {
  writeConfig(`      repository: shop
      source: build
      context: app
      tags: ['{sha}']
`);
  const reuse = await release({ 'dry-run': 'true' });
  expect(reuse.errors).toEqual([]);
  expect(reuse.outputs).toMatchObject({ result: 'planned', 'image-ref': `${URI}@${digestOf(GOOD)}` });
  expect(reuse.summary).toContain(`would reuse shop:${GOOD}`);

  writeConfig(`      repository: shop
      source: build
      context: app
      tags: ['candidate-{sha7}']
`);
  const fresh = await release({ 'dry-run': 'true' });
  expect(fresh.errors).toEqual([]);
  expect(fresh.outputs).toMatchObject({ result: 'planned', 'image-ref': `${URI}:candidate-8f2b6c4` });
  expect(fresh.summary).toContain('would build app and push it as candidate-8f2b6c4');

  expect(docker.calls()).toEqual([]);
  expect(mutatingCalls()).toEqual([]);
  expect(sandbox.recorder.calls().map((call) => call.operation)).not.toContain('GetAuthorizationToken');
});

test('a dry run of push-archive pins the plan to the digest of the archive, read from the OCI layout', async () => {
  const fixture = await writeOciFixture(workspace, GOOD, 1024);
  writeConfig(`      repository: shop
      source: push-archive
      archive: ${fixture.tar.slice(workspace.length + 1)}
      mount-from: [shop-base]
`);
  const run = await release({ 'dry-run': 'true' });
  expect(run.errors).toEqual([]);
  expect(run.outputs).toMatchObject({ result: 'planned', 'image-ref': `${URI}@${fixture.indexDigest}` });
  expect(mutatingCalls()).toEqual([]);
});

test.each([
  [
    'a build context that does not exist',
    `context: nowhere`,
    {},
    /environments\.staging\.image\.context "nowhere" is not a directory/,
  ],
  [
    'a Dockerfile that does not exist',
    `context: app\n      file: app/Missing.dockerfile`,
    {},
    /image\.file "app\/Missing\.dockerfile" is not a file/,
  ],
  [
    'a build secret whose variable is not set',
    `context: app\n      secret-env: { npm_token: NPM_TOKEN }`,
    {},
    /build secret "npm_token" in environments\.staging\.image\.secret-env reads the variable NPM_TOKEN, which is not set/,
  ],
  [
    'a key of another source',
    `context: app\n      archive: image.tar`,
    {},
    /image\.archive: applies to source push-archive, not build/,
  ],
  ['a malformed platform', `context: app\n      platforms: [amd64]`, {}, /image\.platforms\.0: use os\/architecture/],
  [
    'a build argument with a bad name',
    `context: app\n      build-args: { 'NODE ENV': x }`,
    {},
    /build-args\.NODE ENV: use letters, digits and _.*"NODE ENV" is not a valid build argument name/,
  ],
])('%s is refused before anything changes', async (_, keys, env, message) => {
  writeConfig(`      repository: shop\n      source: build\n      ${keys}\n`);
  const run = await release({}, env);
  expect(run.exitCode).toBe(1);
  expect(run.errors.join('\n')).toMatch(message);
  expect(mutatingCalls()).toEqual([]);
  expect(sandbox.recorder.calls().map((call) => call.operation)).not.toContain('GetAuthorizationToken');
  expect(sandbox.state('slack').delivered()).toEqual([]);
  expect(docker.calls()).toEqual([]);
});
