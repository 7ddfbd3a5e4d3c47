// Bundles every action entry with @vercel/ncc into dist/<name>/ (and post steps into dist/<name>/post/).
// Usage: node scripts/build.mjs [--out <dir>] [name ...]
// --out builds somewhere else (the freshness check builds into a temporary folder and compares).
import { mkdir, readdir, rm, writeFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ncc = require('@vercel/ncc');
const esbuild = require('esbuild');
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Every bundle the repository ships: one per action entry, plus post steps where an action has one. */
export async function listBundles() {
  const bundles = [];
  for (const name of (await readdir(join(root, 'actions'))).sort()) {
    for (const [file, out] of [
      ['index.ts', name],
      ['post.ts', `${name}/post`],
    ]) {
      const entry = join(root, 'actions', name, 'src', file);
      if (await exists(entry)) bundles.push({ name: out, entry });
    }
  }
  return bundles;
}

async function exists(path) {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

export async function buildBundle({ name, entry }, outRoot) {
  const { code, assets } = await ncc(entry, {
    minify: true,
    sourceMap: false,
    quiet: true,
    target: 'es2022',
    // Types are checked once by `npm run typecheck`; the bundler only transpiles.
    transpileOnly: true,
    // License texts are not needed at run time and make diffs noisy.
    license: '',
  });
  const outDir = join(outRoot, name);
  // Keep nested post/ bundles when rebuilding only the main one.
  for (const entryName of await readdir(outDir).catch(() => [])) {
    if (entryName !== 'post') await rm(join(outDir, entryName), { recursive: true, force: true });
  }
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'index.js'), code);
  for (const [file, asset] of Object.entries(assets)) {
    await mkdir(dirname(join(outDir, file)), { recursive: true });
    await writeFile(join(outDir, file), file.endsWith('.js') ? await minifyChunk(asset.source) : asset.source);
  }
}

/**
 * ncc minifies the entry but writes the lazily loaded chunks (where the AWS SDK, Octokit and the rest live) as they
 * came. A step keeps every loaded chunk's source in memory and parses it, so minified chunks take less memory and
 * start sooner. Names are kept: error classes and SDK shapes are told apart by `name`.
 */
async function minifyChunk(source) {
  const { code } = await esbuild.transform(source.toString(), {
    minify: true,
    keepNames: true,
    format: 'esm',
    target: 'es2022',
    legalComments: 'none',
  });
  return code;
}

async function main() {
  const args = process.argv.slice(2);
  let outRoot = join(root, 'dist');
  const outFlag = args.indexOf('--out');
  if (outFlag !== -1) {
    outRoot = resolve(args[outFlag + 1]);
    args.splice(outFlag, 2);
  }
  const wanted = new Set(args);
  const bundles = (await listBundles()).filter(
    (b) => wanted.size === 0 || wanted.has(b.name) || wanted.has(b.name.split('/')[0]),
  );
  if (bundles.length === 0) throw new Error(`No action matches ${[...wanted].join(', ')}`);
  for (const bundle of bundles) {
    const started = Date.now();
    await buildBundle(bundle, outRoot);
    console.log(`built ${bundle.name} in ${Date.now() - started} ms`);
  }
  await stopMinifier();
}

/** Ends esbuild's service process, so that a build exits on its own terms rather than with the service still up. */
export async function stopMinifier() {
  await esbuild.stop();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
