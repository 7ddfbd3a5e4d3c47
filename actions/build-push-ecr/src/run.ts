// The action's work, once every input is valid: find (or create) the repository, then build, push or promote,
// optionally check the scan, and report outputs and a summary.
import { join } from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import {
  UserError,
  addMask,
  cancellationSignal,
  code,
  runnerLogger,
  systemClock,
  table,
  type Logger,
} from '@ecs-ship/action-kit';
import { appendSummary, saveState, setOutputs } from '@ecs-ship/action-kit/core';
import {
  OciLayout,
  REVISION_KEY,
  RegistryClient,
  buildEnvironment,
  buildxArguments,
  checkScanFindings,
  createEcrClient,
  defaultCache,
  describeSource,
  dockerLogin,
  ensureRepository,
  formatCounts,
  getRegistryCredentials,
  imageReference,
  imageRevision,
  lookupImages,
  promote,
  pushArchive,
  readBuildDigest,
  runDocker,
  scannedDigests,
  type RegistryCredentials,
  type RepositoryInfo,
  type TransferStats,
} from '@ecs-ship/ecr';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { Settings } from './settings.js';

interface Outcome {
  digest: string;
  manifest?: string;
  pushed: boolean;
  /** Tags the image has from this run (added or already there). */
  tags: string[];
  notes: string[];
  stats?: TransferStats;
}

export async function run(settings: Settings, logger: Logger = runnerLogger): Promise<void> {
  const signal = cancellationSignal();
  const client = createEcrClient();
  const repository = await ensureRepository(
    client,
    {
      name: settings.repository.name,
      ...(settings.repository.registryId ? { registryId: settings.repository.registryId } : {}),
      create: settings.createRepository,
      tagMutability: settings.tagMutability,
      scanOnPush: settings.scanOnPush,
      encryption: settings.encryption,
      ...(settings.kmsKey ? { kmsKey: settings.kmsKey } : {}),
    },
    logger,
    signal,
  );

  const registryHost = repository.uri.split('/')[0];
  if (settings.repository.host && settings.repository.host !== registryHost) {
    throw new UserError(
      `Input "repository": the URI names registry ${settings.repository.host}, but repository ${repository.name} lives in ${registryHost}. Give the repository by name, or configure credentials for the account and region of that registry.`,
    );
  }

  let outcome: Outcome;
  if (settings.mode === 'promote') outcome = await runPromote(client, repository, settings, logger, signal);
  else if (settings.mode === 'push-archive')
    outcome = await runPushArchive(client, repository, settings, logger, signal);
  else outcome = await runBuild(client, repository, settings, logger, signal);

  let scanLine: string | undefined;
  if (settings.failOnSeverity) {
    const manifest =
      outcome.manifest ??
      (await lookupImages(client, repository, { digests: [outcome.digest] }, signal)).digests.get(outcome.digest)
        ?.manifest;
    const check = await checkScanFindings(
      client,
      repository,
      scannedDigests(outcome.digest, manifest),
      settings.failOnSeverity,
      { clock: systemClock, logger, signal, timeoutMs: settings.scanTimeoutMs },
    );
    scanLine = formatCounts(check.counts);
    if (Object.keys(check.blocking).length > 0) {
      await report(settings, repository, outcome, `${scanLine} (fails at ${settings.failOnSeverity})`);
      throw new UserError(
        `The ECR scan of ${outcome.digest} found ${formatCounts(check.blocking)}, at or above fail-on-severity ${settings.failOnSeverity}. Fix the findings or raise the threshold.`,
        { title: 'Image scan' },
      );
    }
  }
  await report(settings, repository, outcome, scanLine);
}

async function runPromote(
  client: ECRClient,
  repository: RepositoryInfo,
  settings: Settings,
  logger: Logger,
  signal: AbortSignal,
): Promise<Outcome> {
  const source = settings.source!;
  const result = await promote(client, repository, source, settings.tags, logger, signal);
  return {
    digest: result.digest,
    pushed: false,
    tags: settings.tags,
    notes: [
      `Promoted ${describeSource(source)} by manifest: ${result.added.length} tag(s) added, ${result.unchanged.length} already in place.`,
    ],
  };
}

async function credentials(
  client: ECRClient,
  repository: RepositoryInfo,
  signal: AbortSignal,
): Promise<RegistryCredentials> {
  return getRegistryCredentials(client, { registryId: repository.registryId, protect: addMask, signal });
}

async function runPushArchive(
  client: ECRClient,
  repository: RepositoryInfo,
  settings: Settings,
  logger: Logger,
  signal: AbortSignal,
): Promise<Outcome> {
  const archive = settings.archive!;
  const auth = await credentials(client, repository, signal);
  const registry = new RegistryClient(auth.endpoint, auth, signal);
  const layout = await OciLayout.open(archive.path, process.env.RUNNER_TEMP || tmpdir());
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
      tags: settings.tags,
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

async function runBuild(
  client: ECRClient,
  repository: RepositoryInfo,
  settings: Settings,
  logger: Logger,
  signal: AbortSignal,
): Promise<Outcome> {
  const build = settings.build!;
  const auth = await credentials(client, repository, signal);

  if (settings.skipExisting) {
    const reused = await reuseExisting(client, repository, auth, settings, logger, signal);
    if (reused) return reused;
  }

  // Saved before logging in, so that the post step removes the credentials even if this step fails half way.
  saveState('registry', auth.host);
  await dockerLogin(auth.host, auth.username, auth.password, { logger, signal });

  const cache = defaultCache(repository.uri);
  const useDefaultCache = repository.mutability === 'MUTABLE';
  if (!useDefaultCache && (build.cacheFrom === undefined || build.cacheTo === undefined)) {
    logger.info('The repository is immutable, so the default registry cache (a moving tag) is not used.');
  }
  const metadataFile = join(await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'buildx-')), 'metadata.json');
  const buildSettings = {
    ...build,
    cacheFrom: build.cacheFrom ?? (useDefaultCache ? [cache.from] : []),
    cacheTo: build.cacheTo ?? (useDefaultCache ? [cache.to] : []),
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
  return { digest, pushed: true, tags: settings.tags, notes: [`Built ${code(build.context)} and pushed it.`] };
}

/**
 * skip-existing: when the first tag (the commit SHA by default) is already in the repository, reuse that image,
 * provided its revision label names this commit; the other tags are then added by manifest.
 */
async function reuseExisting(
  client: ECRClient,
  repository: RepositoryInfo,
  auth: RegistryCredentials,
  settings: Settings,
  logger: Logger,
  signal: AbortSignal,
): Promise<Outcome | undefined> {
  const first = settings.tags[0]!;
  const existing = (await lookupImages(client, repository, { tags: [first] }, signal)).tags.get(first);
  if (!existing) return undefined;
  const registry = new RegistryClient(auth.endpoint, auth, signal);
  const revision = await imageRevision(existing.manifest, {
    manifest: async (digest) =>
      (await lookupImages(client, repository, { digests: [digest] }, signal)).digests.get(digest)?.manifest,
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
    await promote(client, repository, { digest: existing.digest }, settings.tags.slice(1), logger, signal);
  }
  return { digest: existing.digest, manifest: existing.manifest, pushed: false, tags: settings.tags, notes };
}

async function report(settings: Settings, repository: RepositoryInfo, outcome: Outcome, scan?: string): Promise<void> {
  const ref = imageReference(repository.uri, outcome.digest);
  setOutputs({
    image: repository.uri,
    digest: outcome.digest,
    'image-ref': ref,
    tags: outcome.tags.join(','),
    pushed: outcome.pushed,
  });
  const rows: [string, string][] = [
    ['Mode', settings.mode],
    ['Image', code(ref)],
    ['Tags', outcome.tags.map(code).join(', ')],
    [
      'Pushed',
      outcome.pushed ? 'yes' : settings.mode === 'promote' ? 'no (tagged by manifest)' : 'no (already in the registry)',
    ],
  ];
  if (repository.created) rows.push(['Repository', `created (${repository.mutability.toLowerCase()} tags)`]);
  if (outcome.stats) {
    const s = outcome.stats;
    rows.push([
      'Blobs',
      `${s.blobsUploaded} uploaded (${s.bytesUploaded} bytes), ${s.blobsSkipped} already there, ${s.blobsMounted} mounted`,
    ]);
  }
  if (scan) rows.push(['Scan', scan]);
  await appendSummary(
    `### build-push-ecr: ${repository.name}\n\n${table(['Item', 'Result'], rows)}\n\n${outcome.notes.join(' ')}\n`,
  );
  runnerLogger.info(`Image: ${ref}`);
}
