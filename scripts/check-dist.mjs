// Fails when the committed dist/ does not match what the sources build to: rebuilds every bundle into a temporary
// folder and compares file by file. Run by .ci/run; fix a failure with `npm run build` and commit dist/.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { buildBundle, listBundles, stopMinifier } from './build.mjs';

const distRoot = new URL('../dist/', import.meta.url).pathname;

async function filesUnder(dir) {
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(path)));
    else found.push(path);
  }
  return found;
}

const fresh = await mkdtemp(join(tmpdir(), 'dist-check-'));
try {
  for (const bundle of await listBundles()) await buildBundle(bundle, fresh);
  await stopMinifier();
  const built = new Set((await filesUnder(fresh)).map((f) => relative(fresh, f)));
  const committed = new Set((await filesUnder(distRoot)).map((f) => relative(distRoot, f)));
  const problems = [];
  for (const file of built) {
    if (!committed.has(file)) problems.push(`missing from dist/: ${file}`);
    else if (!(await readFile(join(fresh, file))).equals(await readFile(join(distRoot, file)))) {
      problems.push(`out of date: dist/${file}`);
    }
  }
  for (const file of committed) if (!built.has(file)) problems.push(`not built from any source: dist/${file}`);
  if (problems.length > 0) {
    console.error(
      `dist/ does not match the sources:\n  ${problems.join('\n  ')}\nRun "npm run build" and commit dist/.`,
    );
    process.exit(1);
  }
  console.log(`dist/ matches the sources (${built.size} files).`);
} finally {
  await rm(fresh, { recursive: true, force: true });
}
