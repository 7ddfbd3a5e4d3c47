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
  /** Tags this run moved here from another image (only with `allowTagMove`). */
  moved: TagMove[];
}

export interface TagMove {
  tag: string;
  from: string;
  to: string;
}

export interface PromoteOptions {
  /**
   * Whether a tag that points at another image may be moved to this one. Refused by default: in a repository with
   * mutable tags a move silently changes what that tag deploys.
   */
  allowTagMove: boolean;
  /** The input or config key that allows it, for the refusal's wording. */
  allowedBy?: string;
  signal?: AbortSignal;
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
  { allowTagMove, allowedBy = 'allow-tag-move', signal }: PromoteOptions,
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
  if (!allowTagMove && conflicts.length > 0) {
    // Also checked before any PutImage: a refused move leaves every tag as it was.
    const tag = conflicts[0]!;
    throw new UserError(
      `Tag "${tag}" already points at ${found.tags.get(tag)!.digest} in "${repository.name}", and promoting ${image.digest} under it would move it${
        conflicts.length > 1
          ? ` (so would ${conflicts
              .slice(1)
              .map((t) => `"${t}"`)
              .join(', ')})`
          : ''
      }. Use a new tag, or set ${allowedBy}: true to move it.`,
      { title: 'Tag would move' },
    );
  }

  const added: string[] = [];
  const moved: TagMove[] = [];
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
      const previous = found.tags.get(tag);
      if (previous) {
        moved.push({ tag, from: previous.digest, to: image.digest });
        logger.warning(`Moved tag ${tag} from ${previous.digest} to ${image.digest}.`, 'Tag moved');
      } else {
        logger.info(`Tagged ${image.digest} as ${tag}.`);
      }
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
  return { digest: image.digest, mediaType: image.mediaType, added, unchanged, moved };
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
