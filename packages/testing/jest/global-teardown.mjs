// Removes what the global setup made for this test run: the bundles, and the folder every temporary file went in.
import { rm } from 'node:fs/promises';
import { RUN_TEMP_VARIABLE } from './global-setup.mjs';

export default async function globalTeardown() {
  for (const folder of [process.env.ECS_SHIP_TEST_BUNDLES, process.env[RUN_TEMP_VARIABLE]]) {
    if (folder) await rm(folder, { recursive: true, force: true });
  }
}
