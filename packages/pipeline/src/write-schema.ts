// Writes the JSON schemas of what users write, for editors' completion and checks: the release config
// (schemas/ecs-release.schema.json) and, on its own for the smoke-test action's checks-file, the smoke checks
// (schemas/smoke-checks.schema.json). Run after changing config.ts or probe's check-schema.ts: npm run schema
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';
import * as z from 'zod';
import { checksSchema } from '@ecs-ship/probe/check-schema';
import { releaseConfigJsonSchema } from './config.js';

export const RELEASE_SCHEMA_PATH = fileURLToPath(new URL('../../../schemas/ecs-release.schema.json', import.meta.url));
export const CHECKS_SCHEMA_PATH = fileURLToPath(new URL('../../../schemas/smoke-checks.schema.json', import.meta.url));

export async function renderReleaseSchema(): Promise<string> {
  return format(JSON.stringify(releaseConfigJsonSchema()), { parser: 'json', printWidth: 120 });
}

export async function renderChecksSchema(): Promise<string> {
  const schema = {
    $id: 'https://github.com/ecs-ship/ecs-ship/schemas/smoke-checks.schema.json',
    title: 'ecs-ship smoke checks',
    ...z.toJSONSchema(checksSchema, { io: 'input' }),
  };
  return format(JSON.stringify(schema), { parser: 'json', printWidth: 120 });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(RELEASE_SCHEMA_PATH, await renderReleaseSchema());
  writeFileSync(CHECKS_SCHEMA_PATH, await renderChecksSchema());
  process.stdout.write(`wrote ${RELEASE_SCHEMA_PATH} and ${CHECKS_SCHEMA_PATH}\n`);
}
