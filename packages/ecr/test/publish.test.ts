// publishImage, with the ECR client mocked at the SDK boundary: the order of its steps and the scan threshold.
import {
  BatchGetImageCommand,
  DescribeImageScanFindingsCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { MemoryLogger, systemClock } from '@ecs-ship/action-kit';
import { ScanThresholdError, publishImage, type PublishDeps, type PublishSettings } from '../src/publish.js';

const ecr = mockClient(ECRClient);
const uri = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web';
const digest = `sha256:${'d'.repeat(64)}`;

const settings = (extra: Partial<PublishSettings> = {}): PublishSettings => ({
  repository: { name: 'shop/web', create: false, tagMutability: 'MUTABLE', scanOnPush: true, encryption: 'AES256' },
  tags: ['prod'],
  origin: { mode: 'promote', source: { tag: 'staging' } },
  skipExisting: true,
  scanTimeoutMs: 60_000,
  ...extra,
});

function deps(extra: Partial<PublishDeps> = {}): PublishDeps {
  return {
    ecr: new ECRClient({ region: 'eu-west-1' }),
    logger: new MemoryLogger(),
    clock: systemClock,
    signal: new AbortController().signal,
    protect: () => undefined,
    scratchDir: '/tmp',
    ...extra,
  };
}

beforeEach(() => {
  ecr.reset();
  ecr.on(DescribeRepositoriesCommand).resolves({
    repositories: [
      { repositoryName: 'shop/web', registryId: '123456789012', repositoryUri: uri, imageTagMutability: 'MUTABLE' },
    ],
  });
  ecr.on(BatchGetImageCommand).resolves({
    images: [{ imageId: { imageTag: 'staging', imageDigest: digest }, imageManifest: '{"schemaVersion":2}' }],
  });
  ecr.on(PutImageCommand).resolves({});
});

test('promotes and reports the image pinned by digest, without registry credentials', async () => {
  const result = await publishImage(settings(), deps());
  expect(result).toMatchObject({
    mode: 'promote',
    digest,
    imageRef: `${uri}@${digest}`,
    tags: ['prod'],
    pushed: false,
    repository: { name: 'shop/web', uri },
  });
  expect(result.scan).toBeUndefined();
  expect(ecr.commandCalls(GetAuthorizationTokenCommand)).toHaveLength(0);
  expect(ecr.commandCalls(PutImageCommand)).toHaveLength(1);
});

test('a repository the caller refuses stops everything before any image is read or tagged', async () => {
  const refusal = new Error('not that registry');
  await expect(
    publishImage(
      settings(),
      deps({
        checkRepository: () => {
          throw refusal;
        },
      }),
    ),
  ).rejects.toBe(refusal);
  expect(ecr.commandCalls(BatchGetImageCommand)).toHaveLength(0);
  expect(ecr.commandCalls(PutImageCommand)).toHaveLength(0);
});

test('findings at the threshold fail with a ScanThresholdError that carries what was published', async () => {
  ecr.on(DescribeImageScanFindingsCommand).resolves({
    imageScanStatus: { status: 'COMPLETE' },
    imageScanFindings: { findingSeverityCounts: { HIGH: 2, LOW: 1 } },
  });
  const error = (await publishImage(settings({ failOnSeverity: 'HIGH' }), deps()).catch((e: unknown) => e)) as
    ScanThresholdError | undefined;
  expect(error).toBeInstanceOf(ScanThresholdError);
  expect(error!.message).toBe(
    `The ECR scan of ${digest} found 2 HIGH, at or above fail-on-severity HIGH. Fix the findings or raise the threshold.`,
  );
  expect(error!.threshold).toBe('HIGH');
  expect(error!.result).toMatchObject({ digest, imageRef: `${uri}@${digest}`, scan: '2 HIGH, 1 LOW' });
  // The tag was added before the scan was judged.
  expect(ecr.commandCalls(PutImageCommand)).toHaveLength(1);
});

test('findings below the threshold pass, and the result says what the scan found', async () => {
  ecr.on(DescribeImageScanFindingsCommand).resolves({
    imageScanStatus: { status: 'COMPLETE' },
    imageScanFindings: { findingSeverityCounts: { MEDIUM: 3 } },
  });
  const result = await publishImage(settings({ failOnSeverity: 'HIGH' }), deps());
  expect(result.scan).toBe('3 MEDIUM');
  expect(ecr.commandCalls(DescribeImageScanFindingsCommand)[0]!.args[0].input).toMatchObject({
    repositoryName: 'shop/web',
    imageId: { imageDigest: digest },
  });
});
