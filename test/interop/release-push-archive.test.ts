// The root action with `source: push-archive` against a real OCI registry: Debian's docker-registry on loopback with
// basic auth, named by the sandbox's ECR API as proxyEndpoint, and the demo's ECS world behind it. The release pushes
// the archive, deploys the pushed digest and smoke-tests it; a re-run pushes nothing. Checked with skopeo.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { repoRoot, runAction, type ActionRun } from '@ecs-ship/testing';
import { startLocalRegistry, requireTools, type LocalRegistry } from '@ecs-ship/testing/local-registry';
import { writeOciFixture, type OciFixture } from '@ecs-ship/testing/oci-fixture';
import { expectNoSecrets, PASSWORD } from '../build-push-ecr/scenario.js';

const GOOD = '8f2b6c41d3e5a7b9c0d2e4f6a8b0c1d3e5f7a9b2';
const STAGING_IMAGE = `    image:
      repository: shop
      source: promote # CI built and pushed the image tagged with the commit SHA
      from: '{sha}'
      tags: ['staging-{sha7}']
`;
const STAGING_SMOKE = `      version-header: X-App-Version
      wait-for-healthy-seconds: 20
      checks:
        - name: web health
          url: \${SANDBOX_URL}/apps/shop-staging/web/health`;

let registry: LocalRegistry;
let sandbox: Sandbox;
let fixture: OciFixture;
let workspace: string;
let authFile: string;

beforeAll(async () => {
  requireTools();
  workspace = mkdtempSync(join(tmpdir(), 'release-archive-'));
  mkdirSync(join(workspace, '.github'));
  registry = await startLocalRegistry('AWS', PASSWORD);
  // The demo's world, with its ECR in step with the real registry (and the image not there yet).
  fixture = await writeOciFixture(workspace, GOOD);
  const scenario = parse(readFileSync(join(repoRoot, 'demo', 'scenario.yaml'), 'utf8')) as {
    ecr: unknown;
    ecs: { images: Record<string, unknown> };
  };
  // In ECS the archive's image behaves as the demo's image of this commit does.
  scenario.ecs.images[`shop@${fixture.indexDigest}`] = scenario.ecs.images[`shop:${GOOD}`];
  scenario.ecr = {
    registry: registry.url,
    password: PASSWORD,
    syncWithRegistry: true,
    repositories: [{ name: 'shop' }],
  };
  sandbox = await startSandbox({ scenario });
  // The demo config, with the staging image pushed from the archive. The sandbox's app answers with the revision ECR
  // records for its image; for an image pushed to the real registry it knows only the digest, so the smoke checks
  // here do not ask for the commit.
  const edits: [string, string][] = [
    [
      STAGING_IMAGE,
      `    image:
      repository: shop
      source: push-archive
      archive: ${fixture.tar.slice(workspace.length + 1)}
      chunk-size-mib: 5
      tags: ['{sha}', 'staging-{sha7}']
`,
    ],
    [STAGING_SMOKE, STAGING_SMOKE.replace('version-header: X-App-Version', 'expect-version: false')],
  ];
  let text = readFileSync(join(repoRoot, 'demo', 'ecs-release.yml'), 'utf8');
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`The demo config no longer has:\n${from}`);
    text = text.replace(from, to);
  }
  writeFileSync(join(workspace, '.github', 'ecs-release.yml'), text.replaceAll('${SANDBOX_URL}', sandbox.url));
  authFile = join(workspace, 'auth.json');
  writeFileSync(
    authFile,
    JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from(`AWS:${PASSWORD}`).toString('base64') } } }),
  );
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  await registry?.stop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

function release(): Promise<ActionRun> {
  return runAction('release', {
    inputs: { environment: 'staging', sha: GOOD },
    env: { ...sandbox.env(), GITHUB_SHA: GOOD },
    cwd: workspace,
    timeoutMs: 90_000,
  });
}

function runningImage(service: string): string {
  const ecs = sandbox.state('ecs');
  const arn = ecs.service('eu-west-1', 'shop-staging', service)!.taskDefinitionArn;
  return ecs.taskDefinition('eu-west-1', arn)!.body.containerDefinitions.find((c) => c.name === 'app')!.image;
}

test('a staging release pushes the OCI archive, deploys its digest and smoke-tests it; a re-run pushes nothing', async () => {
  const uploadsBefore = registry.uploadRequests();
  const run = await release();
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  const ref = `${registry.host}/shop@${fixture.indexDigest}`;
  expect(run.outputs).toMatchObject({ result: 'succeeded', 'image-ref': ref });
  expect(registry.uploadRequests()).toBeGreaterThan(uploadsBefore);
  expect(run.summary).toContain(`pushed ${fixture.tar.slice(workspace.length + 1)} as ${GOOD}, staging-8f2b6c4`);
  for (const service of ['web', 'worker']) expect(runningImage(service)).toBe(ref);
  expectNoSecrets(run);

  // The registry holds the archive's index under both tags, byte for byte.
  for (const tag of [GOOD, 'staging-8f2b6c4']) {
    const result = spawnSync(
      'skopeo',
      ['inspect', '--tls-verify=false', '--authfile', authFile, '--raw', `docker://${registry.host}/shop:${tag}`],
      { encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(`sha256:${createHash('sha256').update(result.stdout).digest('hex')}`).toBe(fixture.indexDigest);
  }

  // The same release again: every tag already names the image, so no blob goes up.
  const uploadsAfterFirst = registry.uploadRequests();
  const again = await release();
  expect(again.errors).toEqual([]);
  expect(again.outputs).toMatchObject({ result: 'succeeded', 'image-ref': ref });
  expect(registry.uploadRequests()).toBe(uploadsAfterFirst);
  expect(again.summary).toContain(`shop already had ${fixture.tar.slice(workspace.length + 1)} under`);
});
