import { readInputsOrExit, runMain } from '@ecs-ship/action-kit';
import { readSettings } from './settings.js';

const settings = readInputsOrExit(readSettings);
await runMain(async () => {
  // Loaded only once the inputs are valid, so that rejecting bad input stays fast.
  const { run } = await import('./run.js');
  await run(settings);
}, 'tagging the release');
