// Bundles every action entry from the sources into a temporary folder laid out like dist/ (`<action>/index.js`,
// `<action>/post/index.js`), so that the harness runs what the sources say now, without `npm run build`.
//
// The bundles hold the dependencies too, as dist/ does: an action that loads the AWS SDK file by file from
// node_modules spends a third more CPU getting to its first call than the same code bundled (631 against 452 ms for
// the deploy action, 357 against 267 ms for notify-slack, on Node 24), and the suite starts actions over a thousand
// times. esbuild builds them in a few seconds, split into lazily loaded chunks as ncc splits dist/, so a step refused
// for its inputs loads as little as the real one. Packages resolve as webpack (inside ncc) resolves them, their ES
// module build first: jsonc-parser's CommonJS build is a UMD wrapper whose requires no bundler can follow. The
// chunks are ES modules; the banner gives the CommonJS code in them the `require` Node gives a CommonJS file, for
// the built-in modules it loads at run time. A CommonJS package the sources load with `await import()` (tar-stream)
// stays in node_modules: esbuild would give its chunk a default export only, where Node and webpack give the named
// exports too (the folder sits under node_modules/.cache so that it resolves). What ncc's bundling changes is proven by `npm run test:dist`, on the
// committed bundles, and check-dist proves those are what the sources build to.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { listBundles } from '../../../scripts/build.mjs';

const require = createRequire(import.meta.url);
const esbuild = require('esbuild');
const cache = fileURLToPath(new URL('../../../node_modules/.cache/ecs-ship-test-bundles/', import.meta.url));

/** For the CommonJS code in an ES module chunk: Node's own `require`, which esbuild's shim calls when it exists. */
const commonJsRequire =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** Leaves to Node each CommonJS package that is loaded with `await import()`; bundles everything else. */
const lazyCommonJsFromNodeModules = {
  name: 'lazy-commonjs-from-node-modules',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async ({ path, kind, resolveDir, pluginData }) => {
      if (kind !== 'dynamic-import' || path.startsWith('@ecs-ship/') || pluginData?.[LOOKING]) return undefined;
      const resolved = await build.resolve(path, { kind, resolveDir, pluginData: { [LOOKING]: true } });
      if (resolved.errors.length > 0 || !(await isCommonJs(resolved.path))) return undefined;
      return { path, external: true };
    });
  },
};
const LOOKING = Symbol('resolving on behalf of lazy-commonjs-from-node-modules');

/** Whether Node loads `file` as CommonJS: by its extension, else by the nearest package.json (`module` is ESM). */
async function isCommonJs(file) {
  if (file.endsWith('.cjs')) return true;
  if (file.endsWith('.mjs')) return false;
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
    if (manifest === undefined) continue;
    const { type, module } = JSON.parse(manifest);
    return type !== 'module' && !(module && resolve(dir, module) === file);
  }
  return true;
}

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
      mainFields: ['module', 'main'],
      banner: { js: commonJsRequire },
      plugins: [lazyCommonJsFromNodeModules],
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
