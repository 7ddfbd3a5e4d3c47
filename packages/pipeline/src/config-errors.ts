/**
 * What is wrong with a release config, said so that it can be fixed without opening the schema: a key given twice
 * is named by its path with both lines, an unknown key comes with the closest key the place takes, and every other
 * problem is the key's path and the rule it breaks (the rules word their own refusals).
 */
import { closestName } from '@ecs-ship/action-kit';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type * as z from 'zod';

/**
 * The YAML text as a value, or the first problem with it (a syntax error, or a key given twice), worded to follow
 * the file's name: "ecs-release.yml gives environments.staging.deploy.timeout-minutes twice (lines 8 and 9)".
 */
export function readYaml(text: string): { value: unknown } | { problem: string; fix: string } {
  const lineCounter = new LineCounter();
  // Duplicate keys are found below, where their path can be named; the parser would only give a position.
  const document = parseDocument(text, { uniqueKeys: false, lineCounter });
  const syntax = document.errors[0];
  if (syntax) {
    return {
      problem: `it is not valid YAML: ${syntax.message.split('\n')[0]!.replace(/:\s*$/, '')}`,
      fix: 'Fix the YAML syntax there',
    };
  }
  const duplicate = firstDuplicateKey(document.contents, [], lineCounter);
  if (duplicate) {
    return {
      problem: `gives ${duplicate.path.join('.')} twice (lines ${duplicate.lines.join(' and ')})`,
      fix: 'Remove one of them',
    };
  }
  return { value: document.toJS() };
}

function firstDuplicateKey(
  node: Node | null | undefined,
  path: (string | number)[],
  lines: LineCounter,
): { path: (string | number)[]; lines: number[] } | undefined {
  if (isMap(node)) {
    const seen = new Map<string, number>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const line = lines.linePos((pair.key as Node | null)?.range?.[0] ?? 0).line;
      const first = seen.get(key);
      if (first !== undefined) return { path: [...path, key], lines: [first, line] };
      seen.set(key, line);
    }
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const found = firstDuplicateKey(pair.value as Node | null, [...path, key], lines);
      if (found) return found;
    }
  } else if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      const found = firstDuplicateKey(item as Node | null, [...path, index], lines);
      if (found) return found;
    }
  }
  return undefined;
}

type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

/**
 * One issue as `key.path: message`. For a key that takes one of several shapes (a service as a name or a mapping),
 * the problem is the one of the shape the value has; an unknown key names the closest key the place takes.
 */
export function describeIssue(issue: z.core.$ZodIssue, schema: JsonSchema): string {
  if (issue.code === 'invalid_union') {
    const meant = issue.errors.find((errors) => !errors.some((e) => e.code === 'invalid_type' && e.path.length === 0));
    if (meant?.[0]) return describeIssue({ ...meant[0], path: [...issue.path, ...meant[0].path] }, schema);
  }
  const where = issue.path.join('.') || '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(schema, issue.path);
    const unknown = issue.keys.map((key) => {
      const closest = closestName(key, known);
      return `"${key}" is not a key here${closest ? ` (did you mean "${closest}"?)` : ''}`;
    });
    return `${where}: ${unknown.join('; ')}`;
  }
  return `${where}: ${issue.message}`;
}

/** The keys the config takes at `path`, read from its JSON schema. */
export function knownKeys(schema: JsonSchema, path: readonly PropertyKey[]): string[] {
  let nodes = alternatives(schema);
  for (const key of path) {
    nodes = nodes
      .flatMap((node) => {
        if (typeof key === 'number') return node.items ? [node.items] : [];
        const named = node.properties?.[String(key)];
        if (named) return [named];
        return typeof node.additionalProperties === 'object' ? [node.additionalProperties] : [];
      })
      .flatMap(alternatives);
  }
  return [...new Set(nodes.flatMap((node) => Object.keys(node.properties ?? {})))];
}

function alternatives(node: JsonSchema): JsonSchema[] {
  const options = [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])];
  return options.length > 0 ? [node, ...options.flatMap(alternatives)] : [node];
}
