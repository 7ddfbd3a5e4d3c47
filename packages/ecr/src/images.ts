// Reading images (manifests) from ECR's API.
import { BatchGetImageCommand, type ECRClient, type ImageIdentifier } from '@aws-sdk/client-ecr';
import { UserError } from '@ecs-ship/action-kit';
import { describeAwsError } from './errors.js';

/** Every manifest type ECR stores; asking for all of them stops ECR from converting between formats. */
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

export interface StoredImage {
  digest: string;
  manifest: string;
  mediaType?: string;
}

export interface ImageLookup {
  /** By tag. */
  tags: Map<string, StoredImage>;
  /** By digest (asked for by digest). */
  digests: Map<string, StoredImage>;
}

/** One BatchGetImage for every id: a tag or digest that does not exist is simply absent from the result. */
export async function lookupImages(
  client: ECRClient,
  repository: { name: string; registryId?: string },
  ids: { tags?: string[]; digests?: string[] },
  signal?: AbortSignal,
): Promise<ImageLookup> {
  const imageIds: ImageIdentifier[] = [
    ...[...new Set(ids.tags ?? [])].map((imageTag) => ({ imageTag })),
    ...[...new Set(ids.digests ?? [])].map((imageDigest) => ({ imageDigest })),
  ];
  const result: ImageLookup = { tags: new Map(), digests: new Map() };
  if (imageIds.length === 0) return result;
  let answer;
  try {
    answer = await client.send(
      new BatchGetImageCommand({
        repositoryName: repository.name,
        ...(repository.registryId ? { registryId: repository.registryId } : {}),
        imageIds,
        acceptedMediaTypes: MANIFEST_MEDIA_TYPES,
      }),
      { abortSignal: signal },
    );
  } catch (error) {
    throw new UserError(`Could not read images of ECR repository "${repository.name}" (${describeAwsError(error)}).`, {
      title: 'ECR',
      cause: error,
    });
  }
  for (const image of answer.images ?? []) {
    const digest = image.imageId?.imageDigest;
    if (!digest || !image.imageManifest) continue;
    const stored = { digest, manifest: image.imageManifest, mediaType: image.imageManifestMediaType };
    if (image.imageId?.imageTag !== undefined) result.tags.set(image.imageId.imageTag, stored);
    else result.digests.set(digest, stored);
  }
  const unexpected = (answer.failures ?? []).filter(
    (f) => f.failureCode !== 'ImageNotFound' && f.failureCode !== 'ImageTagDoesNotMatchDigest',
  );
  if (unexpected.length > 0) {
    const first = unexpected[0]!;
    throw new UserError(
      `ECR could not return image ${first.imageId?.imageTag ?? first.imageId?.imageDigest ?? ''} of "${repository.name}": ${first.failureCode} (${first.failureReason ?? 'no reason given'}).`,
      { title: 'ECR' },
    );
  }
  return result;
}
