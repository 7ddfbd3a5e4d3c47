// The sandbox's ECR API (awsJson1_1, `AmazonEC2ContainerRegistry_V20150921`). The registry itself (`/v2/...`) is
// not served here: GetAuthorizationToken points clients at the registry the scenario names.
import { randomBytes } from 'node:crypto';
import type { ModuleExtras } from '../core/extensions.js';
import { AwsError, type AwsJsonModule, type CallContext, type ServiceDefinition } from '../core/module.js';
import { syntheticManifest } from './manifest.js';
import { RegistrySync } from './registry-sync.js';
import { ecrSectionSchema, type EcrSection, type ScanSection } from './scenario.js';
import { EcrState, isDigest, validation, type Image, type ImageId, type Repository, type ScanPlan } from './state.js';

export { EcrState } from './state.js';
export { manifestDigest } from './manifest.js';
export type { EcrSection } from './scenario.js';

export type EcrModule = AwsJsonModule & ModuleExtras & { state: EcrState };

export const ecrService: ServiceDefinition<EcrSection, EcrModule, 'ecr'> = {
  key: 'ecr',
  schema: ecrSectionSchema,
  create(section, env) {
    const state = new EcrState({
      accountId: env.accountId,
      defaultRegion: env.defaultRegion,
      registry: section.registry,
      password: section.password ?? randomBytes(24).toString('base64url'),
      now: () => env.clock.now(),
      scaled: (seconds) => env.clock.scaled(seconds),
    });
    seed(state, section, env.defaultRegion);
    return {
      protocol: 'json',
      signingName: 'ecr',
      targetPrefix: 'AmazonEC2ContainerRegistry_V20150921',
      mutating: new Set(['CreateRepository', 'PutImage']),
      handlers: handlers(
        state,
        section.syncWithRegistry && section.registry
          ? new RegistrySync(state, section.registry, state.settings.password)
          : undefined,
      ),
      state,
      // The token is base64 of `AWS:<password>`: a client that prints either has leaked the registry login.
      secrets: () => [
        { name: 'ECR password', value: state.settings.password },
        { name: 'ECR authorization token', value: state.authorizationToken(env.defaultRegion).authorizationToken },
      ],
    };
  },
};

function seed(state: EcrState, section: EcrSection, defaultRegion: string): void {
  for (const repo of section.repositories) {
    const region = repo.region ?? defaultRegion;
    const repository = state.createRepository(
      region,
      {
        repositoryName: repo.name,
        imageTagMutability: repo.imageTagMutability,
        imageScanningConfiguration: { scanOnPush: repo.scanOnPush },
        encryptionConfiguration: { encryptionType: repo.encryption, ...(repo.kmsKey ? { kmsKey: repo.kmsKey } : {}) },
      },
      scanPlan(repo.pushScan),
    );
    repo.images.forEach((image, index) => {
      const manifest =
        typeof image.manifest === 'string'
          ? image.manifest
          : image.manifest
            ? JSON.stringify(image.manifest)
            : syntheticManifest(
                `${repo.name}#${index}#${image.tags.join(',')}`,
                image.revision ? { 'org.opencontainers.image.revision': image.revision } : undefined,
              );
      state.seedImage(
        repository,
        manifest,
        image.tags,
        image.scan ? scanPlan(image.scan) : repo.scanOnPush ? scanPlan(repo.pushScan) : undefined,
        image.mediaType,
      );
    });
  }
}

function scanPlan(scan: ScanSection | undefined): ScanPlan {
  return { findings: scan?.findings ?? {}, seconds: scan?.seconds ?? 0, fails: scan?.fails ?? false };
}

type Handler = (input: any, ctx: CallContext) => unknown;

function handlers(state: EcrState, sync?: RegistrySync): Record<string, Handler> {
  return {
    GetAuthorizationToken: (_input, ctx) => ({ authorizationData: [state.authorizationToken(ctx.region)] }),

    CreateRepository: (input, ctx) => ({ repository: repositoryShape(state.createRepository(ctx.region, input)) }),

    DescribeRepositories: (input: { repositoryNames?: string[]; maxResults?: number; nextToken?: string }, ctx) => {
      const repositories = input.repositoryNames?.length
        ? input.repositoryNames.map((name) => state.repository(ctx.region, name))
        : state.listRepositories(ctx.region);
      return page(repositories.map(repositoryShape), 'repositories', input);
    },

    DescribeImages: async (
      input: {
        repositoryName?: string;
        imageIds?: ImageId[];
        filter?: { tagStatus?: 'TAGGED' | 'UNTAGGED' | 'ANY' };
        maxResults?: number;
        nextToken?: string;
      },
      ctx,
    ) => {
      const repository = state.repository(ctx.region, input.repositoryName);
      if (input.imageIds?.length) await sync?.refresh(repository, input.imageIds);
      else await sync?.refreshAll(repository);
      let images: Image[];
      if (input.imageIds?.length) {
        images = input.imageIds.map((id) => {
          const image = state.findImage(repository, checkId(id));
          if (!image) throw imageNotFound(repository, id);
          return image;
        });
      } else {
        const status = input.filter?.tagStatus ?? 'ANY';
        images = [...repository.images.values()].filter((image) => {
          const tagged = state.tagsOf(repository, image.digest).length > 0;
          return status === 'ANY' || (status === 'TAGGED') === tagged;
        });
      }
      return page(
        images.map((image) => imageDetail(state, repository, image)),
        'imageDetails',
        input,
      );
    },

    BatchGetImage: async (
      input: { repositoryName?: string; imageIds?: ImageId[]; acceptedMediaTypes?: string[] },
      ctx,
    ) => {
      const repository = state.repository(ctx.region, input.repositoryName);
      if (!input.imageIds?.length) {
        throw validation('imageIds', 'Member must have length greater than or equal to 1');
      }
      await sync?.refresh(
        repository,
        input.imageIds.filter((id) => id.imageDigest === undefined || isDigest(id.imageDigest)),
      );
      const images: unknown[] = [];
      const failures: unknown[] = [];
      for (const id of input.imageIds) {
        if (id.imageTag === undefined && id.imageDigest === undefined) {
          failures.push({ imageId: id, failureCode: 'MissingDigestAndTag', failureReason: 'Missing digest and tag' });
          continue;
        }
        if (id.imageDigest !== undefined && !isDigest(id.imageDigest)) {
          failures.push({ imageId: id, failureCode: 'InvalidImageDigest', failureReason: 'Invalid image digest' });
          continue;
        }
        const image = state.findImage(repository, id);
        if (!image) {
          const tagDigest = id.imageTag !== undefined ? repository.tags.get(id.imageTag) : undefined;
          failures.push(
            id.imageTag !== undefined && id.imageDigest !== undefined && tagDigest !== undefined
              ? { imageId: id, failureCode: 'ImageTagDoesNotMatchDigest', failureReason: 'Tag does not match digest' }
              : { imageId: id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
          );
          continue;
        }
        if (input.acceptedMediaTypes?.length && !input.acceptedMediaTypes.includes(image.mediaType)) {
          failures.push({
            imageId: id,
            failureCode: 'UnsupportedImageType',
            failureReason: `Image manifest media type ${image.mediaType} is not among the accepted media types`,
          });
          continue;
        }
        images.push({
          registryId: repository.registryId,
          repositoryName: repository.name,
          imageId: { imageDigest: image.digest, ...(id.imageTag !== undefined ? { imageTag: id.imageTag } : {}) },
          imageManifest: image.manifest,
          imageManifestMediaType: image.mediaType,
        });
      }
      return { images, failures };
    },

    PutImage: async (input, ctx) => {
      const repository = state.repository(ctx.region, input.repositoryName);
      if (sync && typeof input.imageTag === 'string') await sync.refresh(repository, [{ imageTag: input.imageTag }]);
      const { image, tag } = state.putImage(repository, input);
      if (sync && tag !== undefined) await sync.putTag(repository, tag, image.manifest, image.mediaType);
      return {
        image: {
          registryId: repository.registryId,
          repositoryName: repository.name,
          imageId: { imageDigest: image.digest, ...(tag !== undefined ? { imageTag: tag } : {}) },
          imageManifest: image.manifest,
          imageManifestMediaType: image.mediaType,
        },
      };
    },

    DescribeImageScanFindings: async (input: { repositoryName?: string; imageId?: ImageId }, ctx) => {
      const repository = state.repository(ctx.region, input.repositoryName);
      const id = checkId(input.imageId ?? {});
      await sync?.refresh(repository, [id]);
      const image = state.findImage(repository, id);
      if (!image) throw imageNotFound(repository, id);
      const status = state.scanStatus(image);
      if (!status || !image.scan) {
        throw new AwsError(
          'ScanNotFoundException',
          `Image scan does not exist for the image with '${formatId(id)}' in the repository with name '${repository.name}' in the registry with id '${repository.registryId}'`,
        );
      }
      const completed = status === 'COMPLETE';
      return {
        registryId: repository.registryId,
        repositoryName: repository.name,
        imageId: { imageDigest: image.digest, ...(id.imageTag !== undefined ? { imageTag: id.imageTag } : {}) },
        imageScanStatus: {
          status,
          description:
            status === 'COMPLETE'
              ? 'The scan was completed successfully.'
              : status === 'FAILED'
                ? 'UnsupportedImageError: The operating system and/or package manager are not supported.'
                : 'The scan is in progress.',
        },
        ...(completed
          ? {
              imageScanFindings: {
                imageScanCompletedAt: new Date(image.scan.completesAt),
                vulnerabilitySourceUpdatedAt: image.scan.startedAt,
                findingSeverityCounts: { ...image.scan.plan.findings },
                findings: [],
              },
            }
          : {}),
      };
    },
  };
}

function checkId(id: ImageId): ImageId {
  if (id.imageDigest !== undefined && !isDigest(id.imageDigest)) {
    throw new AwsError(
      'InvalidParameterException',
      `Invalid parameter at 'imageDigest' failed to satisfy constraint: 'Invalid digest: ${id.imageDigest}'`,
    );
  }
  if (id.imageDigest === undefined && id.imageTag === undefined) {
    throw new AwsError(
      'InvalidParameterException',
      "Invalid parameter at 'imageId' failed to satisfy constraint: 'Missing digest and tag'",
    );
  }
  return id;
}

function repositoryShape(repository: Repository) {
  return {
    repositoryArn: repository.arn,
    registryId: repository.registryId,
    repositoryName: repository.name,
    repositoryUri: repository.uri,
    createdAt: repository.createdAt,
    imageTagMutability: repository.imageTagMutability,
    imageScanningConfiguration: { scanOnPush: repository.scanOnPush },
    encryptionConfiguration: repository.encryption,
  };
}

function imageDetail(state: EcrState, repository: Repository, image: Image) {
  const tags = state.tagsOf(repository, image.digest);
  const status = state.scanStatus(image);
  return {
    registryId: repository.registryId,
    repositoryName: repository.name,
    imageDigest: image.digest,
    ...(tags.length > 0 ? { imageTags: tags } : {}),
    imageSizeInBytes: image.sizeInBytes,
    imagePushedAt: image.pushedAt,
    imageManifestMediaType: image.mediaType,
    ...(status && image.scan
      ? {
          imageScanStatus: { status },
          ...(status === 'COMPLETE'
            ? {
                imageScanFindingsSummary: {
                  imageScanCompletedAt: new Date(image.scan.completesAt),
                  vulnerabilitySourceUpdatedAt: image.scan.startedAt,
                  findingSeverityCounts: { ...image.scan.plan.findings },
                },
              }
            : {}),
        }
      : {}),
  };
}

function imageNotFound(repository: Repository, id: ImageId): AwsError {
  return new AwsError(
    'ImageNotFoundException',
    `The image with imageId ${formatId(id)} does not exist within the repository with name '${repository.name}' in the registry with id '${repository.registryId}'`,
  );
}

function formatId(id: ImageId): string {
  return `{imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'}`;
}

/** ECR's pagination: an opaque nextToken while more results remain. */
function page<T>(items: T[], key: string, input: { maxResults?: number; nextToken?: string }) {
  const start = input.nextToken ? Number(Buffer.from(input.nextToken, 'base64url').toString()) || 0 : 0;
  const size = input.maxResults ?? 100;
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return { [key]: slice, ...(next ? { nextToken: next } : {}) };
}
