// How the release obtains its image when the config says build or push-archive: the config's image section turned
// into the origin the ecr package's publisher takes. Checked before the release changes anything, like the rest of
// the config: paths that do not exist and build secrets whose variables are not set stop the release at once.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError, addMask } from '@ecs-ship/action-kit';
import type { ImageOrigin } from '@ecs-ship/ecr';
import { imageLabels, isLocalContext, isRemoteContext } from '@ecs-ship/ecr/docker';
import { DEFAULT_CHUNK_SIZE } from '@ecs-ship/ecr/options';
import type { ImageConfig } from './config.js';

const MIB = 1024 * 1024;

/**
 * The build or archive to publish, with paths resolved against the workspace. Undefined for `promote`. `at` is the
 * config key of the image section (`environments.staging.image`), named in messages; `env` gives the workspace, the repository (for the source label) and the
 * values of build secrets, which are masked the moment they are read.
 */
export function prepareImageOrigin(
  image: ImageConfig,
  at: string,
  sha: string,
  env: NodeJS.ProcessEnv,
): ImageOrigin | undefined {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const key = (name: string) => `${at}.${name}`;
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
        chunkSize: image['chunk-size-mib'] !== undefined ? image['chunk-size-mib'] * MIB : DEFAULT_CHUNK_SIZE,
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
  return {
    mode: 'build',
    build: {
      context: isRemoteContext(context) ? context : local('context', context, isLocalContext, 'a directory'),
      ...(image.file ? { file: local('file', image.file, existsSync, 'a file') } : {}),
      platforms: image.platforms ?? [],
      buildArgs: new Map(Object.entries(image['build-args'] ?? {})),
      secrets,
      ...(image.target ? { target: image.target } : {}),
      labels: imageLabels(sha, env, Object.entries(image.labels ?? {})),
      ...(image['cache-from'] ? { cacheFrom: image['cache-from'] } : {}),
      ...(image['cache-to'] ? { cacheTo: image['cache-to'] } : {}),
      ...(image.provenance !== undefined ? { provenance: String(image.provenance) } : {}),
    },
  };
}
