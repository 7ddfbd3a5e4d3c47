// Writes schemas/ecs-release.schema.json, the JSON schema of the release config that editors use for completion and
// checks. Run after changing config.ts: npm run schema
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';
import { releaseConfigJsonSchema } from './config.js';

export const RELEASE_SCHEMA_PATH = fileURLToPath(new URL('../../../schemas/ecs-release.schema.json', import.meta.url));

export async function renderReleaseSchema(): Promise<string> {
  return format(JSON.stringify(releaseConfigJsonSchema()), { parser: 'json', printWidth: 120 });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(RELEASE_SCHEMA_PATH, await renderReleaseSchema());
  process.stdout.write(`wrote ${RELEASE_SCHEMA_PATH}\n`);
}
