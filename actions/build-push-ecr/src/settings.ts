// Reads and checks every input before anything is sent to AWS. Light code only (no AWS SDK), so that rejecting
// bad input stays fast.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { addMask, splitList, type InputReader } from '@ecs-ship/action-kit';
import { isDigest, isTag, parseRepository, type RepositoryReference } from '@ecs-ship/ecr/names';

export const MODES = ['build', 'push-archive', 'promote'] as const;
export type Mode = (typeof MODES)[number];
export const SEVERITY_LEVELS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'] as const;
export type SeverityLevel = (typeof SEVERITY_LEVELS)[number];

/** ECR refuses upload parts smaller than 5 MiB (except the last). */
export const MIN_CHUNK_SIZE = 5 * 1024 * 1024;

export interface BuildInputs {
  context: string;
  file?: string;
  platforms: string[];
  buildArgs: Map<string, string>;
  secrets: Map<string, string>;
  target?: string;
  labels: Map<string, string>;
  /** undefined: the default registry cache; [] : no cache. */
  cacheFrom?: string[];
  cacheTo?: string[];
  provenance?: string;
}

export interface Settings {
  mode: Mode;
  repository: RepositoryReference;
  tags: string[];
  createRepository: boolean;
  tagMutability: 'MUTABLE' | 'IMMUTABLE';
  scanOnPush: boolean;
  encryption: 'AES256' | 'KMS';
  kmsKey?: string;
  skipExisting: boolean;
  failOnSeverity?: SeverityLevel;
  scanTimeoutMs: number;
  build?: BuildInputs;
  archive?: { path: string; mountFrom: string[]; chunkSize: number };
  source?: { tag: string } | { digest: string };
  /** The commit being shipped (GITHUB_SHA): the default tag and the revision label. */
  revision: string;
  /** `<server>/<owner>/<repo>`: the source label. */
  sourceUrl?: string;
}

const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
const BUILD_ARG = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_ID = /^[A-Za-z0-9_.-]{1,128}$/;
const LABEL = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const REMOTE_CONTEXT = /^(?:https?:\/\/|git@|git:\/\/|ssh:\/\/)/;
const PROVENANCE = /^(?:true|false|(?:[a-z-]+=[^,\s]+)(?:,[a-z-]+=[^,\s]+)*)$/;

export function readSettings(inputs: InputReader, env: NodeJS.ProcessEnv = process.env): Settings {
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const explicitMode = inputs.enumeration('mode', MODES);

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

  const revision = env.GITHUB_SHA ?? '';
  const tagList = inputs.list('tags');
  const tags = tagList.length > 0 ? tagList : revision ? [revision] : [];
  const badTag = tags.find((tag) => !isTag(tag));
  if (badTag !== undefined) {
    inputs.fail(
      'tags',
      `"${badTag}" is not a valid image tag`,
      'Use up to 128 letters, digits, underscores, dots and hyphens, not starting with a dot or hyphen',
    );
  } else if (tags.length === 0) {
    inputs.fail('tags', 'no tag was given and GITHUB_SHA is not set', 'Give at least one tag');
  } else if (new Set(tags).size !== tags.length) {
    inputs.fail('tags', 'a tag is listed twice', 'List each tag once');
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
  const failOnSeverity = inputs.enumeration('fail-on-severity', SEVERITY_LEVELS);
  const scanTimeoutMs = inputs.duration('scan-timeout', { default: 600_000, min: 1000, max: 3 * 3600_000 });

  // Build inputs.
  const context = inputs.string('context');
  const file = inputs.string('file');
  const platforms = inputs.list('platforms');
  const buildArgs = inputs.map('build-args', { keyPattern: BUILD_ARG, keyDescription: 'a valid build argument name' });
  const secrets = readSecrets(inputs);
  const target = inputs.string('target', { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]*$/, describe: 'a build stage name' });
  const labels = inputs.map('labels', { keyPattern: LABEL, keyDescription: 'a valid label key' });
  const cacheFrom = inputs.list('cache-from', { separator: 'lines' });
  const cacheTo = inputs.list('cache-to', { separator: 'lines' });
  const provenance = inputs.string('provenance', {
    pattern: PROVENANCE,
    describe: 'a provenance setting (true, false, mode=min or mode=max)',
  });

  // Push-archive inputs.
  const archive = inputs.string('archive');
  const mountFrom = inputs.list('mount-from');
  const chunkSize = inputs.integer('chunk-size', { default: 16 * 1024 * 1024, min: MIN_CHUNK_SIZE });
  for (const from of mountFrom) {
    const parsed = parseRepository(from);
    if ('problem' in parsed || parsed.host) {
      inputs.fail('mount-from', `"${from}" is not a repository name`, 'List repository names of the same registry');
    }
  }

  // Promote inputs.
  const sourceTag = inputs.string('source-tag');
  const sourceDigest = inputs.string('source-digest');
  if (sourceTag !== undefined && !isTag(sourceTag)) {
    inputs.fail('source-tag', `"${sourceTag}" is not a valid image tag`, 'Give the tag the image was pushed with');
  }
  if (sourceDigest !== undefined && !isDigest(sourceDigest)) {
    inputs.fail(
      'source-digest',
      `"${sourceDigest}" is not a digest`,
      'Use sha256: followed by 64 lower-case hex digits',
    );
  }
  if (sourceTag !== undefined && sourceDigest !== undefined) {
    inputs.fail('source-digest', 'source-tag and source-digest are both given', 'Give only one of them');
  }

  const mode = chooseMode(inputs, explicitMode, {
    build: context !== undefined,
    'push-archive': archive !== undefined,
    promote: sourceTag !== undefined || sourceDigest !== undefined,
  });

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
    ['source-tag', sourceTag !== undefined, 'promote'],
    ['source-digest', sourceDigest !== undefined, 'promote'],
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

  let build: BuildInputs | undefined;
  if (mode === 'build') {
    if (context === undefined) {
      inputs.fail('context', 'build mode needs a build context', 'Set context, for example "."');
    } else if (!REMOTE_CONTEXT.test(context) && !isDirectory(resolve(workspace, context))) {
      inputs.fail('context', `the directory "${context}" does not exist`, 'Check the path (relative to the workspace)');
    }
    if (file !== undefined && !existsSync(resolve(workspace, file))) {
      inputs.fail('file', `the file "${file}" does not exist`, 'Check the path (relative to the workspace)');
    }
    const badPlatform = platforms.find((p) => !PLATFORM.test(p));
    if (badPlatform) {
      inputs.fail('platforms', `"${badPlatform}" is not a platform`, 'Use os/architecture[/variant], e.g. linux/arm64');
    }
    const defaults = new Map<string, string>([['org.opencontainers.image.revision', revision]]);
    const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
    if (env.GITHUB_REPOSITORY) defaults.set('org.opencontainers.image.source', `${server}/${env.GITHUB_REPOSITORY}`);
    for (const [key, value] of labels) defaults.set(key, value);
    build = {
      context: context ?? '.',
      ...(file !== undefined ? { file } : {}),
      platforms,
      buildArgs,
      secrets,
      ...(target !== undefined ? { target } : {}),
      labels: new Map([...defaults].filter(([, value]) => value !== '')),
      ...(cacheFrom.length > 0 ? { cacheFrom: noneMeansEmpty(cacheFrom) } : {}),
      ...(cacheTo.length > 0 ? { cacheTo: noneMeansEmpty(cacheTo) } : {}),
      ...(provenance !== undefined ? { provenance } : {}),
    };
  }
  if (mode === 'push-archive' && archive === undefined) {
    inputs.fail('archive', 'push-archive mode needs an OCI archive', 'Set archive to an OCI layout directory or tar');
  } else if (mode === 'push-archive' && archive !== undefined && !existsSync(resolve(workspace, archive))) {
    inputs.fail('archive', `"${archive}" does not exist`, 'Check the path (relative to the workspace)');
  }
  if (mode === 'promote' && sourceTag === undefined && sourceDigest === undefined) {
    inputs.fail('source-tag', 'promote mode needs the image to promote', 'Set source-tag or source-digest');
  }

  return {
    mode: mode ?? 'build',
    repository: repository ?? { name: '' },
    tags,
    createRepository,
    tagMutability,
    scanOnPush,
    encryption,
    ...(kmsKey ? { kmsKey } : {}),
    skipExisting,
    ...(failOnSeverity ? { failOnSeverity } : {}),
    scanTimeoutMs,
    ...(build ? { build } : {}),
    ...(mode === 'push-archive' && archive
      ? { archive: { path: resolve(workspace, archive), mountFrom, chunkSize } }
      : {}),
    ...(sourceDigest ? { source: { digest: sourceDigest } } : sourceTag ? { source: { tag: sourceTag } } : {}),
    revision,
    ...(env.GITHUB_REPOSITORY
      ? { sourceUrl: `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}` }
      : {}),
  };
}

function chooseMode(inputs: InputReader, explicit: Mode | undefined, given: Record<Mode, boolean>): Mode | undefined {
  if (explicit) return explicit;
  const candidates = MODES.filter((mode) => given[mode]);
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

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
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
    if (eq <= 0) {
      inputs.fail(
        'secrets',
        `line ${index + 1} is not id=value`,
        'Write one id=value pair per line, e.g. npm_token=${{ secrets.NPM_TOKEN }}',
      );
    } else if (!SECRET_ID.test(id)) {
      inputs.fail('secrets', `"${id}" is not a valid secret id`, 'Use letters, digits, dots, underscores and hyphens');
    } else if (secrets.has(id)) {
      inputs.fail('secrets', `"${id}" is given twice`, 'Give each secret id once');
    } else {
      secrets.set(id, value);
    }
  });
  return secrets;
}
