// Pushing a prebuilt OCI image layout over the distribution API, without any Docker daemon: blobs the registry
// already has are skipped (HEAD), others are mounted from a sibling repository where possible or uploaded
// (monolithic, or chunked when large); then the manifests go up, platform manifests before the index that names
// them, each checked against its digest.
import { UserError, type Logger } from '@ecs-ship/action-kit';
import type { RegistryClient } from './distribution.js';
import { INDEX_TYPES, MANIFEST_TYPES, sha256, type Descriptor, type Manifest, type OciLayout } from './oci-layout.js';

export interface PushArchiveOptions {
  repository: string;
  tags: string[];
  /** Blobs larger than this go up in chunks of this size. */
  chunkSize: number;
  /** Repositories of the same registry to mount blobs from before uploading them. */
  mountFrom: string[];
  /** When every tag already points at this image, push nothing. */
  skipExisting: boolean;
  mutability: 'MUTABLE' | 'IMMUTABLE';
}

export interface PushArchiveResult {
  digest: string;
  mediaType: string;
  manifest: Buffer;
  /** False when the registry already had the image under every tag. */
  pushed: boolean;
  /** Tags that already pointed at the image. */
  unchanged: string[];
  platforms: string[];
}

export async function pushArchive(
  registry: RegistryClient,
  layout: OciLayout,
  options: PushArchiveOptions,
  logger: Logger,
): Promise<PushArchiveResult> {
  const root = layout.rootImage();
  const bytes = root.bytes ?? (await layout.readVerified(root.descriptor));
  const manifest = parse(bytes, root.descriptor.digest);
  const mediaType = root.descriptor.mediaType ?? manifest.mediaType;
  if (!mediaType || (!INDEX_TYPES.has(mediaType) && !MANIFEST_TYPES.has(mediaType))) {
    throw new UserError(`The OCI layout's top manifest has an unsupported media type (${mediaType ?? 'none'}).`, {
      title: 'OCI layout',
    });
  }
  const digest = root.descriptor.digest;
  const platforms = (manifest.manifests ?? [])
    .map((m) => m.platform)
    .filter((p) => p && p.os !== 'unknown')
    .map((p) => [p!.os, p!.architecture, p!.variant].filter(Boolean).join('/'));

  const current = new Map<string, string | undefined>();
  for (const tag of options.tags) current.set(tag, await registry.manifestDigest(options.repository, tag));
  const unchanged = options.tags.filter((tag) => current.get(tag) === digest);
  const conflicts = options.tags.filter((tag) => current.get(tag) !== undefined && current.get(tag) !== digest);
  if (options.mutability === 'IMMUTABLE' && conflicts.length > 0) {
    throw new UserError(
      `Tag ${conflicts.map((t) => `"${t}"`).join(', ')} already points at ${current.get(conflicts[0]!)} in the immutable repository "${options.repository}", so it cannot be moved to ${digest}. Use a new tag.`,
      { title: 'Immutable tag' },
    );
  }
  if (options.skipExisting && unchanged.length === options.tags.length) {
    logger.info(`${options.repository} already has ${digest} under ${options.tags.join(', ')}; nothing to push.`);
    return { digest, mediaType, manifest: bytes, pushed: false, unchanged, platforms };
  }

  const done = new Set<string>();
  await pushImage(registry, layout, options, root.descriptor, bytes, done, logger);
  for (const tag of options.tags) {
    if (current.get(tag) === digest) continue;
    const answered = await registry.putManifest(options.repository, tag, bytes, mediaType);
    if (answered && answered !== digest) {
      throw new UserError(`The registry stored ${options.repository}:${tag} as ${answered}, not ${digest}.`, {
        title: 'Registry',
      });
    }
    logger.info(`Tagged ${digest} as ${tag}.`);
  }
  return { digest, mediaType, manifest: bytes, pushed: true, unchanged, platforms };
}

async function pushImage(
  registry: RegistryClient,
  layout: OciLayout,
  options: PushArchiveOptions,
  descriptor: Descriptor,
  bytes: Buffer,
  done: Set<string>,
  logger: Logger,
): Promise<void> {
  const manifest = parse(bytes, descriptor.digest);
  const mediaType = descriptor.mediaType ?? manifest.mediaType ?? '';
  if (INDEX_TYPES.has(mediaType)) {
    for (const child of manifest.manifests ?? []) {
      if (done.has(child.digest)) continue;
      await pushImage(registry, layout, options, child, await layout.readVerified(child), done, logger);
    }
  } else {
    for (const blob of [manifest.config, ...(manifest.layers ?? [])]) {
      if (!blob || done.has(blob.digest)) continue;
      await pushBlob(registry, layout, options, blob, logger);
      done.add(blob.digest);
    }
  }
  const answered = await registry.putManifest(options.repository, descriptor.digest, bytes, mediaType);
  if (answered && answered !== descriptor.digest) {
    throw new UserError(`The registry computed ${answered} for manifest ${descriptor.digest}.`, { title: 'Registry' });
  }
  done.add(descriptor.digest);
}

async function pushBlob(
  registry: RegistryClient,
  layout: OciLayout,
  options: PushArchiveOptions,
  blob: Descriptor,
  logger: Logger,
): Promise<void> {
  await layout.verifyBlob(blob);
  if (await registry.hasBlob(options.repository, blob.digest)) {
    registry.stats.blobsSkipped += 1;
    logger.debug(`Blob ${blob.digest} is already in ${options.repository}.`);
    return;
  }
  let location: string | undefined;
  for (const from of options.mountFrom) {
    const mount = await registry.mountBlob(options.repository, blob.digest, from);
    if (mount.mounted) {
      logger.info(`Mounted ${blob.digest} from ${from}.`);
      return;
    }
    location = mount.location;
  }
  await registry.uploadBlob(
    options.repository,
    blob.digest,
    blob.size,
    (offset, length) => layout.readRange(blob.digest, offset, length),
    options.chunkSize,
    location,
  );
  logger.info(`Uploaded ${blob.digest} (${blob.size} bytes${blob.size > options.chunkSize ? ', in chunks' : ''}).`);
}

function parse(bytes: Buffer, digest: string): Manifest {
  if (sha256(bytes) !== digest) {
    throw new UserError(`Manifest ${digest} in the OCI layout does not match its digest.`, { title: 'OCI layout' });
  }
  try {
    return JSON.parse(bytes.toString('utf8')) as Manifest;
  } catch {
    throw new UserError(`Manifest ${digest} in the OCI layout is not JSON.`, { title: 'OCI layout' });
  }
}
