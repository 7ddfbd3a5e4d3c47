// Building and pushing with `docker buildx`. Every child process gets an argument array, never a shell string, so
// build arguments and labels reach Docker literally whatever characters they hold; secrets travel in the child's
// environment, never on its command line.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { UserError, abortReason, type Logger, type Rule } from '@ecs-ship/action-kit';
import { isDigest } from './reference.js';
import { REVISION_KEY } from './revision.js';

// The build options the build-push-ecr action and the release config both take, checked the same way by both.

export const PLATFORM: Rule = {
  what: 'a platform',
  fix: 'Use os/architecture[/variant], e.g. linux/arm64',
  pattern: /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/,
};

export const BUILD_ARG: Rule = {
  what: 'a valid build argument name',
  fix: 'Use letters, digits and _, not starting with a digit',
  pattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
};

export const SECRET_ID: Rule = {
  what: 'a valid secret id',
  fix: 'Use up to 128 letters, digits, dots, underscores and hyphens',
  pattern: /^[A-Za-z0-9_.-]{1,128}$/,
};

export const LABEL_KEY: Rule = {
  what: 'a valid label key',
  fix: 'Use letters, digits, dots, underscores, slashes and hyphens, starting with a letter or digit',
  pattern: /^[A-Za-z0-9][A-Za-z0-9._/-]*$/,
};

export const BUILD_TARGET: Rule = {
  what: 'a build stage name',
  fix: 'Use the name of a stage in the Dockerfile (FROM ... AS <name>)',
  pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
};

export const PROVENANCE: Rule = {
  what: 'a provenance setting (true, false, mode=min or mode=max)',
  fix: 'Use true, false, mode=min or mode=max (buildx --provenance)',
  pattern: /^(?:true|false|(?:[a-z-]+=[^,\s]+)(?:,[a-z-]+=[^,\s]+)*)$/,
};

/** Build contexts buildx fetches itself; only local ones are checked on disk. */
export function isRemoteContext(context: string): boolean {
  return /^(?:https?:\/\/|git@|git:\/\/|ssh:\/\/)/.test(context);
}

/** Whether a local build context (its absolute path) is a directory. */
export function isLocalContext(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

const SOURCE_KEY = 'org.opencontainers.image.source';

/**
 * The image's labels: the revision and source labels first (they let a later run check what an image was built
 * from, for skip-existing), then the user's, which may replace them. Empty values are left out.
 */
export function imageLabels(
  revision: string,
  env: NodeJS.ProcessEnv,
  given: Iterable<[string, string]>,
): Map<string, string> {
  const labels = new Map<string, string>([[REVISION_KEY, revision]]);
  if (env.GITHUB_REPOSITORY) {
    const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
    labels.set(SOURCE_KEY, `${server}/${env.GITHUB_REPOSITORY}`);
  }
  for (const [key, value] of given) labels.set(key, value);
  return new Map([...labels].filter(([, value]) => value !== ''));
}

export interface BuildSettings {
  context: string;
  file?: string;
  platforms: string[];
  buildArgs: Map<string, string>;
  /** Build secret id → value; each reaches buildx as `--secret id=<id>,env=<variable>`. */
  secrets: Map<string, string>;
  target?: string;
  labels: Map<string, string>;
  cacheFrom: string[];
  cacheTo: string[];
  /** `--provenance` value (`false`, `mode=min`, `mode=max`); buildx's default when undefined. */
  provenance?: string;
  /** Full image names to push: `<repository uri>:<tag>` for each tag. */
  imageNames: string[];
  metadataFile: string;
}

/** The environment variable a build secret travels in. */
export function secretVariable(id: string): string {
  return `ECS_SHIP_BUILD_SECRET_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The `docker` arguments for the build: pure, so the exact command line is tested without Docker. */
export function buildxArguments(settings: BuildSettings): string[] {
  const args = ['buildx', 'build', '--push', '--metadata-file', settings.metadataFile];
  if (settings.file) args.push('--file', settings.file);
  if (settings.platforms.length > 0) args.push('--platform', settings.platforms.join(','));
  if (settings.target) args.push('--target', settings.target);
  for (const [key, value] of settings.buildArgs) args.push('--build-arg', `${key}=${value}`);
  for (const id of settings.secrets.keys()) args.push('--secret', `id=${id},env=${secretVariable(id)}`);
  for (const [key, value] of settings.labels) args.push('--label', `${key}=${value}`);
  for (const name of settings.imageNames) args.push('--tag', name);
  for (const source of settings.cacheFrom) args.push('--cache-from', source);
  for (const destination of settings.cacheTo) args.push('--cache-to', destination);
  if (settings.provenance !== undefined) args.push(`--provenance=${settings.provenance}`);
  args.push(settings.context);
  return args;
}

/** The environment for the build: the caller's, plus one variable per build secret. */
export function buildEnvironment(settings: BuildSettings, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const [id, value] of settings.secrets) env[secretVariable(id)] = value;
  return env;
}

/**
 * An ECR registry cache next to the image (`<uri>:buildcache`). ECR needs the cache written as an image
 * manifest with OCI media types.
 */
export function defaultCache(repositoryUri: string): { from: string; to: string } {
  const ref = `${repositoryUri}:buildcache`;
  return {
    from: `type=registry,ref=${ref}`,
    to: `type=registry,ref=${ref},mode=max,image-manifest=true,oci-mediatypes=true`,
  };
}

/** The buildx builder a build will run on: `docker buildx inspect --bootstrap`. */
export interface Builder {
  name: string;
  /** `docker` (a hosted runner's default), `docker-container`, `kubernetes` or `remote`. */
  driver: string;
  /** What its nodes can build, natively or through QEMU (binfmt). */
  platforms: string[];
}

/** Reads `docker buildx inspect` output: the builder's name and driver, and every node's platforms. */
export function parseBuilder(text: string): Builder {
  const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(text)?.[1]?.trim() ?? '';
  const platforms = [...text.matchAll(/^Platforms:\s*(.*)$/gm)].flatMap((match) =>
    match[1]!.split(',').map((platform) => platform.trim().replace(/\*$/, '')),
  );
  return { name: field('Name'), driver: field('Driver'), platforms: [...new Set(platforms.filter(Boolean))] };
}

/** `linux/arm64/v8` is `linux/arm64`; otherwise platforms compare as written. */
function samePlatform(a: string, b: string): boolean {
  const normal = (p: string) => p.toLowerCase().replace(/^(linux\/arm64)\/v8$/, '$1');
  return normal(a) === normal(b);
}

/** A cache destination the docker driver can write: only the inline cache, which travels inside the image. */
const isInlineCache = (destination: string) => /(^|,)type=inline(,|$)/.test(destination);

const SETUP_BUILDX = 'Add docker/setup-buildx-action before this step (it creates a docker-container builder)';

/**
 * What a build can do on this builder, decided before anything changes. The `docker` driver (a hosted runner's
 * default) cannot export a build cache to a registry nor build several platforms into one image; buildx would refuse
 * either only once the build started. A platform no node lists (no QEMU, no native node) would fail in the middle of
 * the build with "exec format error". `explicitCacheTo` is what the user asked for; the default registry cache is
 * simply left out on the docker driver, and the returned note says so.
 */
export function checkBuilder(
  builder: Builder,
  request: { platforms: string[]; explicitCacheTo?: string[] },
): { exportCache: boolean; note?: string } {
  const described = `The builder "${builder.name}" (${builder.driver} driver)`;
  const missing = request.platforms.filter((wanted) => !builder.platforms.some((p) => samePlatform(p, wanted)));
  if (missing.length > 0) {
    throw new UserError(
      `${described} cannot build ${missing.join(', ')}: it builds ${builder.platforms.join(', ') || 'no platform it reports'}. ` +
        'Add docker/setup-qemu-action (emulation) and docker/setup-buildx-action before this step, or build on a runner of that architecture.',
      { title: 'Docker' },
    );
  }
  if (builder.driver !== 'docker') return { exportCache: true };
  if (request.platforms.length > 1) {
    throw new UserError(
      `${described} cannot build several platforms (${request.platforms.join(', ')}) into one image. ${SETUP_BUILDX}, or build one platform.`,
      { title: 'Docker' },
    );
  }
  const refused = (request.explicitCacheTo ?? []).filter((destination) => !isInlineCache(destination));
  if (refused.length > 0) {
    throw new UserError(
      `${described} cannot export a build cache to ${refused.join(', ')}. ${SETUP_BUILDX}, or use cache-to "type=inline" or "none".`,
      { title: 'Docker' },
    );
  }
  if (request.explicitCacheTo !== undefined) return { exportCache: true };
  return {
    exportCache: false,
    note: `${described} cannot export a build cache, so this build writes none (the registry cache is still read). ${SETUP_BUILDX} to write one.`,
  };
}

export interface DockerOptions {
  stdin?: string;
  env?: NodeJS.ProcessEnv;
  logger: Logger;
  signal?: AbortSignal;
  /** Lines of output to keep out of the log (docker prints nothing secret, but be strict). */
  quiet?: boolean;
  /** Called with each line of output, for callers that read it. */
  onLine?: (line: string) => void;
}

/** The builder `docker buildx build` will use, booted so that it reports its platforms. */
export async function inspectBuilder(options: Omit<DockerOptions, 'stdin' | 'quiet'>): Promise<Builder> {
  const lines: string[] = [];
  await runDocker(['buildx', 'inspect', '--bootstrap'], {
    ...options,
    quiet: true,
    onLine: (line) => lines.push(line),
  });
  return parseBuilder(lines.join('\n'));
}

/** Runs `docker <args>` and streams its output to the log; rejects with a UserError on a non-zero exit. */
export function runDocker(args: string[], options: DockerOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(abortReason(options.signal));
    const child = spawn('docker', args, {
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split(/\r?\n/)) {
        if (line.trim() === '') continue;
        tail.push(line);
        if (tail.length > 20) tail.shift();
        options.onLine?.(line);
        if (!options.quiet) options.logger.info(line);
      }
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    const onAbort = () => child.kill('SIGINT');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error: NodeJS.ErrnoException) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(
        error.code === 'ENOENT'
          ? new UserError(
              'docker is not installed or not on PATH. Build mode needs Docker with buildx on the runner.',
              {
                title: 'Docker',
              },
            )
          : error,
      );
    });
    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (options.signal?.aborted) return reject(abortReason(options.signal));
      if (code === 0) return resolve();
      const last = tail.filter((line) => /error|fail/i.test(line)).pop() ?? tail[tail.length - 1] ?? '';
      reject(
        new UserError(
          `docker ${args.slice(0, 2).join(' ')} failed (${signal ? `signal ${signal}` : `exit code ${code}`})${last ? `: ${last.trim()}` : ''}`,
          { title: 'Docker' },
        ),
      );
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/** `docker login` with the password on stdin, never on the command line. */
export async function dockerLogin(
  host: string,
  username: string,
  password: string,
  options: Omit<DockerOptions, 'stdin'>,
): Promise<void> {
  await runDocker(['login', '--username', username, '--password-stdin', host], { ...options, stdin: password });
}

export async function dockerLogout(host: string, options: Omit<DockerOptions, 'stdin'>): Promise<void> {
  await runDocker(['logout', host], options);
}

/** The pushed digest from buildx's `--metadata-file`. */
export async function readBuildDigest(metadataFile: string): Promise<string> {
  let metadata: Record<string, unknown>;
  try {
    metadata = JSON.parse(await readFile(metadataFile, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new UserError(
      `docker buildx wrote no readable metadata file (${(error as Error).message}); cannot tell which digest was pushed.`,
      { title: 'Docker' },
    );
  }
  const digest = metadata['containerimage.digest'];
  if (typeof digest !== 'string' || !isDigest(digest)) {
    throw new UserError('docker buildx reported no image digest in its metadata file; was the image pushed?', {
      title: 'Docker',
    });
  }
  return digest;
}
