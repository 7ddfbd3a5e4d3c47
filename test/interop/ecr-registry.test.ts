// push-archive against a real OCI registry: Debian's docker-registry on loopback with basic auth, reached through
// the sandbox's ECR API (GetAuthorizationToken names it as proxyEndpoint). Checked with skopeo, a client nobody
// here wrote, and by pulling the manifest back.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { DEFAULT_SHA, runAction, type ActionRun } from '@ecs-ship/testing';
import { startLocalRegistry, requireTools, type LocalRegistry } from '@ecs-ship/testing/local-registry';
import { writeOciFixture, type OciFixture } from '@ecs-ship/testing/oci-fixture';
import { expectNoSecrets, PASSWORD } from '../build-push-ecr/scenario.js';

let registry: LocalRegistry;
let sandbox: Sandbox;
let fixture: OciFixture;
let work: string;
let authFile: string;

beforeAll(async () => {
  requireTools();
  work = mkdtempSync(join(tmpdir(), 'ecr-interop-'));
  registry = await startLocalRegistry('AWS', PASSWORD);
  sandbox = await startSandbox({
    scenario: {
      region: 'eu-west-1',
      ecr: {
        registry: registry.url,
        password: PASSWORD,
        syncWithRegistry: true,
        repositories: [
          { name: 'shop/web' },
          { name: 'shop/mirror' },
          { name: 'shop/locked', imageTagMutability: 'IMMUTABLE' },
          { name: 'shop/scanned', scanOnPush: true, pushScan: { findings: { CRITICAL: 1, MEDIUM: 3 } } },
        ],
      },
    },
  });
  fixture = await writeOciFixture(work, DEFAULT_SHA);
  authFile = join(work, 'auth.json');
  writeFileSync(
    authFile,
    JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from(`AWS:${PASSWORD}`).toString('base64') } } }),
  );
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  await registry?.stop();
});

function pushArchive(inputs: Record<string, string>): Promise<ActionRun> {
  return runAction('build-push-ecr', {
    inputs: { 'chunk-size': '5242880', ...inputs },
    env: { ...sandbox.env(), GITHUB_SHA: DEFAULT_SHA },
    timeoutMs: 90_000,
  });
}

function skopeo(...args: string[]): string {
  const result = spawnSync('skopeo', [...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`skopeo ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

function blobLine(run: ActionRun): { uploaded: number; bytes: number; existing: number; mounted: number } {
  const line = run.lines.find((l) => l.startsWith('Blobs: '));
  const match = line && /^Blobs: (\d+) uploaded \((\d+) bytes\), (\d+) already there, (\d+) mounted/.exec(line);
  if (!match) throw new Error(`No blob summary line in:\n${run.stdout}`);
  return { uploaded: Number(match[1]), bytes: Number(match[2]), existing: Number(match[3]), mounted: Number(match[4]) };
}

describe('push-archive to a real registry named by the sandbox ECR', () => {
  it('pushes a multi-platform OCI tar: skopeo and a manifest pull-back see exactly that image', async () => {
    const run = await pushArchive({ repository: 'shop/web', archive: fixture.tar, tags: `${DEFAULT_SHA}, latest` });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({
      image: `${registry.host}/shop/web`,
      digest: fixture.indexDigest,
      'image-ref': `${registry.host}/shop/web@${fixture.indexDigest}`,
      tags: `${DEFAULT_SHA},latest`,
      pushed: 'true',
    });
    // Every blob went up once, the 6 MiB layer in chunks; the shared base layer only once.
    expect(blobLine(run)).toEqual({
      uploaded: fixture.blobs.length,
      bytes: fixture.totalBlobBytes,
      existing: 0,
      mounted: 0,
    });
    expect(run.stdout).toMatch(/bytes, in chunks\)/);
    // The registry's access log saw those uploads (one PUT per small blob; PATCHes and a PUT for the chunked one).
    expect(registry.uploadRequests()).toBeGreaterThan(fixture.blobs.length);
    expectNoSecrets(run);

    // skopeo reads the index back byte for byte, and each platform image with its revision label.
    const raw = skopeo(
      'inspect',
      '--tls-verify=false',
      '--authfile',
      authFile,
      '--raw',
      `docker://${registry.host}/shop/web:latest`,
    );
    expect(`sha256:${createHash('sha256').update(raw).digest('hex')}`).toBe(fixture.indexDigest);
    for (const arch of ['amd64', 'arm64']) {
      const inspected = JSON.parse(
        skopeo(
          'inspect',
          '--tls-verify=false',
          '--authfile',
          authFile,
          '--override-os',
          'linux',
          '--override-arch',
          arch,
          `docker://${registry.host}/shop/web:${DEFAULT_SHA}`,
        ),
      ) as { Architecture: string; Labels: Record<string, string> };
      expect(inspected.Architecture).toBe(arch);
      expect(inspected.Labels['org.opencontainers.image.revision']).toBe(DEFAULT_SHA);
    }

    // And a plain pull of the manifest over the distribution API.
    const pulled = await fetch(`${registry.url}/v2/shop/web/manifests/latest`, {
      headers: {
        authorization: `Basic ${Buffer.from(`AWS:${PASSWORD}`).toString('base64')}`,
        accept: 'application/vnd.oci.image.index.v1+json',
      },
    });
    expect(pulled.status).toBe(200);
    expect(pulled.headers.get('docker-content-digest')).toBe(fixture.indexDigest);
    expect(Buffer.from(await pulled.arrayBuffer()).equals(fixture.indexBytes)).toBe(true);
  });

  it('a second push of the same image (from the layout directory) uploads no blob bytes', async () => {
    const before = registry.uploadRequests();
    const run = await pushArchive({
      repository: 'shop/web',
      archive: fixture.dir,
      tags: 'latest',
      'skip-existing': 'false',
    });
    expect(run.errors).toEqual([]);
    expect(run.outputs.digest).toBe(fixture.indexDigest);
    expect(blobLine(run)).toEqual({ uploaded: 0, bytes: 0, existing: fixture.blobs.length, mounted: 0 });
    // The registry's own access log agrees: no request carried blob bytes.
    expect(registry.uploadRequests()).toBe(before);
  });

  it('with skip-existing, a push of an image already under every tag does nothing and says pushed=false', async () => {
    const before = registry.uploadRequests();
    const run = await pushArchive({ repository: 'shop/web', archive: fixture.tar, tags: `${DEFAULT_SHA},latest` });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.pushed).toBe('false');
    expect(run.outputs.digest).toBe(fixture.indexDigest);
    expect(registry.uploadRequests()).toBe(before);
  });

  it('mounts layers from another repository instead of uploading them', async () => {
    const before = registry.uploadRequests();
    const run = await pushArchive({
      repository: 'shop/mirror',
      archive: fixture.tar,
      tags: 'v1',
      'mount-from': 'shop/web',
    });
    expect(run.errors).toEqual([]);
    expect(blobLine(run)).toEqual({ uploaded: 0, bytes: 0, existing: 0, mounted: fixture.blobs.length });
    expect(registry.uploadRequests()).toBe(before);
    const raw = skopeo(
      'inspect',
      '--tls-verify=false',
      '--authfile',
      authFile,
      '--raw',
      `docker://${registry.host}/shop/mirror:v1`,
    );
    expect(`sha256:${createHash('sha256').update(raw).digest('hex')}`).toBe(fixture.indexDigest);
  });

  it('in an immutable repository, refuses to move a tag to another image before uploading anything', async () => {
    const first = await pushArchive({ repository: 'shop/locked', archive: fixture.tar, tags: 'release' });
    expect(first.exitCode).toBe(0);
    const other = await writeOciFixture(mkdtempSync(join(work, 'other-')), 'another-revision', 1024);
    const before = registry.uploadRequests();
    const run = await pushArchive({ repository: 'shop/locked', archive: other.tar, tags: 'release' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/Tag "release" already points at sha256:[a-f0-9]{64} in the immutable repository/);
    expect(registry.uploadRequests()).toBe(before);
    // The same image again is success, not a conflict.
    const same = await pushArchive({ repository: 'shop/locked', archive: fixture.tar, tags: 'release' });
    expect(same.exitCode).toBe(0);
    expect(same.outputs.pushed).toBe('false');
  });

  it('promotes the pushed image by manifest: the new tag is pullable from the registry, no layer moved', async () => {
    const pushed = await pushArchive({ repository: 'shop/web', archive: fixture.tar, tags: 'staging-7' });
    expect(pushed.exitCode).toBe(0);
    const before = registry.uploadRequests();
    const run = await runAction('build-push-ecr', {
      inputs: { repository: 'shop/web', 'source-tag': 'staging-7', tags: 'production' },
      env: { ...sandbox.env(), GITHUB_SHA: DEFAULT_SHA },
    });
    expect(run.errors).toEqual([]);
    expect(run.outputs.digest).toBe(fixture.indexDigest);
    expect(registry.uploadRequests()).toBe(before);
    const raw = skopeo(
      'inspect',
      '--tls-verify=false',
      '--authfile',
      authFile,
      '--raw',
      `docker://${registry.host}/shop/web:production`,
    );
    expect(`sha256:${createHash('sha256').update(raw).digest('hex')}`).toBe(fixture.indexDigest);
  });

  it('waits for the scan of each platform image and fails on findings at or above fail-on-severity', async () => {
    const run = await pushArchive({
      repository: 'shop/scanned',
      archive: fixture.tar,
      tags: 'v1',
      'fail-on-severity': 'HIGH',
    });
    expect(run.exitCode).toBe(1);
    // Two platform images, each with 1 CRITICAL and 3 MEDIUM.
    expect(run.errors[0]).toMatch(/found 2 CRITICAL, at or above fail-on-severity HIGH/);
    expect(run.summary).toMatch(/2 CRITICAL, 6 MEDIUM/);
    // The image was pushed all the same: the step says what it pushed before failing.
    expect(run.outputs.digest).toBe(fixture.indexDigest);
  });
});
