import { resolve } from 'node:path';
import { UserError } from '@ecs-ship/action-kit';
import { ConfigError, loadConfig, type ReleaseConfig } from '@ecs-ship/pipeline';

/**
 * The release's config file, read and checked: the first thing its run does, before any client is made or call is
 * sent. A problem is the step's one error, naming the file as the workflow gives it and the key at fault.
 */
export function readConfigFile(path: string): ReleaseConfig {
  const absolute = resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), path);
  try {
    return loadConfig(absolute, undefined);
  } catch (error) {
    if (error instanceof ConfigError) throw new UserError(error.message.replace(absolute, path));
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new UserError(
        `Input "config": the file "${path}" does not exist. Add the release config, or point "config" at it.`,
      );
    throw error;
  }
}
