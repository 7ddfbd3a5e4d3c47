// Promotion and credentials, with the ECR client mocked at the SDK boundary.
import { BatchGetImageCommand, ECRClient, GetAuthorizationTokenCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { MemoryLogger } from '@ecs-ship/action-kit';
import { getRegistryCredentials } from '../src/auth.js';
import { promote } from '../src/promote.js';
import type { RepositoryInfo } from '../src/repository.js';

const ecr = mockClient(ECRClient);
const repository: RepositoryInfo = {
  name: 'shop/web',
  registryId: '123456789012',
  uri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web',
  mutability: 'MUTABLE',
  scanOnPush: false,
  created: false,
};
const digest = `sha256:${'c'.repeat(64)}`;
const manifest = '{"schemaVersion":2}';

beforeEach(() => ecr.reset());

describe('promote', () => {
  it('makes one BatchGetImage and one PutImage per tag, whatever the image size', async () => {
    ecr.on(BatchGetImageCommand).resolves({
      images: [
        {
          imageId: { imageTag: 'staging', imageDigest: digest },
          imageManifest: manifest,
          imageManifestMediaType: 'application/vnd.oci.image.index.v1+json',
        },
      ],
      failures: [
        { imageId: { imageTag: 'prod' }, failureCode: 'ImageNotFound' },
        { imageId: { imageTag: 'v2' }, failureCode: 'ImageNotFound' },
      ],
    });
    ecr.on(PutImageCommand).resolves({});
    const result = await promote(
      new ECRClient({}),
      repository,
      { tag: 'staging' },
      ['prod', 'v2'],
      new MemoryLogger(),
      {
        allowTagMove: false,
      },
    );
    expect(result).toEqual({
      digest,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      added: ['prod', 'v2'],
      unchanged: [],
      moved: [],
    });
    expect(ecr.commandCalls(BatchGetImageCommand)).toHaveLength(1);
    const puts = ecr.commandCalls(PutImageCommand).map((c) => c.args[0].input);
    expect(puts).toEqual([
      expect.objectContaining({ imageTag: 'prod', imageManifest: manifest, imageDigest: digest }),
      expect.objectContaining({ imageTag: 'v2', imageManifest: manifest, imageDigest: digest }),
    ]);
  });

  it('treats ImageAlreadyExistsException from a race as success', async () => {
    ecr.on(BatchGetImageCommand).resolves({
      images: [{ imageId: { imageTag: 'staging', imageDigest: digest }, imageManifest: manifest }],
    });
    ecr.on(PutImageCommand).rejects(Object.assign(new Error('exists'), { name: 'ImageAlreadyExistsException' }));
    const result = await promote(new ECRClient({}), repository, { tag: 'staging' }, ['prod'], new MemoryLogger(), {
      allowTagMove: false,
    });
    expect(result.unchanged).toEqual(['prod']);
  });
});

describe('getRegistryCredentials', () => {
  it('hands the token and the password to protect before returning them', async () => {
    const token = Buffer.from('AWS:the-password').toString('base64');
    ecr.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [
        { authorizationToken: token, proxyEndpoint: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com' },
      ],
    });
    const protectedValues: string[] = [];
    const credentials = await getRegistryCredentials(new ECRClient({}), { protect: (s) => protectedValues.push(s) });
    expect(protectedValues).toEqual([token, 'the-password']);
    expect(credentials).toMatchObject({
      host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      username: 'AWS',
      password: 'the-password',
    });
  });
});
