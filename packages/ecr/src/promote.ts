// Promotion: new tags on an image that already exists, by manifest. No layer moves and nothing is rebuilt, so the
// image production runs is byte for byte the image staging tested. The number of API calls does not depend on
// the image's size: one BatchGetImage, then one PutImage per tag that must change.
import { PutImageCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { UserError, type Logger } from '@ecs-ship/action-kit';
import { describeAwsError, isAwsError } from './errors.js';
import { lookupImages, type StoredImage } from './images.js';
import type { RepositoryInfo } from './repository.js';

export type ImageSource = { tag: string } | { digest: string };

export interface PromoteResult {
  digest: string;
  mediaType?: string;
  /** Tags this run put on the image. */
  added: string[];
  /** Tags that already pointed at the image. */
  unchanged: string[];
}

export function describeSource(source: ImageSource): string {
  return 'tag' in source ? `tag "${source.tag}"` : `digest ${source.digest}`;
}

export async function promote(
  client: ECRClient,
  repository: RepositoryInfo,
  source: ImageSource,
  tags: string[],
  logger: Logger,
  signal?: AbortSignal,
): Promise<PromoteResult> {
  const found = await lookupImages(
    client,
    repository,
    {
      tags: ['tag' in source ? source.tag : undefined, ...tags].filter((t): t is string => t !== undefined),
      digests: 'digest' in source ? [source.digest] : [],
    },
    signal,
  );
  const image: StoredImage | undefined =
    'tag' in source ? found.tags.get(source.tag) : found.digests.get(source.digest);
  if (!image) {
    throw new UserError(
      `The source image (${describeSource(source)}) does not exist in ECR repository "${repository.name}": it was never pushed there, or it has expired. Build and push it first (for example in the staging pipeline), then promote it.`,
      { title: 'Source image not found' },
    );
  }

  const unchanged = tags.filter((tag) => found.tags.get(tag)?.digest === image.digest);
  const toAdd = tags.filter((tag) => !unchanged.includes(tag));
  const conflicts = toAdd.filter((tag) => found.tags.has(tag));
  if (repository.mutability === 'IMMUTABLE' && conflicts.length > 0) {
    // Checked before any PutImage, so a conflict leaves every tag as it was.
    throw immutableConflict(repository, conflicts, found.tags.get(conflicts[0]!)!.digest, image.digest);
  }

  const added: string[] = [];
  for (const tag of toAdd) {
    try {
      await client.send(
        new PutImageCommand({
          repositoryName: repository.name,
          registryId: repository.registryId,
          imageManifest: image.manifest,
          ...(image.mediaType ? { imageManifestMediaType: image.mediaType } : {}),
          imageTag: tag,
          imageDigest: image.digest,
        }),
        { abortSignal: signal },
      );
      added.push(tag);
      const moved = found.tags.get(tag);
      logger.info(
        moved ? `Moved tag ${tag} from ${moved.digest} to ${image.digest}.` : `Tagged ${image.digest} as ${tag}.`,
      );
    } catch (error) {
      if (isAwsError(error, 'ImageAlreadyExistsException')) {
        unchanged.push(tag);
      } else if (isAwsError(error, 'ImageTagAlreadyExistsException')) {
        throw immutableConflict(repository, [tag], undefined, image.digest);
      } else {
        throw new UserError(`Could not tag ${image.digest} as "${tag}" (${describeAwsError(error)}).`, {
          title: 'ECR',
          cause: error,
        });
      }
    }
  }
  for (const tag of unchanged) logger.info(`Tag ${tag} already points at ${image.digest}.`);
  return { digest: image.digest, mediaType: image.mediaType, added, unchanged };
}

function immutableConflict(
  repository: RepositoryInfo,
  tags: string[],
  otherDigest: string | undefined,
  digest: string,
): UserError {
  return new UserError(
    `Tag ${tags.map((t) => `"${t}"`).join(', ')} already points at ${otherDigest ?? 'another image'} in the immutable repository "${repository.name}", so it cannot be moved to ${digest}. Use a new tag, or make the repository's tags mutable.`,
    { title: 'Immutable tag' },
  );
}
