// A task-definition file, as the deploy (a template for every service) and the migration (a definition to register)
// take it: checked while the inputs are read, so that a file ECS would refuse stops the step before anything changes,
// each problem at its line of the file.
import { readFileSync } from 'node:fs';
import { unwrapTaskDefinition } from './render.js';
import { checkTemplateShape, type JsonPath } from './shape-check.js';
import { locate, syntaxError, type Position } from './source.js';

export interface FileProblem {
  problem: string;
  fix: string;
  /** Where in the file, when the problem has a place. */
  position?: Position;
}

export type FileRead = { definition: Record<string, unknown>; text: string } | { problems: FileProblem[] };

const READ_FIX = 'Give the path of a task-definition JSON file, relative to the workspace';
const SHAPE_FIX =
  'Give a task definition as RegisterTaskDefinition takes it, or as `aws ecs describe-task-definition` prints it';
const KEY_FIX = 'Correct the template: its keys and value types are those of RegisterTaskDefinition in the ECS API';

/**
 * Reads the JSON file at `path` (`shown` names it in messages). RegisterTaskDefinition requires `family` and
 * `containerDefinitions`, and a task runs at least one container, so a file without either is refused. The
 * definition may stand alone or under `taskDefinition`, as `aws ecs describe-task-definition` prints it. Every key
 * must be one RegisterTaskDefinition takes, with a value of its type.
 */
export function readTaskDefinitionFile(path: string, shown: string): FileRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return fail(`the file "${shown}" cannot be read: ${readProblem(error)}`, READ_FIX);
  }
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch (error) {
    const where = syntaxError(text);
    const detail = where ? `${where.expected} at line ${where.line}, column ${where.col}` : (error as Error).message;
    const position = where && { line: where.line, col: where.col };
    return fail(`the file "${shown}" is not valid JSON (${detail})`, 'Correct the JSON', position);
  }
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    return fail(`the file "${shown}" does not hold a JSON object`, SHAPE_FIX, locate(text, []));
  }
  const template = content as Record<string, unknown>;
  const { definition } = unwrapTaskDefinition(template);
  const missing: string[] = [];
  if (typeof definition.family !== 'string' || definition.family === '') missing.push('"family"');
  const containers = definition.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) missing.push('"containerDefinitions"');
  if (missing.length > 0) {
    return fail(
      `the file "${shown}" has no ${missing.join(' and no ')}`,
      SHAPE_FIX,
      locate(text, definitionPath(template)),
    );
  }
  const problems = checkTemplateShape(template).map((found) => {
    const position = locate(text, found.path, found.atKey);
    const where = position ? `, line ${position.line}` : '';
    return { problem: `the file "${shown}"${where}: ${found.problem}`, fix: KEY_FIX, position };
  });
  return problems.length > 0 ? { problems } : { definition: template, text };
}

/** Where the definition itself starts: the top, or `taskDefinition` in describe-task-definition's output. */
export function definitionPath(template: Record<string, unknown>): JsonPath {
  return unwrapTaskDefinition(template).definition === template ? [] : ['taskDefinition'];
}

function fail(problem: string, fix: string, position?: Position): FileRead {
  return { problems: [{ problem, fix, position }] };
}

function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'it does not exist';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EACCES') return 'permission denied';
  return code ?? (error as Error).message;
}
