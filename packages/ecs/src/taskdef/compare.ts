/**
 * Tells whether a rendered task definition differs from the registered one, and how. ECS fills in defaults and
 * keeps lists in its own order, so both sides are normalised first: otherwise every deploy would register a new
 * revision for a definition that did not change.
 */
import { READ_ONLY_FIELDS } from './render.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Lists whose order carries no meaning, and the field that identifies their items. */
const KEYED_LISTS: Record<string, string> = {
  containerDefinitions: 'name',
  environment: 'name',
  secrets: 'name',
  tags: 'key',
  volumes: 'name',
  ulimits: 'name',
  systemControls: 'namespace',
  placementConstraints: 'expression',
  dependsOn: 'containerName',
  extraHosts: 'hostname',
};

/** Lists of plain values whose order carries no meaning. */
const SET_LISTS = new Set(['requiresCompatibilities']);

/** Task-level numbers that ECS returns as strings. */
const STRING_NUMBERS = new Set(['cpu', 'memory']);

/** Returns a canonical form: read-only fields gone, defaults removed, unordered lists sorted, keys sorted. */
export function normaliseTaskDefinition(definition: Record<string, unknown>): Json {
  const copy: Record<string, unknown> = { ...definition };
  for (const field of READ_ONLY_FIELDS) delete copy[field];
  for (const field of STRING_NUMBERS) if (typeof copy[field] === 'number') copy[field] = String(copy[field]);
  if (Array.isArray(copy.containerDefinitions)) {
    copy.containerDefinitions = copy.containerDefinitions.map((container) =>
      normaliseContainer(container as Record<string, unknown>, copy.networkMode),
    );
  }
  return canonical(copy) ?? {};
}

function normaliseContainer(container: Record<string, unknown>, networkMode: unknown): Record<string, unknown> {
  const copy = { ...container };
  // Defaults ECS writes into every container it returns.
  if (copy.essential === true) delete copy.essential;
  if (copy.cpu === 0) delete copy.cpu;
  if (Array.isArray(copy.portMappings)) {
    copy.portMappings = copy.portMappings.map((mapping) => {
      const port = { ...(mapping as Record<string, unknown>) };
      if (port.protocol === 'tcp') delete port.protocol;
      // In awsvpc mode ECS sets hostPort to containerPort.
      if (networkMode === 'awsvpc' && port.hostPort === port.containerPort) delete port.hostPort;
      return port;
    });
  }
  return copy;
}

/** Drops null, undefined, empty lists and empty objects; sorts keys and unordered lists. */
function canonical(value: unknown, key?: string): Json | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((item) => canonical(item)).filter((item): item is Json => item !== undefined);
    if (items.length === 0) return undefined;
    const id = key === undefined ? undefined : KEYED_LISTS[key];
    if (id) return [...items].sort((a, b) => compareText(identify(a, id), identify(b, id)));
    if (key !== undefined && SET_LISTS.has(key))
      return [...items].sort((a, b) => compareText(JSON.stringify(a), JSON.stringify(b)));
    return items;
  }
  if (typeof value === 'object') {
    const result: Record<string, Json> = {};
    for (const name of Object.keys(value as object).sort()) {
      const inner = canonical((value as Record<string, unknown>)[name], name);
      if (inner !== undefined) result[name] = inner;
    }
    return Object.keys(result).length === 0 ? undefined : result;
  }
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  return String(value);
}

function identify(item: Json, field: string): string {
  if (item && typeof item === 'object' && !Array.isArray(item)) {
    const id = item[field];
    if (typeof id === 'string') return id;
  }
  return JSON.stringify(item);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sameTaskDefinition(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return JSON.stringify(normaliseTaskDefinition(a)) === JSON.stringify(normaliseTaskDefinition(b));
}

export interface DefinitionChange {
  /** Where, with list items named rather than numbered: `containerDefinitions[web].image`. */
  path: string;
  before?: string;
  after?: string;
}

/** The differences between two definitions, after normalisation, leaf by leaf. */
export function diffTaskDefinitions(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): DefinitionChange[] {
  const left = flatten(normaliseTaskDefinition(before));
  const right = flatten(normaliseTaskDefinition(after));
  const changes: DefinitionChange[] = [];
  for (const path of [...new Set([...left.keys(), ...right.keys()])].sort()) {
    const a = left.get(path);
    const b = right.get(path);
    if (a !== b) changes.push({ path, before: hiddenIfNowSecret(path, a, right), after: b });
  }
  return changes;
}

/**
 * A plain environment value that a secret of the same name replaces is most likely that secret in clear: the diff
 * (in the log and the summary) says it went, not what it was.
 */
function hiddenIfNowSecret(path: string, before: string | undefined, after: Map<string, string>): string | undefined {
  const plain = /^(.*)\.environment\[([^\]]+)\]\.value$/.exec(path);
  if (before === undefined || !plain || !after.has(`${plain[1]}.secrets[${plain[2]}].valueFrom`)) return before;
  return '(hidden: now a secret)';
}

function flatten(value: Json, path = '', out = new Map<string, string>(), key?: string): Map<string, string> {
  if (Array.isArray(value)) {
    const id = key === undefined ? undefined : KEYED_LISTS[key];
    value.forEach((item, index) => {
      const label = id ? identify(item, id) : String(index);
      flatten(item, `${path}[${label}]`, out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [name, inner] of Object.entries(value)) flatten(inner, path ? `${path}.${name}` : name, out, name);
  } else {
    out.set(path, JSON.stringify(value));
  }
  return out;
}

/** A diff as text lines, `-`/`+` per changed value, for the plan summary and log. */
export function formatDiff(changes: DefinitionChange[]): string {
  if (changes.length === 0) return '(no change)';
  return changes
    .flatMap((change) => [
      ...(change.before !== undefined ? [`- ${change.path}: ${change.before}`] : []),
      ...(change.after !== undefined ? [`+ ${change.path}: ${change.after}`] : []),
    ])
    .join('\n');
}
