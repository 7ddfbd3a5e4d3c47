// Publishing an image to ECR from start to end, for the build-push-ecr action and the release pipeline alike: find
// (or create) the repository, then build, push an OCI archive or promote, and optionally hold the result to a scan
// threshold.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError, code, type Clock, type Logger, type RetryBudget } from '@ecs-ship/action-kit';
import type { ECRClient } from '@aws-sdk/client-ecr';
import { getRegistryCredentials, type RegistryCredentials } from './auth.js';
import {
  buildEnvironment,
  buildxArguments,
  checkBuilder,
  defaultCache,
  inspectBuilder,
  dockerLogin,
  dockerLogout,
  readBuildDigest,
  runDocker,
  type BuildSettings,
} from './build.js';
import { RegistryClient, type TransferStats } from './distribution.js';
import { lookupImages } from './images.js';
import { OciLayout } from './oci-layout.js';
import { describeSource, promote, type ImageSource, type TagMove } from './promote.js';
import { pushArchive } from './push-archive.js';
import { imageReference } from './reference.js';
import { ensureRepository, type RepositoryInfo, type RepositorySettings } from './repository.js';
import { REVISION_KEY, imageRevision } from './revision.js';
import type { Severity } from './options.js';
import { checkScanFindings, formatCounts, scannedDigests } from './scan.js';

/** What to build: buildx settings without the names and files the publisher chooses itself. */
export interface BuildRequest extends Omit<BuildSettings, 'imageNames' | 'metadataFile' | 'cacheFrom' | 'cacheTo'> {
  /** undefined: the default registry cache next to the image (mutable repositories only); []: no cache. */
  cacheFrom?: string[];
  cacheTo?: string[];
}

export interface ArchiveRequest {
  /** An OCI image layout directory, or a tar of one. */
  path: string;
  /** Repositories of the same registry to mount blobs from before uploading them. */
  mountFrom: string[];
  /** Blobs larger than this go up in chunks of this size. */
  chunkSize: number;
}

export type ImageOrigin =
  | { mode: 'build'; build: BuildRequest }
  | { mode: 'push-archive'; archive: ArchiveRequest }
  | { mode: 'promote'; source: ImageSource };

export type PublishMode = ImageOrigin['mode'];

export interface PublishSettings {
  repository: RepositorySettings;
  /** The image's tags; the first one (the commit SHA by default) is the one skip-existing looks for. */
  tags: string[];
  origin: ImageOrigin;
  /** Promote: whether a tag that points at another image may be moved to the promoted one. */
  allowTagMove?: boolean;
  /** Reuse an image already under the first tag instead of building (build), or push nothing when every tag is in place (push-archive). */
  skipExisting: boolean;
  /** The commit being shipped: an existing image must record this revision to be reused. */
  revision?: string;
  /** Wait for the scan and fail on findings at or above this severity. */
  failOnSeverity?: Severity;
  scanTimeoutMs: number;
}

export interface PublishDeps {
  ecr: ECRClient;
  /** The `ecr` client's retry budget, when it has one: the scan wait sets its deadline there. */
  retryBudget?: RetryBudget;
  logger: Logger;
  clock: Clock;
  signal: AbortSignal;
  /** The longest the log stays quiet while the scan is awaited (default 30 s). */
  progressIntervalMs?: number;
  /** Called with the registry password the moment it is decoded, so the caller can mask it. */
  protect: (secret: string) => void;
  /** Where temporary files go (the buildx metadata file, an extracted archive). */
  scratchDir: string;
  /** Called once the repository is known, before anything is pushed: throw to stop. */
  checkRepository?: (repository: RepositoryInfo) => void;
  /** Called with the registry host just before `docker login`, so the caller can log out later even if the build fails. */
  beforeLogin?: (host: string) => void;
  /** Log out of the registry when the build is done, for callers that have no later step to do it. */
  logoutAfterBuild?: boolean;
}

export interface PublishResult {
  mode: PublishMode;
  repository: RepositoryInfo;
  digest: string;
  /** `uri@sha256:...`: what a deploy should pin to. */
  imageRef: string;
  /** Tags the image has from this run (added or already there). */
  tags: string[];
  /** False when nothing was built or pushed (promoted, or reused). */
  pushed: boolean;
  /** Sentences for a summary, about what happened and why. */
  notes: string[];
  /** Blob transfers of a push-archive. */
  stats?: TransferStats;
  /** The scan findings, when fail-on-severity asked for them. */
  scan?: string;
  /** Tags moved here from another image (promote with allow-tag-move). */
  moved?: TagMove[];
}

/** The scan found something at or above the threshold; the image is published all the same, as `result` says. */
export class ScanThresholdError extends UserError {
  constructor(
    message: string,
    readonly result: PublishResult,
    readonly threshold: Severity,
  ) {
    super(message, { title: 'Image scan' });
  }
}

interface Outcome {
  digest: string;
  manifest?: string;
  pushed: boolean;
  notes: string[];
  stats?: TransferStats;
  moved?: TagMove[];
}

export async function publishImage(settings: PublishSettings, deps: PublishDeps): Promise<PublishResult> {
  const { ecr, logger, signal } = deps;
  const repository = await ensureRepository(ecr, settings.repository, logger, signal);
  deps.checkRepository?.(repository);

  const origin = settings.origin;
  let outcome: Outcome;
  if (origin.mode === 'promote') outcome = await promoteImage(repository, origin.source, settings, deps);
  else if (origin.mode === 'push-archive') outcome = await pushFromArchive(repository, origin.archive, settings, deps);
  else outcome = await buildImage(repository, origin.build, settings, deps);

  const result: PublishResult = {
    mode: origin.mode,
    repository,
    digest: outcome.digest,
    imageRef: imageReference(repository.uri, outcome.digest),
    tags: settings.tags,
    pushed: outcome.pushed,
    notes: outcome.notes,
    ...(outcome.stats ? { stats: outcome.stats } : {}),
    ...(outcome.moved?.length ? { moved: outcome.moved } : {}),
  };
  if (settings.failOnSeverity) await holdToScanThreshold(result, outcome, settings.failOnSeverity, settings, deps);
  return result;
}

async function holdToScanThreshold(
  result: PublishResult,
  outcome: Outcome,
  threshold: Severity,
  settings: PublishSettings,
  deps: PublishDeps,
): Promise<void> {
  const { repository } = result;
  const manifest =
    outcome.manifest ??
    (await lookupImages(deps.ecr, repository, { digests: [outcome.digest] }, deps.signal)).digests.get(outcome.digest)
      ?.manifest;
  const check = await checkScanFindings(deps.ecr, repository, scannedDigests(outcome.digest, manifest), threshold, {
    clock: deps.clock,
    logger: deps.logger,
    signal: deps.signal,
    timeoutMs: settings.scanTimeoutMs,
    progressIntervalMs: deps.progressIntervalMs,
    retryBudget: deps.retryBudget,
  });
  result.scan = formatCounts(check.counts);
  if (Object.keys(check.blocking).length > 0) {
    throw new ScanThresholdError(
      `The ECR scan of ${outcome.digest} found ${formatCounts(check.blocking)}, at or above fail-on-severity ${threshold}. Fix the findings or raise the threshold.`,
      result,
      threshold,
    );
  }
}

async function promoteImage(
  repository: RepositoryInfo,
  source: ImageSource,
  settings: PublishSettings,
  deps: PublishDeps,
): Promise<Outcome> {
  const result = await promote(deps.ecr, repository, source, settings.tags, deps.logger, {
    allowTagMove: settings.allowTagMove ?? false,
    signal: deps.signal,
  });
  return {
    digest: result.digest,
    pushed: false,
    moved: result.moved,
    notes: [
      `Promoted ${describeSource(source)} by manifest: ${result.added.length} tag(s) added, ${result.unchanged.length} already in place.`,
      ...result.moved.map(({ tag, from, to }) => `Moved tag ${code(tag)} from ${code(from)} to ${code(to)}.`),
    ],
  };
}

function credentials(repository: RepositoryInfo, deps: PublishDeps): Promise<RegistryCredentials> {
  return getRegistryCredentials(deps.ecr, {
    registryId: repository.registryId,
    protect: deps.protect,
    signal: deps.signal,
  });
}

async function pushFromArchive(
  repository: RepositoryInfo,
  archive: ArchiveRequest,
  settings: PublishSettings,
  deps: PublishDeps,
): Promise<Outcome> {
  const { logger } = deps;
  const auth = await credentials(repository, deps);
  const registry = new RegistryClient(auth.endpoint, auth, deps.signal);
  const layout = await OciLayout.open(archive.path, deps.scratchDir);
  try {
    const result = await pushArchive(
      registry,
      layout,
      {
        repository: repository.name,
        tags: settings.tags,
        chunkSize: archive.chunkSize,
        mountFrom: archive.mountFrom,
        skipExisting: settings.skipExisting,
        mutability: repository.mutability,
      },
      logger,
    );
    const s = registry.stats;
    logger.info(
      `Blobs: ${s.blobsUploaded} uploaded (${s.bytesUploaded} bytes), ${s.blobsSkipped} already there, ${s.blobsMounted} mounted; ${s.manifestsPut} manifests put.`,
    );
    return {
      digest: result.digest,
      manifest: result.manifest.toString('utf8'),
      pushed: result.pushed,
      notes: [
        result.platforms.length > 0 ? `Platforms: ${result.platforms.join(', ')}.` : 'Single-platform image.',
        result.pushed ? 'Pushed from the OCI archive.' : 'The registry already had this image under every tag.',
      ],
      stats: s,
    };
  } finally {
    await layout.close();
  }
}

/** Finds the builder buildx will use and what it can do; says which in the log. */
async function prepareBuilder(
  build: BuildRequest,
  defaultCache: boolean,
  deps: PublishDeps,
): Promise<{ exportCache: boolean; description: string }> {
  const builder = await inspectBuilder({ logger: deps.logger, signal: deps.signal });
  const plan = checkBuilder(builder, { platforms: build.platforms, explicitCacheTo: build.cacheTo });
  const description = `builder ${code(builder.name)}, ${builder.driver} driver`;
  deps.logger.info(
    `Building with the builder "${builder.name}" (${builder.driver} driver), which builds ${builder.platforms.join(', ')}.`,
  );
  if (plan.note && defaultCache) deps.logger.notice(plan.note, 'Build cache');
  return {
    exportCache: plan.exportCache,
    description: plan.exportCache ? description : `${description}, no cache export`,
  };
}

async function buildImage(
  repository: RepositoryInfo,
  build: BuildRequest,
  settings: PublishSettings,
  deps: PublishDeps,
): Promise<Outcome> {
  const { logger, signal } = deps;
  const auth = await credentials(repository, deps);

  if (settings.skipExisting) {
    const reused = await reuseExisting(repository, auth, settings, deps);
    if (reused) return reused;
  }

  const useDefaultCache = repository.mutability === 'MUTABLE';
  // Before logging in: a builder that cannot do this build refuses it before it starts.
  const builder = await prepareBuilder(build, useDefaultCache && build.cacheTo === undefined, deps);
  deps.beforeLogin?.(auth.host);
  let scratch: string | undefined;
  try {
    await dockerLogin(auth.host, auth.username, auth.password, { logger, signal });
    scratch = await mkdtemp(join(deps.scratchDir, 'buildx-'));
    const cache = defaultCache(repository.uri);
    if (!useDefaultCache && (build.cacheFrom === undefined || build.cacheTo === undefined)) {
      logger.info('The repository is immutable, so the default registry cache (a moving tag) is not used.');
    }
    const metadataFile = join(scratch, 'metadata.json');
    const buildSettings: BuildSettings = {
      ...build,
      cacheFrom: build.cacheFrom ?? (useDefaultCache ? [cache.from] : []),
      cacheTo: build.cacheTo ?? (useDefaultCache && builder.exportCache ? [cache.to] : []),
      imageNames: settings.tags.map((tag) => `${repository.uri}:${tag}`),
      metadataFile,
    };
    logger.startGroup(`docker buildx build (${build.platforms.join(', ') || 'default platform'})`);
    try {
      await runDocker(buildxArguments(buildSettings), { env: buildEnvironment(buildSettings), logger, signal });
    } finally {
      logger.endGroup();
    }
    const digest = await readBuildDigest(metadataFile);
    return { digest, pushed: true, notes: [`Built ${code(build.context)} and pushed it (${builder.description}).`] };
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
    // Also after a failed login, which is simpler than tracking it: logging out of nothing is harmless.
    if (deps.logoutAfterBuild) await logout(auth.host, logger);
  }
}

async function logout(host: string, logger: Logger): Promise<void> {
  try {
    // Not tied to the run's signal: the credentials must go even when the build was cancelled.
    await dockerLogout(host, { logger, quiet: true });
    logger.info(`Removed the Docker credentials for ${host}.`);
  } catch (error) {
    logger.warning(`Could not remove the Docker credentials for ${host}: ${(error as Error).message}`);
  }
}

/**
 * skip-existing: when the first tag (the commit SHA by default) is already in the repository, reuse that image,
 * provided its revision label names this commit; the other tags are then added by manifest.
 */
async function reuseExisting(
  repository: RepositoryInfo,
  auth: RegistryCredentials,
  settings: PublishSettings,
  deps: PublishDeps,
): Promise<Outcome | undefined> {
  const { ecr, logger, signal } = deps;
  const first = settings.tags[0]!;
  const existing = (await lookupImages(ecr, repository, { tags: [first] }, signal)).tags.get(first);
  if (!existing) return undefined;
  const registry = new RegistryClient(auth.endpoint, auth, signal);
  const revision = await imageRevision(existing.manifest, {
    manifest: async (digest) =>
      (await lookupImages(ecr, repository, { digests: [digest] }, signal)).digests.get(digest)?.manifest,
    blob: (digest) => registry.getBlob(repository.name, digest).catch(() => undefined),
  });
  if (revision !== undefined && settings.revision && revision !== settings.revision) {
    throw new UserError(
      `${repository.name}:${first} already exists but was built from revision ${revision}, not ${settings.revision}. Use another tag, or set skip-existing: false to rebuild.`,
      { title: 'Existing image' },
    );
  }
  const notes = [
    revision === undefined
      ? `Reused the existing ${code(first)} image; it records no ${code(REVISION_KEY)}, so its revision could not be checked.`
      : `Reused the existing ${code(first)} image, built from ${revision}.`,
  ];
  if (revision === undefined) logger.warning(notes[0]!.replace(/`/g, ''), 'Existing image');
  else logger.info(`${repository.name}:${first} already exists (revision ${revision}); not rebuilding.`);
  if (settings.tags.length > 1) {
    // The build's own extra tags (such as latest) follow the newest build, as docker push would move them.
    await promote(ecr, repository, { digest: existing.digest }, settings.tags.slice(1), logger, {
      allowTagMove: true,
      signal,
    });
  }
  return { digest: existing.digest, manifest: existing.manifest, pushed: false, notes };
}
