// Bundles every action entry from the sources into a temporary folder laid out like dist/ (`<action>/index.js`,
// `<action>/post/index.js`), so that the harness runs what the sources say now, without `npm run build`.
// esbuild rather than ncc: one call builds all entries in a few seconds, where ncc takes about a minute. Each bundle
// is one self-contained ES module (esbuild's code splitting turns `await import()` of a CommonJS package, as of the
// AWS SDK, into a chunk with a default export only, which Node would not do). check-dist proves that dist/ matches
// the sources, and `npm run test:dist` runs the suites against dist/ itself.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { listBundles } from '../../../scripts/build.mjs';

const require = createRequire(import.meta.url);
const esbuild = require('esbuild');

/** Builds every bundle; returns the folder. */
export async function bundleSources() {
  const outdir = await mkdtemp(join(tmpdir(), 'ecs-ship-bundles-'));
  try {
    const entryPoints = Object.fromEntries((await listBundles()).map(({ name, entry }) => [`${name}/index`, entry]));
    await esbuild.build({
      entryPoints,
      outdir,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // Bundled CommonJS dependencies call require() for Node's own modules.
      banner: {
        js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
      },
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
