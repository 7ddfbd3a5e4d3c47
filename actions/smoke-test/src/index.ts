// Entry of the smoke-test action: inputs are read and refused with light code only; the rest loads afterwards.
import { readInputsOrExit, runMain } from '@ecs-ship/action-kit';
import { readSettings } from './settings.js';

const settings = readInputsOrExit(readSettings);
await runMain(async () => {
  const { run } = await import('./run.js');
  await run(settings);
}, 'running the smoke checks');
