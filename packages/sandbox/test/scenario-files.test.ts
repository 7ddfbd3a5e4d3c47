import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadScenario, services, startSandbox } from '../src/index.js';
import { SCHEMA_PATH, currentScenarioSchema } from '../src/write-schema.js';

const scenarioDir = fileURLToPath(new URL('../scenarios/', import.meta.url));
const examples = readdirSync(scenarioDir).filter((f) => f.endsWith('.yaml'));

describe('scenario files', () => {
  it('scenario.schema.json is up to date with the modules (regenerate: npx tsx packages/sandbox/src/write-schema.ts)', () => {
    const committed: unknown = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));
    expect(committed).toEqual(currentScenarioSchema());
  });

  it('the schema describes every module section and refuses unknown top-level keys', () => {
    const schema = currentScenarioSchema() as { properties: Record<string, unknown>; additionalProperties: unknown };
    for (const service of services) expect(Object.keys(schema.properties)).toContain(service.key);
    expect(schema.additionalProperties).toBe(false);
  });

  it('the scenario example in the README is valid and starts a sandbox', async () => {
    const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toContain('github:');
    expect(() => loadScenario(example, services)).not.toThrow();
    await (await startSandbox({ scenario: example })).stop();
  });

  it('ships example scenarios', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
  });

  it.each(examples)('%s is valid and starts a sandbox', async (file) => {
    const path = `${scenarioDir}${file}`;
    expect(() => loadScenario(path, services)).not.toThrow();
    const sandbox = await startSandbox({ scenario: path });
    try {
      const response = await fetch(`${sandbox.url}/_sandbox/health`);
      expect(await response.json()).toEqual({ ok: true, modules: services.map((s) => s.key) });
    } finally {
      await sandbox.stop();
    }
  });
});
