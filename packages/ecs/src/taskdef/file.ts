// A task-definition file, as the deploy (a template for every service) and the migration (a definition to register)
// take it: checked while the inputs are read, so that a file ECS would refuse stops the step before anything changes.
import { readFileSync } from 'node:fs';
import { unwrapTaskDefinition } from './render.js';

export type FileRead = { definition: Record<string, unknown> } | { problem: string; fix: string };

const READ_FIX = 'Give the path of a task-definition JSON file, relative to the workspace';
const SHAPE_FIX =
  'Give a task definition as RegisterTaskDefinition takes it, or as `aws ecs describe-task-definition` prints it';

/**
 * Reads the JSON file at `path` (`shown` names it in messages). RegisterTaskDefinition requires `family` and
 * `containerDefinitions`, and a task runs at least one container, so a file without either is refused. The
 * definition may stand alone or under `taskDefinition`, as `aws ecs describe-task-definition` prints it.
 */
export function readTaskDefinitionFile(path: string, shown: string): FileRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { problem: `the file "${shown}" cannot be read: ${readProblem(error)}`, fix: READ_FIX };
  }
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch (error) {
    return { problem: `the file "${shown}" is not valid JSON (${(error as Error).message})`, fix: 'Correct the JSON' };
  }
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    return { problem: `the file "${shown}" does not hold a JSON object`, fix: SHAPE_FIX };
  }
  const { definition } = unwrapTaskDefinition(content as Record<string, unknown>);
  const missing: string[] = [];
  if (typeof definition.family !== 'string' || definition.family === '') missing.push('"family"');
  const containers = definition.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) missing.push('"containerDefinitions"');
  if (missing.length > 0) return { problem: `the file "${shown}" has no ${missing.join(' and no ')}`, fix: SHAPE_FIX };
  return { definition: content as Record<string, unknown> };
}

function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'it does not exist';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EACCES') return 'permission denied';
  return code ?? (error as Error).message;
}
