/**
 * Checks a task-definition template against the shape RegisterTaskDefinition takes (./shapes.ts, generated from AWS's
 * model): every key must be one the API knows, and every value of the type it expects. The SDK would silently drop an
 * unknown key (a typo such as `memoryReservaton` deploys without the setting), and ECS refuses a value of the wrong type
 * only after earlier steps ran. Enumerations (`networkMode`, …) and ranges are left to ECS: AWS adds values faster
 * than a model copy would follow, and refusing a valid new one would be worse than ECS's own clear error.
 */
import { closestName } from '@ecs-ship/action-kit';
import type { ShapeSpec } from './shape-types.js';
import { SHAPES, TEMPLATE_SHAPE } from './shapes.js';

export type JsonPath = (string | number)[];

export interface ShapeProblem {
  /** Where, as keys and list indexes from the top of the file. */
  path: JsonPath;
  /** The problem, naming the place: `containerDefinitions[0].memory is a string ("512"), not a whole number`. */
  problem: string;
  /** The problem is the key itself (unknown), rather than its value. */
  atKey?: boolean;
}

const WHAT: Record<string, string> = {
  structure: 'an object',
  list: 'a list',
  map: 'an object of names to values',
  string: 'a string',
  integer: 'a whole number',
  long: 'a whole number',
  double: 'a number',
  float: 'a number',
  boolean: 'true or false',
  timestamp: 'a date',
};

/** The problems of a template, as read from its file (bare, or as `aws ecs describe-task-definition` prints it). */
export function checkTemplateShape(template: Record<string, unknown>): ShapeProblem[] {
  const wrapped = template.taskDefinition;
  if (wrapped !== undefined && typeof wrapped === 'object' && wrapped !== null && !Array.isArray(wrapped)) {
    // describe-task-definition's output: the definition and its tags side by side.
    const problems: ShapeProblem[] = [];
    for (const key of Object.keys(template)) {
      if (key !== 'taskDefinition' && key !== 'tags') problems.push(unknownKey([key], ['taskDefinition', 'tags']));
    }
    if (template.tags !== undefined) check(template.tags, 'Tags', ['tags'], problems);
    check(wrapped, TEMPLATE_SHAPE, ['taskDefinition'], problems);
    return problems;
  }
  const problems: ShapeProblem[] = [];
  check(template, TEMPLATE_SHAPE, [], problems);
  return problems;
}

function check(value: unknown, shapeName: string, path: JsonPath, problems: ShapeProblem[]): void {
  // Absent and null are the same to the SDK: nothing is sent.
  if (value === null || value === undefined) return;
  const shape: ShapeSpec = SHAPES[shapeName] ?? { type: 'string' };
  const wrong = () => problems.push({ path, problem: `${name(path)} is ${describe(value)}, not ${WHAT[shape.type]}` });
  switch (shape.type) {
    case 'structure': {
      if (!isObject(value)) return void wrong();
      const known = Object.keys(shape.members);
      for (const [key, inner] of Object.entries(value)) {
        const member = shape.members[key];
        if (member === undefined) problems.push(unknownKey([...path, key], known));
        else check(inner, member, [...path, key], problems);
      }
      const missing = (shape.required ?? []).filter((key) => value[key] === undefined || value[key] === null);
      for (const key of missing)
        problems.push({ path, problem: `${name(path, 'the task definition')} has no "${key}"` });
      return;
    }
    case 'list':
      if (!Array.isArray(value)) return void wrong();
      value.forEach((item, index) => check(item, shape.member, [...path, index], problems));
      return;
    case 'map':
      if (!isObject(value)) return void wrong();
      for (const [key, inner] of Object.entries(value)) check(inner, shape.value, [...path, key], problems);
      return;
    case 'string':
      if (typeof value !== 'string') wrong();
      return;
    case 'integer':
    case 'long':
      if (!Number.isInteger(value)) wrong();
      return;
    case 'double':
    case 'float':
      if (typeof value !== 'number') wrong();
      return;
    case 'boolean':
      if (typeof value !== 'boolean') wrong();
      return;
    case 'timestamp':
      if (typeof value !== 'string' && typeof value !== 'number') wrong();
      return;
  }
}

function unknownKey(path: JsonPath, known: string[]): ShapeProblem {
  const key = String(path.at(-1));
  const guess = closestName(key, known);
  const where = path.length > 1 ? ` in ${name(path.slice(0, -1))}` : '';
  return {
    path,
    atKey: true,
    problem: `"${key}"${where} is not a key RegisterTaskDefinition takes${guess ? ` (did you mean "${guess}"?)` : ''}`,
  };
}

/** `containerDefinitions[0].portMappings[1].containerPort` */
export function name(path: JsonPath, top = 'the file'): string {
  if (path.length === 0) return top;
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  if (typeof value === 'number')
    return Number.isInteger(value) ? `a number (${value})` : `a fractional number (${value})`;
  return `${typeof value} (${String(value)})`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
