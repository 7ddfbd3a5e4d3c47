// Reads and checks every input with light code only, so that bad input (a wrong confirmation above all) fails fast
// and changes nothing; RDS is loaded after.
import { readInputsOrExit, runMain } from '@ecs-ship/action-kit';
import { readSettings } from './settings.js';

const settings = readInputsOrExit((inputs) => readSettings(inputs));
await runMain(async () => {
  const { run } = await import('./run.js');
  await run(settings);
});
