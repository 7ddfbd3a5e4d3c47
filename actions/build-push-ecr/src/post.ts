// Post step: remove the registry credentials `docker login` wrote in the main step, so that the next job on a
// self-hosted runner cannot push with them.
import { runMain, runnerLogger } from '@ecs-ship/action-kit';
import { dockerLogout } from '@ecs-ship/ecr/docker';

await runMain(async () => {
  // STATE_registry is what the main step saved just before logging in; nothing to do when it never logged in.
  const registry = process.env.STATE_registry;
  if (!registry) return;
  // From here on @actions/core writes the log's commands.
  await import('@ecs-ship/action-kit/core');
  try {
    await dockerLogout(registry, { logger: runnerLogger });
    runnerLogger.info(`Removed the Docker credentials for ${registry}.`);
  } catch (error) {
    runnerLogger.warning(`Could not remove the Docker credentials for ${registry}: ${(error as Error).message}`);
  }
}, 'cleaning up after the build');
