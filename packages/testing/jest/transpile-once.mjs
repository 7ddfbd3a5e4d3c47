// TypeScript transpiled once per run, before the workers start. Jest keeps each transpiled file in its cache, but on
// a fresh clone (as in CI) the cache is empty, and every worker transpiles each file it needs on its own, side by side
// with the others: on the two-core machine that is about a hundred seconds of CPU a run, most of it the same work
// eight times. Here each file is transpiled once, into the same cache, in the two forms a worker asks for: as an ES
// module, and as a script (Jest's check of whether a file is one). With the cache full, this only reads it back.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const { createScriptTransformer } = createRequire(import.meta.url)('@jest/transform');

/** What jest-runtime passes when it loads a file as an ES module, and when it asks whether the file is one. */
const AS_MODULE = {
  isInternalModule: false,
  supportsDynamicImport: true,
  supportsExportNamespaceFrom: true,
  supportsStaticESM: true,
  supportsTopLevelAwait: true,
};
const AS_SCRIPT = {
  ...AS_MODULE,
  supportsExportNamespaceFrom: false,
  supportsStaticESM: false,
  supportsTopLevelAwait: false,
};

const SKIPPED = new Set(['node_modules', 'dist', 'coverage']);

/** The project's TypeScript files, without declarations. */
function typeScriptFiles(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.') || SKIPPED.has(entry.name)) return [];
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

export async function transpileOnce(globalConfig, projectConfig) {
  if (!projectConfig.cache) return;
  const transformer = await createScriptTransformer(projectConfig);
  // The coverage settings each worker's runtime adds to every request.
  const coverage = {
    collectCoverage: globalConfig.collectCoverage,
    collectCoverageFrom: globalConfig.collectCoverageFrom,
    coverageProvider: globalConfig.coverageProvider,
  };
  for (const file of typeScriptFiles(projectConfig.rootDir)) {
    for (const form of [AS_MODULE, AS_SCRIPT]) transformer.transform(file, { ...form, ...coverage });
  }
}
