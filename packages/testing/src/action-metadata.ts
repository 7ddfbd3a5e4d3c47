import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
  deprecationMessage?: string;
}

export interface ActionMetadata {
  name: string;
  description: string;
  author?: string;
  branding?: { icon?: string; color?: string };
  inputs?: Record<string, ActionInput>;
  outputs?: Record<string, { description?: string }>;
  runs: { using: string; main: string; post?: string; 'post-if'?: string; pre?: string };
}

/** The actions: those in actions/<name>/ and the release pipeline at the repository root. */
export const ACTION_NAMES = [
  'build-push-ecr',
  'run-migration-task',
  'rds-snapshot',
  'rds-restore',
  'ecs-deploy-with-circuit-breaker',
  'smoke-test',
  'tag-release',
  'notify-slack',
  'release',
] as const;

export type ActionName = (typeof ACTION_NAMES)[number];

export function actionDirectory(name: string): string {
  if (isAbsolute(name)) return name; // an action folder outside the suite (test fixtures)
  return name === 'release' ? repoRoot : join(repoRoot, 'actions', name);
}

export function actionYamlPath(name: string): string {
  return join(actionDirectory(name), 'action.yml');
}

/** Each action.yml as last parsed: the suite starts actions over a thousand times, and YAML parses slowly. */
const parsed = new Map<string, { text: string; metadata: ActionMetadata }>();

export function readActionMetadata(name: string): ActionMetadata {
  const path = actionYamlPath(name);
  const text = readFileSync(path, 'utf8');
  let entry = parsed.get(path);
  if (entry?.text !== text) {
    entry = { text, metadata: parse(text) as ActionMetadata };
    parsed.set(path, entry);
  }
  return structuredClone(entry.metadata);
}
