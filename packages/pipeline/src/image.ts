// How the release obtains its image when the config says build or push-archive: the config's image section turned
// into what the ecr package's publisher takes. Checked before the release changes anything, like the rest of the
// config: paths that do not exist and build secrets whose variables are not set stop the release at once.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError, addMask } from '@ecs-ship/action-kit';
import { REVISION_KEY, type ImageOrigin, type PublishSettings } from '@ecs-ship/ecr';
import type { ImageConfig } from './config.js';

const MIB = 1024 * 1024;
const DEFAULT_CHUNK_MIB = 16;
const DEFAULT_SCAN_TIMEOUT_MINUTES = 10;
const SOURCE_KEY = 'org.opencontainers.image.source';
/** Build contexts buildx fetches itself; only local ones are checked on disk. */
const REMOTE_CONTEXT = /^(?:https?:\/\/|git@|git:\/\/|ssh:\/\/)/;

/**
 * The build or archive to publish, with paths resolved against the workspace. Undefined for `promote`. `environment`
 * names the config entry in messages; `env` gives the workspace, the repository (for the source label) and the
 * values of build secrets, which are masked the moment they are read.
 */
export function prepareImageOrigin(
  image: ImageConfig,
  environment: string,
  sha: string,
  env: NodeJS.ProcessEnv,
): ImageOrigin | undefined {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const key = (name: string) => `environments.${environment}.image.${name}`;
  const local = (name: string, path: string, isWanted: (path: string) => boolean, what: string) => {
    const absolute = resolve(workspace, path);
    if (!isWanted(absolute)) {
      throw new UserError(
        `The release config's ${key(name)} "${path}" is not ${what} in the workspace. Check the path (relative to the workspace).`,
      );
    }
    return absolute;
  };

  if (image.source === 'push-archive') {
    return {
      mode: 'push-archive',
      archive: {
        path: local('archive', image.archive!, existsSync, 'a file or directory'),
        mountFrom: image['mount-from'] ?? [],
        chunkSize: (image['chunk-size-mib'] ?? DEFAULT_CHUNK_MIB) * MIB,
      },
    };
  }
  if (image.source !== 'build') return undefined;

  const context = image.context!;
  const secrets = new Map<string, string>();
  for (const [id, variable] of Object.entries(image['secret-env'] ?? {})) {
    const value = env[variable];
    if (!value) {
      throw new UserError(
        `The build secret "${id}" in ${key('secret-env')} reads the variable ${variable}, which is not set. Set ${variable} in the step's env, or remove the secret.`,
      );
    }
    addMask(value);
    secrets.set(id, value);
  }
  // The revision and source labels let a later run check what an image was built from (skip-existing).
  const labels = new Map<string, string>([[REVISION_KEY, sha]]);
  if (env.GITHUB_REPOSITORY) {
    labels.set(
      SOURCE_KEY,
      `${(env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')}/${env.GITHUB_REPOSITORY}`,
    );
  }
  for (const [name, value] of Object.entries(image.labels ?? {})) labels.set(name, value);
  return {
    mode: 'build',
    build: {
      context: REMOTE_CONTEXT.test(context) ? context : local('context', context, isDirectory, 'a directory'),
      ...(image.file ? { file: local('file', image.file, existsSync, 'a file') } : {}),
      platforms: image.platforms ?? [],
      buildArgs: new Map(Object.entries(image['build-args'] ?? {})),
      secrets,
      ...(image.target ? { target: image.target } : {}),
      labels: new Map([...labels].filter(([, value]) => value !== '')),
      ...(image['cache-from'] ? { cacheFrom: image['cache-from'] } : {}),
      ...(image['cache-to'] ? { cacheTo: image['cache-to'] } : {}),
      ...(image.provenance !== undefined ? { provenance: String(image.provenance) } : {}),
    },
  };
}

/** What the publisher is asked to do for this release: the repository must exist (the release never creates one). */
export function publishSettings(image: ImageConfig, origin: ImageOrigin, tags: string[], sha: string): PublishSettings {
  return {
    repository: {
      name: image.repository,
      create: false,
      tagMutability: 'MUTABLE',
      scanOnPush: false,
      encryption: 'AES256',
    },
    tags,
    origin,
    skipExisting: image['skip-existing'] ?? true,
    revision: sha,
    ...(image['fail-on-severity'] ? { failOnSeverity: image['fail-on-severity'] } : {}),
    scanTimeoutMs: (image['scan-timeout-minutes'] ?? DEFAULT_SCAN_TIMEOUT_MINUTES) * 60_000,
  };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
