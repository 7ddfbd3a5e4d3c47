import { UserError } from '@ecs-ship/action-kit';
import type { DeploySettings } from './settings.js';

export async function run(_settings: DeploySettings): Promise<void> {
  throw new UserError('The deployment engine is not part of this build yet.');
}
