// Reads and checks every input before anything is sent to AWS. Light code only (no AWS SDK), so that rejecting
// bad input stays fast.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { addMask, problemWith, readProgressInterval, splitList, type InputReader } from '@ecs-ship/action-kit';
import type { ImageOrigin, PublishSettings } from '@ecs-ship/ecr';
import {
  BUILD_ARG,
  BUILD_TARGET,
  LABEL_KEY,
  PLATFORM,
  PROVENANCE,
  SECRET_ID,
  imageLabels,
  isLocalContext,
  isRemoteContext,
} from '@ecs-ship/ecr/docker';
import {
  IMAGE_DIGEST,
  IMAGE_TAG,
  REPOSITORY_NAME,
  parseRepository,
  type RepositoryReference,
} from '@ecs-ship/ecr/names';
import {
  CHUNK_SIZE,
  DEFAULT_CHUNK_SIZE,
  DEFAULT_SCAN_TIMEOUT_MS,
  PUBLISH_MODES,
  SCAN_TIMEOUT,
  SEVERITIES,
} from '@ecs-ship/ecr/options';

export type Mode = (typeof PUBLISH_MODES)[number];

/** What to publish, as the ecr publisher takes it, and the registry host a repository URI named (to check). */
export type Settings = PublishSettings & {
  registryHost?: string;
  /** The longest the log stays quiet while the scan is awaited. */
  progressIntervalMs: number;
};

export function readSettings(inputs: InputReader, env: NodeJS.ProcessEnv = process.env): Settings {
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const explicitMode = inputs.enumeration('mode', PUBLISH_MODES);

  const repositoryText = inputs.string('repository', { required: true });
  let repository: RepositoryReference | undefined;
  if (repositoryText) {
    const parsed = parseRepository(repositoryText);
    if ('problem' in parsed) {
      inputs.fail('repository', parsed.problem, 'Give a repository name such as shop/web, or its URI');
    } else if (parsed.region && env.AWS_REGION && parsed.region !== env.AWS_REGION) {
      inputs.fail(
        'repository',
        `the URI names region ${parsed.region} but AWS_REGION is ${env.AWS_REGION}`,
        'Configure AWS credentials for the repository region, or give the repository by name',
      );
    } else {
      repository = parsed;
    }
  }

  const createRepository = inputs.boolean('create-repository', { default: false });
  const tagMutability = inputs.enumeration('tag-mutability', ['MUTABLE', 'IMMUTABLE'] as const, { default: 'MUTABLE' });
  const scanOnPush = inputs.boolean('scan-on-push', { default: true });
  const encryption = inputs.enumeration('encryption', ['AES256', 'KMS'] as const, { default: 'AES256' });
  const kmsKey = inputs.string('kms-key');
  if (kmsKey && encryption !== 'KMS') {
    inputs.fail('kms-key', 'a KMS key only applies with encryption: KMS', 'Set encryption: KMS, or remove kms-key');
  }
  const skipExisting = inputs.boolean('skip-existing', { default: true });
  const failOnSeverity = inputs.enumeration('fail-on-severity', SEVERITIES);
  const scanTimeoutMs = inputs.duration('scan-timeout', { ...SCAN_TIMEOUT, default: DEFAULT_SCAN_TIMEOUT_MS });
  const progressIntervalMs = readProgressInterval(inputs);

  // Build inputs.
  const context = inputs.string('context');
  const file = inputs.string('file');
  const platforms = inputs.list('platforms');
  const buildArgs = inputs.map('build-args', { keyRule: BUILD_ARG });
  const secrets = readSecrets(inputs);
  const target = inputs.string('target', { rule: BUILD_TARGET });
  const labels = inputs.map('labels', { keyRule: LABEL_KEY });
  const cacheFrom = inputs.list('cache-from', { separator: 'lines' });
  const cacheTo = inputs.list('cache-to', { separator: 'lines' });
  const provenance = inputs.string('provenance', { rule: PROVENANCE });

  // Push-archive inputs.
  const archive = inputs.string('archive');
  const mountFrom = inputs.list('mount-from', { rule: REPOSITORY_NAME });
  const chunkSize = inputs.integer('chunk-size', { ...CHUNK_SIZE, default: DEFAULT_CHUNK_SIZE });

  // Promote inputs.
  const sourceTag = inputs.string('source-tag', { rule: IMAGE_TAG });
  const sourceDigest = inputs.string('source-digest', { rule: IMAGE_DIGEST });
  const sourceGiven = (name: string) => inputs.raw(name) !== '';
  if (sourceGiven('source-tag') && sourceGiven('source-digest')) {
    inputs.fail('source-digest', 'source-tag and source-digest are both given', 'Give only one of them');
  }

  const mode = chooseMode(inputs, explicitMode, {
    build: context !== undefined,
    'push-archive': archive !== undefined,
    promote: sourceGiven('source-tag') || sourceGiven('source-digest'),
  });

  // The workflow's commit names what build and push-archive publish, but not what promote retags: an image built
  // from an older commit would get the branch head's SHA (and, with mutable tags, take it from another image).
  const revision = env.GITHUB_SHA ?? '';
  const tagList = inputs.list('tags');
  const tags = tagList.length > 0 || mode === 'promote' ? tagList : revision ? [revision] : [];
  const badTag = tags.map((tag) => problemWith(IMAGE_TAG, tag)).find(Boolean);
  if (badTag !== undefined) {
    inputs.fail('tags', badTag, IMAGE_TAG.fix);
  } else if (tags.length === 0 && mode === 'promote') {
    inputs.fail(
      'tags',
      "promote mode needs the tags to put on the image (the default, the workflow's commit SHA, need not be the commit whose image is promoted)",
      'List the tags to add, for example production or the SHA the image was built from',
    );
  } else if (tags.length === 0) {
    inputs.fail('tags', 'no tag was given and GITHUB_SHA is not set', 'Give at least one tag');
  } else if (new Set(tags).size !== tags.length) {
    inputs.fail('tags', 'a tag is listed twice', 'List each tag once');
  }
  const allowTagMove = inputs.boolean('allow-tag-move', { default: false });

  // Inputs that belong to another mode are mistakes, not something to ignore silently.
  const owners: [string, boolean, Mode][] = [
    ['context', context !== undefined, 'build'],
    ['file', file !== undefined, 'build'],
    ['platforms', platforms.length > 0, 'build'],
    ['build-args', buildArgs.size > 0, 'build'],
    ['secrets', secrets.size > 0, 'build'],
    ['target', target !== undefined, 'build'],
    ['labels', labels.size > 0, 'build'],
    ['cache-from', cacheFrom.length > 0, 'build'],
    ['cache-to', cacheTo.length > 0, 'build'],
    ['provenance', provenance !== undefined, 'build'],
    ['archive', archive !== undefined, 'push-archive'],
    ['mount-from', mountFrom.length > 0, 'push-archive'],
    ['source-tag', sourceGiven('source-tag'), 'promote'],
    ['source-digest', sourceGiven('source-digest'), 'promote'],
    ['allow-tag-move', allowTagMove, 'promote'],
  ];
  if (mode) {
    for (const [name, given, owner] of owners) {
      if (given && owner !== mode) {
        inputs.fail(
          name,
          `it applies to ${owner} mode, but the mode is ${mode}`,
          `Remove "${name}", or use mode ${owner}`,
        );
      }
    }
  }

  // Left undefined only when an input is wrong, which stops the step before the settings are used.
  let origin: ImageOrigin | undefined;
  if (mode === 'build') {
    if (context === undefined) {
      inputs.fail('context', 'build mode needs a build context', 'Set context, for example "."');
    } else if (!isRemoteContext(context) && !isLocalContext(resolve(workspace, context))) {
      inputs.fail('context', `the directory "${context}" does not exist`, 'Check the path (relative to the workspace)');
    }
    if (file !== undefined && !existsSync(resolve(workspace, file))) {
      inputs.fail('file', `the file "${file}" does not exist`, 'Check the path (relative to the workspace)');
    }
    const badPlatform = platforms.map((platform) => problemWith(PLATFORM, platform)).find(Boolean);
    if (badPlatform) inputs.fail('platforms', badPlatform, PLATFORM.fix);
    const build = {
      context: context ?? '.',
      ...(file !== undefined ? { file } : {}),
      platforms,
      buildArgs,
      secrets,
      ...(target !== undefined ? { target } : {}),
      labels: imageLabels(revision, env, labels),
      ...(cacheFrom.length > 0 ? { cacheFrom: noneMeansEmpty(cacheFrom) } : {}),
      ...(cacheTo.length > 0 ? { cacheTo: noneMeansEmpty(cacheTo) } : {}),
      ...(provenance !== undefined ? { provenance } : {}),
    };
    origin = { mode, build };
  }
  if (mode === 'push-archive' && archive === undefined) {
    inputs.fail('archive', 'push-archive mode needs an OCI archive', 'Set archive to an OCI layout directory or tar');
  } else if (mode === 'push-archive' && archive !== undefined) {
    if (!existsSync(resolve(workspace, archive))) {
      inputs.fail('archive', `"${archive}" does not exist`, 'Check the path (relative to the workspace)');
    }
    origin = { mode, archive: { path: resolve(workspace, archive), mountFrom, chunkSize } };
  }
  if (mode === 'promote' && !sourceGiven('source-tag') && !sourceGiven('source-digest')) {
    inputs.fail('source-tag', 'promote mode needs the image to promote', 'Set source-tag or source-digest');
  } else if (mode === 'promote') {
    origin = { mode, source: sourceDigest ? { digest: sourceDigest } : { tag: sourceTag ?? '' } };
  }

  return {
    repository: {
      name: repository?.name ?? '',
      ...(repository?.registryId ? { registryId: repository.registryId } : {}),
      create: createRepository,
      tagMutability,
      scanOnPush,
      encryption,
      ...(kmsKey ? { kmsKey } : {}),
    },
    ...(repository?.host ? { registryHost: repository.host } : {}),
    tags,
    origin: origin ?? { mode: 'promote', source: { tag: '' } },
    skipExisting,
    allowTagMove,
    revision,
    ...(failOnSeverity ? { failOnSeverity } : {}),
    scanTimeoutMs,
    progressIntervalMs,
  };
}

function chooseMode(inputs: InputReader, explicit: Mode | undefined, given: Record<Mode, boolean>): Mode | undefined {
  if (explicit) return explicit;
  const candidates = PUBLISH_MODES.filter((mode) => given[mode]);
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) {
    inputs.fail(
      'mode',
      'no mode was given and none can be inferred',
      'Set mode, or give context (build), archive (push-archive) or source-tag/source-digest (promote)',
    );
  } else {
    inputs.fail(
      'mode',
      `inputs for several modes were given (${candidates.join(', ')})`,
      'Set mode explicitly and remove the inputs of the other modes',
    );
  }
  return undefined;
}

function noneMeansEmpty(list: string[]): string[] {
  return list.length === 1 && list[0]!.toLowerCase() === 'none' ? [] : list;
}

/**
 * `id=value` lines whose values are secrets: each value is masked as soon as it is read, and a problem names the
 * line by number, never by its text, since a malformed line may be nothing but the secret itself.
 */
function readSecrets(inputs: InputReader): Map<string, string> {
  const secrets = new Map<string, string>();
  splitList(inputs.raw('secrets'), 'lines').forEach((line, index) => {
    const eq = line.indexOf('=');
    const id = eq > 0 ? line.slice(0, eq).trim() : '';
    const value = eq > 0 ? line.slice(eq + 1).trim() : line;
    addMask(value);
    const idProblem = eq > 0 ? problemWith(SECRET_ID, id) : undefined;
    if (eq <= 0) {
      inputs.fail(
        'secrets',
        `line ${index + 1} is not id=value`,
        'Write one id=value pair per line, e.g. npm_token=${{ secrets.NPM_TOKEN }}',
      );
    } else if (idProblem) {
      inputs.fail('secrets', idProblem, SECRET_ID.fix);
    } else if (secrets.has(id)) {
      inputs.fail('secrets', `"${id}" is given twice`, 'Give each secret id once');
    } else {
      secrets.set(id, value);
    }
  });
  return secrets;
}
