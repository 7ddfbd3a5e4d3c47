// Reading awsQuery form parameters the way RDS does: flat keys such as `VpcSecurityGroupIds.VpcSecurityGroupId.1`,
// `Tags.Tag.1.Key` or `Filters.Filter.1.Values.Value.1` (list members carry the model's names; `member` is accepted
// too), booleans as `true`/`false`, and RDS's errors for what is missing or malformed.
import { AwsError } from '../core/module.js';
import type { Tag } from './state.js';

export type Params = Record<string, string>;

export function optional(params: Params, name: string): string | undefined {
  const value = params[name];
  return value === undefined || value === '' ? undefined : value;
}

export function required(params: Params, name: string): string {
  const value = optional(params, name);
  if (value === undefined) throw new AwsError('MissingParameter', `The request must contain the parameter ${name}`);
  return value;
}

export function bool(params: Params, name: string): boolean | undefined {
  const value = optional(params, name);
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new AwsError('InvalidParameterValue', `Invalid value ${value} for ${name}: expected true or false.`);
}

export function integer(params: Params, name: string): number | undefined {
  const value = optional(params, name);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new AwsError('InvalidParameterValue', `Invalid value ${value} for ${name}.`);
  return Number(value);
}

/** `<name>.<item>.N` (or `<name>.member.N`) for N = 1, 2, … */
export function list(params: Params, name: string, item: string): string[] {
  for (const member of [item, 'member']) {
    const values: string[] = [];
    for (let n = 1; params[`${name}.${member}.${n}`] !== undefined; n++) values.push(params[`${name}.${member}.${n}`]!);
    if (values.length > 0) return values;
  }
  return [];
}

/** `Tags.Tag.N.Key` / `Tags.Tag.N.Value`. */
export function tags(params: Params): Tag[] {
  const found: Tag[] = [];
  for (const item of ['Tag', 'member']) {
    for (let n = 1; params[`Tags.${item}.${n}.Key`] !== undefined; n++) {
      found.push({ Key: params[`Tags.${item}.${n}.Key`]!, Value: params[`Tags.${item}.${n}.Value`] ?? '' });
    }
  }
  return found;
}

/** `Filters.Filter.N.Name` with `Filters.Filter.N.Values.Value.M`; names outside `supported` are refused as RDS does. */
export function filters(params: Params, supported: readonly string[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const item of ['Filter', 'member']) {
    for (let n = 1; params[`Filters.${item}.${n}.Name`] !== undefined; n++) {
      const name = params[`Filters.${item}.${n}.Name`]!;
      if (!supported.includes(name)) {
        throw new AwsError('InvalidParameterValue', `Unrecognized filter name: ${name}.`);
      }
      found.set(name, list(params, `Filters.${item}.${n}.Values`, 'Value'));
    }
  }
  return found;
}

/** One page of a describe answer: `MaxRecords` (20-100, default 100) from the opaque `Marker`. */
export function page<T>(items: T[], params: Params): { items: T[]; Marker?: string } {
  const max = integer(params, 'MaxRecords') ?? 100;
  if (max < 20 || max > 100) {
    throw new AwsError('InvalidParameterValue', `Invalid value ${max} for MaxRecords. Must be between 20 and 100`);
  }
  const marker = optional(params, 'Marker');
  let start = 0;
  if (marker !== undefined) {
    const decoded = /^offset:(\d+)$/.exec(Buffer.from(marker, 'base64').toString('utf8'));
    if (!decoded) throw new AwsError('InvalidParameterValue', `The parameter Marker is not valid: ${marker}`);
    start = Number(decoded[1]);
  }
  const end = start + max;
  return {
    items: items.slice(start, end),
    ...(end < items.length ? { Marker: Buffer.from(`offset:${end}`).toString('base64') } : {}),
  };
}

/** Identifiers of instances, clusters (1-63 characters) and snapshots (1-255): a letter first, then letters,
 *  digits and single hyphens, not ending in one. */
export function checkIdentifier(parameter: string, value: string, maxLength: 63 | 255): void {
  const valid =
    value.length <= maxLength && /^[A-Za-z][A-Za-z0-9-]*$/.test(value) && !value.includes('--') && !value.endsWith('-');
  if (!valid) {
    throw new AwsError(
      'InvalidParameterValue',
      `The parameter ${parameter} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`,
    );
  }
}

/** The name at the end of an ARN (`arn:aws:rds:…:snapshot:<name>`), or the value itself. */
export function nameOf(value: string): string {
  return value.startsWith('arn:') ? value.slice(value.lastIndexOf(':') + 1) : value;
}
