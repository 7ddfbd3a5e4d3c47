// Bundles every action entry from the sources into a temporary folder laid out like dist/ (`<action>/index.js`,
// `<action>/post/index.js`), so that the harness runs what the sources say now, without `npm run build`.
//
// esbuild bundles the project's own code (the entries and the @ecs-ship/* packages) in well under a second, split into
// lazily loaded chunks as ncc splits dist/, so a step refused for its inputs loads as little as the real one. The
// dependencies stay in node_modules, where Node loads them as it loads any package (the folder sits under
// node_modules/.cache so that they resolve): bundling them as well takes seconds and makes each step parse megabytes
// that dist/ loads lazily, and esbuild's code splitting would give `await import()` of a CommonJS package (the AWS
// SDK) a default export only. What bundling the dependencies changes is proven by `npm run test:dist`, on the
// committed bundles, and check-dist proves those are what the sources build to.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { listBundles } from '../../../scripts/build.mjs';

const require = createRequire(import.meta.url);
const esbuild = require('esbuild');
const cache = fileURLToPath(new URL('../../../node_modules/.cache/ecs-ship-test-bundles/', import.meta.url));

/** Leaves every bare import (a dependency, or a Node built-in) to Node, except the workspace's own packages. */
const dependenciesFromNodeModules = {
  name: 'dependencies-from-node-modules',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, ({ path }) =>
      path.startsWith('@ecs-ship/') ? undefined : { path, external: true },
    );
  },
};

/** Builds every bundle; returns the folder. */
export async function bundleSources() {
  await mkdir(cache, { recursive: true });
  const outdir = await mkdtemp(cache);
  try {
    const entryPoints = Object.fromEntries((await listBundles()).map(({ name, entry }) => [`${name}/index`, entry]));
    await esbuild.build({
      entryPoints,
      outdir,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      plugins: [dependenciesFromNodeModules],
      logLevel: 'error',
    });
    await writeFile(join(outdir, 'package.json'), '{ "type": "module" }\n');
    return outdir;
  } catch (error) {
    await rm(outdir, { recursive: true, force: true });
    throw error;
  } finally {
    await esbuild.stop();
  }
}
