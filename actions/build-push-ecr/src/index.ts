// Entry: reject bad input before anything loads or changes, then do the work.
import { readInputsOrExit, runMain } from '@ecs-ship/action-kit';
import { readSettings } from './settings.js';

const settings = readInputsOrExit((inputs) => readSettings(inputs));
await runMain(async () => {
  const { run } = await import('./run.js');
  await run(settings);
}, 'publishing the image');
