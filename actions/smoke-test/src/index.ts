// Placeholder until the smoke-test behaviour lands.
import { runnerLogger } from '@ecs-ship/action-kit';
runnerLogger.info('smoke-test');
