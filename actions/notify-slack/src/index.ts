// Reads and checks every input with light code only, so that bad input fails fast; the sending is loaded after.
import { readInputsOrExit, runMain } from '@ecs-ship/action-kit';
import { readSettings } from './settings.js';

const settings = readInputsOrExit(readSettings);
await runMain(async () => {
  const { run } = await import('./run.js');
  await run(settings);
}, 'sending the Slack message');
