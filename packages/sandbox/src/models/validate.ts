// Walks a value against a shape of an AWS API model and reports every violation by its path: structures (required
// and unknown members), lists and maps (length), strings (enum, pattern, length), integers and longs (whole, min,
// max), doubles, booleans, timestamps and blobs.
import type { ServiceModel, Shape } from './botocore.js';

export interface Violation {
  /** Where in the value, e.g. `services[0].deployments[1].rolloutState`. */
  path: string;
  message: string;
}

export interface ValidateOptions {
  /** How the protocol writes timestamps: awsJson as epoch seconds (numbers), awsQuery as ISO 8601 text. */
  timestamps: 'epoch-seconds' | 'iso8601';
  /** Members a newer API has and this model does not, by shape: `{ DeploymentCircuitBreaker: ['resetOnHealthyTask'] }`. */
  newerMembers?: Readonly<Record<string, readonly string[]>>;
  /** Called with each member path met (list indexes as `[]`), for coverage. */
  visit?: (path: string) => void;
}

const patterns = new Map<string, RegExp | null>();

/** Every violation of `value` against the model's shape `shapeName`. */
export function validate(
  model: ServiceModel,
  shapeName: string,
  value: unknown,
  options: ValidateOptions,
  path = '',
): Violation[] {
  const violations: Violation[] = [];
  walk(model, shapeName, value, options, path, '', violations);
  return violations;
}

function walk(
  model: ServiceModel,
  shapeName: string,
  value: unknown,
  options: ValidateOptions,
  path: string,
  coveragePath: string,
  out: Violation[],
): void {
  const shape = model.shapes[shapeName];
  if (!shape) {
    out.push({ path: path || '(root)', message: `the model has no shape ${shapeName}` });
    return;
  }
  const here = path || '(root)';
  const fail = (message: string): void => void out.push({ path: here, message });
  if (value === null) return fail(`is null; AWS leaves out a member it has no value for (${shapeName})`);
  switch (shape.type) {
    case 'structure':
      return structure(model, shapeName, shape, value, options, path, coveragePath, out);
    case 'list': {
      if (!Array.isArray(value)) return fail(`is ${describe(value)}, not a list (${shapeName})`);
      length(shape, value.length, 'items', fail);
      value.forEach((item, i) =>
        walk(model, shape.member!.shape, item, options, `${path}[${i}]`, `${coveragePath}[]`, out),
      );
      return;
    }
    case 'map': {
      if (!isObject(value)) return fail(`is ${describe(value)}, not a map (${shapeName})`);
      const entries = Object.entries(value);
      length(shape, entries.length, 'entries', fail);
      for (const [key, item] of entries) {
        walk(model, shape.key!.shape, key, options, `${path}{key ${JSON.stringify(key)}}`, `${coveragePath}{}`, out);
        walk(model, shape.value!.shape, item, options, `${path}[${JSON.stringify(key)}]`, `${coveragePath}{}`, out);
      }
      return;
    }
    case 'string':
      return string(shapeName, shape, value, fail);
    case 'integer':
    case 'long': {
      if (typeof value !== 'number' || !Number.isInteger(value))
        return fail(`is ${describe(value)}, not an ${shape.type} (${shapeName})`);
      if (shape.min !== undefined && value < shape.min)
        fail(`${value} is below the minimum ${shape.min} (${shapeName})`);
      if (shape.max !== undefined && value > shape.max)
        fail(`${value} is above the maximum ${shape.max} (${shapeName})`);
      return;
    }
    case 'double':
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value))
        fail(`is ${describe(value)}, not a number (${shapeName})`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail(`is ${describe(value)}, not a boolean (${shapeName})`);
      return;
    case 'timestamp':
      return timestamp(shapeName, shape, value, options, fail);
    case 'blob':
      if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value))
        fail(`is ${describe(value)}, not base64 data (${shapeName})`);
      return;
    default:
      return; // documents and other free-form shapes: anything goes
  }
}

function structure(
  model: ServiceModel,
  shapeName: string,
  shape: Shape,
  value: unknown,
  options: ValidateOptions,
  path: string,
  coveragePath: string,
  out: Violation[],
): void {
  if (!isObject(value)) {
    out.push({ path: path || '(root)', message: `is ${describe(value)}, not a structure (${shapeName})` });
    return;
  }
  const members = shape.members ?? {};
  for (const name of shape.required ?? []) {
    if (value[name] === undefined) {
      out.push({ path: join(path, name), message: `is required by ${shapeName} and missing` });
    }
  }
  const newer = options.newerMembers?.[shapeName] ?? [];
  for (const [name, item] of Object.entries(value)) {
    if (item === undefined) continue;
    const member = members[name];
    const memberPath = join(path, name);
    const memberCoverage = join(coveragePath, name);
    if (!member) {
      if (!newer.includes(name)) out.push({ path: memberPath, message: `is not a member of ${shapeName}` });
      continue;
    }
    options.visit?.(memberCoverage);
    walk(model, member.shape, item, options, memberPath, memberCoverage, out);
  }
}

function string(shapeName: string, shape: Shape, value: unknown, fail: (message: string) => void): void {
  if (typeof value !== 'string') return fail(`is ${describe(value)}, not a string (${shapeName})`);
  if (shape.enum && !shape.enum.includes(value)) {
    return fail(`${JSON.stringify(value)} is not one of ${shape.enum.join(', ')} (${shapeName})`);
  }
  length(shape, [...value].length, 'characters', fail);
  const pattern = shape.pattern === undefined ? null : compile(shape.pattern);
  if (pattern && !pattern.test(value)) {
    fail(`${JSON.stringify(value)} does not match the pattern ${shape.pattern} (${shapeName})`);
  }
}

function timestamp(
  shapeName: string,
  shape: Shape,
  value: unknown,
  options: ValidateOptions,
  fail: (message: string) => void,
): void {
  const format = shape.timestampFormat ?? (options.timestamps === 'epoch-seconds' ? 'unixTimestamp' : 'iso8601');
  if (format === 'unixTimestamp') {
    if (typeof value !== 'number' || !Number.isFinite(value))
      fail(`is ${describe(value)}, not a timestamp in epoch seconds (${shapeName})`);
    else if (value > 1e11) fail(`${value} looks like milliseconds, not epoch seconds (${shapeName})`);
    return;
  }
  if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$/.test(value)) {
    fail(`is ${describe(value)}, not an ISO 8601 timestamp (${shapeName})`);
  }
}

function length(shape: Shape, count: number, unit: string, fail: (message: string) => void): void {
  if (shape.min !== undefined && count < shape.min) fail(`has ${count} ${unit}, fewer than the minimum ${shape.min}`);
  if (shape.max !== undefined && count > shape.max) fail(`has ${count} ${unit}, more than the maximum ${shape.max}`);
}

/** AWS's patterns are Java regular expressions; nearly all read the same in JavaScript (unanchored, as in Smithy). */
function compile(pattern: string): RegExp | null {
  if (!patterns.has(pattern)) {
    let compiled: RegExp | null = null;
    for (const flags of ['u', '']) {
      try {
        compiled = new RegExp(pattern, flags);
        break;
      } catch {
        // try without the unicode flag
      }
    }
    patterns.set(pattern, compiled);
  }
  return patterns.get(pattern)!;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  const text = JSON.stringify(value);
  return typeof value === 'object'
    ? 'an object'
    : `${typeof value} ${text && text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}
