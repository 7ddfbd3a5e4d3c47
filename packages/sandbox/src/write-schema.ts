// Writes scenario.schema.json (the JSON schema of scenario files) from the modules' zod schemas.
// Run after changing a module's scenario section: npx tsx packages/sandbox/src/write-schema.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';
import { scenarioJsonSchema } from './core/scenario.js';
import { services } from './services.js';

export const SCHEMA_PATH = fileURLToPath(new URL('../scenario.schema.json', import.meta.url));

export function currentScenarioSchema(): Record<string, unknown> {
  return scenarioJsonSchema(services);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = await format(JSON.stringify(currentScenarioSchema()), { parser: 'json', printWidth: 120 });
  writeFileSync(SCHEMA_PATH, text);
  process.stdout.write(`wrote ${SCHEMA_PATH}\n`);
}
