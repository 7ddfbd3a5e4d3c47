// Scenario files: YAML with `accountId`, `region`, `timeScale`, `faults` and one section per service module.
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import * as z from 'zod';
import { faultSchema, type Fault } from './faults.js';
import { iamScenarioSchema, type IamScenario } from './iam.js';
import type { ServiceDefinition } from './module.js';

/** A scenario as given: an object, YAML (or JSON) text, or the path of a YAML file. */
export type ScenarioSource = Record<string, unknown> | string;

export interface LoadedScenario {
  accountId: string;
  region: string;
  timeScale: number;
  faults: Fault[];
  /** Access keys bound to IAM policies (see core/iam.ts). */
  iam?: IamScenario;
  /** Each service's validated section (defaults applied), by ServiceDefinition.key. */
  sections: Record<string, unknown>;
}

const base = {
  $schema: z.string().optional().describe('Path or URL of scenario.schema.json, for editors'),
  accountId: z
    .string()
    .regex(/^\d{12}$/, 'an AWS account id is 12 digits')
    .default('123456789012')
    .describe('AWS account id used in every ARN'),
  region: z.string().min(1).default('us-east-1').describe('Default region (clients sign their own region)'),
  timeScale: z
    .number()
    .positive()
    .default(1)
    .describe('Multiplier for every duration the scenario declares: 0.01 turns "30 s" into 300 ms'),
  faults: z.array(faultSchema).default([]).describe('Faults active from the start'),
  iam: iamScenarioSchema.optional(),
};

/** The whole scenario schema: the common keys plus every service's own section. */
export function scenarioSchema(services: readonly ServiceDefinition<any>[]) {
  const sections: Record<string, z.ZodType> = {};
  for (const service of services) sections[service.key] = (service.schema as z.ZodType).optional();
  return z.strictObject({ ...base, ...sections });
}

/** JSON schema of the scenario file, for editors and for the documentation. */
export function scenarioJsonSchema(services: readonly ServiceDefinition<any>[]): Record<string, unknown> {
  const { $schema, ...schema } = z.toJSONSchema(scenarioSchema(services), { io: 'input', unrepresentable: 'any' });
  return {
    $schema,
    title: 'ecs-ship sandbox scenario',
    description: 'Accounts, services, images, alarms, GitHub and Slack state the sandbox starts from.',
    ...schema,
  };
}

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/** Reads a scenario source into a plain object (no validation yet). */
export function readScenarioSource(source: ScenarioSource | undefined): Record<string, unknown> {
  if (source === undefined) return {};
  if (typeof source !== 'string') return source;
  let text = source;
  let origin = 'scenario text';
  if (!source.includes('\n') && existsSync(source)) {
    text = readFileSync(source, 'utf8');
    origin = source;
  } else if (!source.includes('\n') && /\.(ya?ml|json)$/i.test(source)) {
    throw new ScenarioError(`Scenario file not found: ${source}`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new ScenarioError(`Scenario ${origin} is not valid YAML: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ScenarioError(`Scenario ${origin} must be a mapping of sections (accountId, region, ecs, ...)`);
  }
  return parsed as Record<string, unknown>;
}

/** Validates a scenario against the common keys and every service's section schema. */
export function loadScenario(
  source: ScenarioSource | undefined,
  services: readonly ServiceDefinition<any>[],
): LoadedScenario {
  const raw = readScenarioSource(source);
  const result = scenarioSchema(services).safeParse(raw);
  if (!result.success) throw new ScenarioError(`Scenario is not valid:\n${z.prettifyError(result.error)}`);
  const data = result.data as Record<string, unknown> & z.output<z.ZodObject<typeof base>>;
  const sections: Record<string, unknown> = {};
  for (const service of services) {
    const given = data[service.key];
    if (given !== undefined) {
      sections[service.key] = given;
      continue;
    }
    // An absent section means "nothing declared": the module's defaults.
    const empty = service.schema.safeParse({});
    if (!empty.success) {
      throw new ScenarioError(
        `Scenario needs a "${service.key}" section:\n${z.prettifyError(empty.error as z.ZodError)}`,
      );
    }
    sections[service.key] = empty.data;
  }
  return {
    accountId: data.accountId,
    region: data.region,
    timeScale: data.timeScale,
    faults: data.faults,
    iam: data.iam,
    sections,
  };
}
