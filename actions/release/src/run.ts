import { UserError } from '@ecs-ship/action-kit';
import type { ReleaseSettings } from './settings.js';

export async function run(_settings: ReleaseSettings): Promise<void> {
  throw new UserError('The release pipeline is not part of this build yet: use the six actions in a workflow.');
}
