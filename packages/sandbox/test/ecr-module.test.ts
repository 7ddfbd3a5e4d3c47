// The ECR module's rules, called the way the core calls its handlers (the wire is tested through the SDK elsewhere).
import { createHash } from 'node:crypto';
import { AwsError, type CallContext, type SandboxClock } from '../src/core/module.js';
import { ecrService, type EcrModule } from '../src/ecr/index.js';

let now = Date.parse('2026-11-23T10:00:00Z');
const clock: SandboxClock = {
  now: () => now,
  scaled: (seconds) => seconds * 1000,
  after: () => () => undefined,
};
const ctx: CallContext = { region: 'eu-west-1', accountId: '123456789012', requestId: 'r', clock, baseUrl: 'http://x' };

function create(section: unknown): EcrModule {
  return ecrService.create(ecrService.schema.parse(section), {
    clock,
    accountId: '123456789012',
    defaultRegion: 'eu-west-1',
    baseUrl: 'http://127.0.0.1:1',
    stateOf: () => undefined as never,
  });
}

async function call(module: EcrModule, operation: string, input: unknown): Promise<any> {
  return module.handlers[operation]!(input, ctx);
}

async function error(module: EcrModule, operation: string, input: unknown): Promise<AwsError> {
  try {
    await call(module, operation, input);
  } catch (e) {
    if (e instanceof AwsError) return e;
    throw e;
  }
  throw new Error(`${operation} did not fail`);
}

const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

describe('sandbox ECR module', () => {
  const scenario = {
    registry: 'http://127.0.0.1:5999',
    password: 'registry-password-1',
    repositories: [
      { name: 'shop/web', images: [{ tags: ['abc', 'staging'], revision: 'abc' }] },
      {
        name: 'shop/api',
        imageTagMutability: 'IMMUTABLE',
        scanOnPush: true,
        images: [{ tags: ['v1'], scan: { findings: { HIGH: 2, LOW: 5 }, seconds: 30 } }, { tags: ['v2'] }],
      },
    ],
  };

  it('hands out a 12-hour token of AWS:<password> naming the scenario registry', async () => {
    const module = create(scenario);
    const { authorizationData } = await call(module, 'GetAuthorizationToken', {});
    expect(Buffer.from(authorizationData[0].authorizationToken, 'base64').toString()).toBe('AWS:registry-password-1');
    expect(authorizationData[0].proxyEndpoint).toBe('http://127.0.0.1:5999');
    expect(authorizationData[0].expiresAt.getTime() - now).toBe(12 * 3600 * 1000);
  });

  it('describes, creates and refuses repositories as ECR does', async () => {
    const module = create(scenario);
    const { repositories } = await call(module, 'DescribeRepositories', { repositoryNames: ['shop/web'] });
    expect(repositories[0]).toMatchObject({
      repositoryName: 'shop/web',
      repositoryUri: '127.0.0.1:5999/shop/web',
      repositoryArn: 'arn:aws:ecr:eu-west-1:123456789012:repository/shop/web',
      imageTagMutability: 'MUTABLE',
    });
    expect((await error(module, 'DescribeRepositories', { repositoryNames: ['nope'] })).code).toBe(
      'RepositoryNotFoundException',
    );
    const created = await call(module, 'CreateRepository', {
      repositoryName: 'shop/worker',
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'KMS' },
    });
    expect(created.repository).toMatchObject({
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'arn:aws:kms:eu-west-1:123456789012:alias/aws/ecr' },
    });
    expect((await error(module, 'CreateRepository', { repositoryName: 'shop/worker' })).code).toBe(
      'RepositoryAlreadyExistsException',
    );
    expect((await error(module, 'CreateRepository', { repositoryName: 'Shop' })).code).toBe(
      'InvalidParameterException',
    );
  });

  it('names images by the sha256 of their exact manifest bytes and reports missing ones as failures', async () => {
    const module = create(scenario);
    const { images, failures } = await call(module, 'BatchGetImage', {
      repositoryName: 'shop/web',
      imageIds: [{ imageTag: 'abc' }, { imageTag: 'missing' }],
    });
    expect(images).toHaveLength(1);
    expect(images[0].imageId.imageDigest).toBe(sha(images[0].imageManifest));
    expect(JSON.parse(images[0].imageManifest).annotations['org.opencontainers.image.revision']).toBe('abc');
    expect(failures).toEqual([
      { imageId: { imageTag: 'missing' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
    ]);
    const refused = await call(module, 'BatchGetImage', {
      repositoryName: 'shop/web',
      imageIds: [{ imageTag: 'abc' }],
      acceptedMediaTypes: ['application/vnd.docker.distribution.manifest.v2+json'],
    });
    expect(refused.failures[0].failureCode).toBe('UnsupportedImageType');
  });

  it('adds a tag by manifest, and raises both "already exists" errors per the rules', async () => {
    const module = create(scenario);
    const [web] = (await call(module, 'BatchGetImage', { repositoryName: 'shop/web', imageIds: [{ imageTag: 'abc' }] }))
      .images;
    const put = await call(module, 'PutImage', {
      repositoryName: 'shop/web',
      imageManifest: web.imageManifest,
      imageManifestMediaType: web.imageManifestMediaType,
      imageTag: 'production',
    });
    expect(put.image.imageId).toEqual({ imageDigest: web.imageId.imageDigest, imageTag: 'production' });
    const again = await error(module, 'PutImage', {
      repositoryName: 'shop/web',
      imageManifest: web.imageManifest,
      imageTag: 'production',
    });
    expect(again.code).toBe('ImageAlreadyExistsException');

    const api = (await call(module, 'BatchGetImage', { repositoryName: 'shop/api', imageIds: [{ imageTag: 'v1' }] }))
      .images[0];
    const immutable = await error(module, 'PutImage', {
      repositoryName: 'shop/api',
      imageManifest: api.imageManifest,
      imageTag: 'v2',
    });
    expect(immutable.code).toBe('ImageTagAlreadyExistsException');
    expect(immutable.message).toContain('cannot be overwritten because the repository is immutable');

    // A mutable repository moves the tag to the other image.
    const old = (await call(module, 'BatchGetImage', { repositoryName: 'shop/api', imageIds: [{ imageTag: 'v2' }] }))
      .images[0];
    const mutable = create({
      repositories: [{ name: 'shop/mutable', images: [{ tags: ['a'] }, { tags: ['b'] }] }],
    });
    const [a] = (
      await call(mutable, 'BatchGetImage', { repositoryName: 'shop/mutable', imageIds: [{ imageTag: 'a' }] })
    ).images;
    await call(mutable, 'PutImage', { repositoryName: 'shop/mutable', imageManifest: a.imageManifest, imageTag: 'b' });
    const [b] = (
      await call(mutable, 'BatchGetImage', { repositoryName: 'shop/mutable', imageIds: [{ imageTag: 'b' }] })
    ).images;
    expect(b.imageId.imageDigest).toBe(a.imageId.imageDigest);
    expect(old.imageId.imageDigest).not.toBe(api.imageId.imageDigest);
  });

  it('refuses a manifest whose layers the repository does not hold', async () => {
    const module = create(scenario);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha('c'), size: 2 },
      layers: [],
    });
    expect(
      (await error(module, 'PutImage', { repositoryName: 'shop/web', imageManifest: manifest, imageTag: 'x' })).code,
    ).toBe('LayersNotFoundException');
  });

  it('reports scan findings once the scan completes, and ScanNotFound where nothing was scanned', async () => {
    const module = create(scenario);
    const id = { imageTag: 'v1' };
    const pending = await call(module, 'DescribeImageScanFindings', { repositoryName: 'shop/api', imageId: id });
    expect(pending.imageScanStatus.status).toBe('IN_PROGRESS');
    expect(pending.imageScanFindings).toBeUndefined();
    now += 30_000;
    const done = await call(module, 'DescribeImageScanFindings', { repositoryName: 'shop/api', imageId: id });
    expect(done.imageScanStatus.status).toBe('COMPLETE');
    expect(done.imageScanFindings.findingSeverityCounts).toEqual({ HIGH: 2, LOW: 5 });
    expect(
      (await error(module, 'DescribeImageScanFindings', { repositoryName: 'shop/web', imageId: { imageTag: 'abc' } }))
        .code,
    ).toBe('ScanNotFoundException');
    expect(
      (await error(module, 'DescribeImageScanFindings', { repositoryName: 'shop/web', imageId: { imageTag: 'zzz' } }))
        .code,
    ).toBe('ImageNotFoundException');
  });

  it('describes images with tags, size and push time', async () => {
    const module = create(scenario);
    const { imageDetails } = await call(module, 'DescribeImages', { repositoryName: 'shop/api' });
    expect(imageDetails).toHaveLength(2);
    expect(imageDetails.map((d: any) => d.imageTags)).toEqual([['v1'], ['v2']]);
    expect(imageDetails[0].imageSizeInBytes).toBeGreaterThan(0);
    expect(
      (await error(module, 'DescribeImages', { repositoryName: 'shop/api', imageIds: [{ imageTag: 'v9' }] })).code,
    ).toBe('ImageNotFoundException');
    expect(module.mutating.has('PutImage')).toBe(true);
    expect(module.mutating.has('BatchGetImage')).toBe(false);
  });
});
