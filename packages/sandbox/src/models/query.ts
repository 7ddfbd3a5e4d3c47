// The awsQuery protocol read back against a model: the XML answer (`<OpResponse><OpResult>…`), the XML error and the
// form-encoded request (`Tags.Tag.1.Key=…`) become plain values the validator walks. What cannot be read that way
// (an element the shape has no member for, text that is not a number) is reported where it is.
import { parseXML } from '@aws-sdk/xml-builder';
import type { ServiceModel } from './botocore.js';
import type { Violation } from './validate.js';

type Node = unknown;

/** The value inside `<OpResult>` of an answer, shaped like the output structure. */
export function readQueryAnswer(
  model: ServiceModel,
  operation: string,
  xml: string,
): { value: unknown; violations: Violation[] } {
  const violations: Violation[] = [];
  const root = parse(xml, violations);
  const response = root?.[`${operation}Response`] as Record<string, Node> | undefined;
  if (!response) {
    violations.push({ path: '(root)', message: `is not a <${operation}Response> element` });
    return { value: undefined, violations };
  }
  const output = model.operations[operation]?.output;
  const wrapper = output?.resultWrapper ?? `${operation}Result`;
  if (!output) return { value: undefined, violations };
  const result = response[wrapper];
  if (result === undefined) {
    violations.push({ path: '(root)', message: `has no <${wrapper}> element` });
    return { value: undefined, violations };
  }
  return { value: fromXml(model, output.shape, result, '', violations), violations };
}

/** The code of an XML error answer, and what is wrong with its envelope. */
export function readQueryError(xml: string): { code?: string; violations: Violation[] } {
  const violations: Violation[] = [];
  const error = (parse(xml, violations)?.ErrorResponse as Record<string, Node> | undefined)?.Error as
    Record<string, Node> | undefined;
  if (!error) {
    violations.push({ path: '(root)', message: 'is not <ErrorResponse><Error>…</Error></ErrorResponse>' });
    return { violations };
  }
  for (const element of ['Type', 'Code', 'Message']) {
    if (typeof error[element] !== 'string') violations.push({ path: `Error.${element}`, message: 'is missing' });
  }
  return { code: typeof error.Code === 'string' ? error.Code : undefined, violations };
}

function parse(xml: string, violations: Violation[]): Record<string, Node> | undefined {
  try {
    return parseXML(xml) as Record<string, Node>;
  } catch (error) {
    violations.push({ path: '(root)', message: `is not XML: ${(error as Error).message}` });
    return undefined;
  }
}

function fromXml(model: ServiceModel, shapeName: string, node: Node, path: string, out: Violation[]): unknown {
  const shape = model.shapes[shapeName];
  if (!shape) return node;
  const here = path || '(root)';
  switch (shape.type) {
    case 'structure': {
      if (node === '') return {};
      if (!isRecord(node)) {
        out.push({ path: here, message: `is text, not a ${shapeName} element` });
        return node;
      }
      const value: Record<string, unknown> = {};
      const byElement = new Map(
        Object.entries(shape.members ?? {}).map(([name, ref]) => {
          const target = model.shapes[ref.shape];
          const flattenedList = target?.type === 'list' && (ref.flattened || target.flattened);
          const element = ref.locationName ?? (flattenedList ? (target.member?.locationName ?? name) : name);
          return [element, name] as const;
        }),
      );
      for (const [element, child] of Object.entries(node)) {
        if (element === 'xmlns') continue;
        const name = byElement.get(element);
        // An element the structure has no member for keeps its XML name, so the validator names it.
        value[name ?? element] = name
          ? fromXml(model, shape.members![name]!.shape, child, join(path, name), out)
          : child;
      }
      return value;
    }
    case 'list': {
      if (node === '') return [];
      const itemName = shape.member?.locationName ?? 'member';
      let items: Node;
      if (shape.flattened) items = node;
      else if (isRecord(node)) {
        for (const key of Object.keys(node)) {
          if (key !== itemName) out.push({ path: here, message: `holds <${key}>, not <${itemName}> list items` });
        }
        items = node[itemName] ?? [];
      } else {
        out.push({ path: here, message: `is text, not a list of <${itemName}>` });
        return node;
      }
      const list = Array.isArray(items) ? items : [items];
      return list.map((item, i) => fromXml(model, shape.member!.shape, item, `${path}[${i}]`, out));
    }
    case 'map': {
      if (node === '') return {};
      const entries = isRecord(node) ? node.entry : undefined;
      const list = entries === undefined ? [] : Array.isArray(entries) ? entries : [entries];
      const value: Record<string, unknown> = {};
      for (const entry of list) {
        if (!isRecord(entry)) continue;
        value[String(entry.key)] = fromXml(
          model,
          shape.value!.shape,
          entry.value,
          `${path}[${String(entry.key)}]`,
          out,
        );
      }
      return value;
    }
    default:
      return scalar(shape.type, node);
  }
}

/** Reads a request's form parameters into the input structure; parameters the structure has no member for are
 *  violations. */
export function readQueryRequest(
  model: ServiceModel,
  shapeName: string,
  params: Record<string, string>,
): { value: unknown; violations: Violation[] } {
  const violations: Violation[] = [];
  const used = new Set<string>();
  const value = fromForm(model, shapeName, params, '', used, '', violations);
  for (const key of Object.keys(params)) {
    if (!used.has(key)) violations.push({ path: key, message: `is not a parameter of ${shapeName}` });
  }
  return { value, violations };
}

function fromForm(
  model: ServiceModel,
  shapeName: string,
  params: Record<string, string>,
  key: string,
  used: Set<string>,
  path: string,
  out: Violation[],
): unknown {
  const shape = model.shapes[shapeName];
  if (!shape) return undefined;
  const present = (prefix: string) => Object.keys(params).some((k) => k === prefix || k.startsWith(`${prefix}.`));
  switch (shape.type) {
    case 'structure': {
      const value: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const memberKey = `${key ? `${key}.` : ''}${ref.locationName ?? name}`;
        if (!present(memberKey)) continue;
        value[name] = fromForm(model, ref.shape, params, memberKey, used, join(path, name), out);
      }
      return value;
    }
    case 'list': {
      if (params[key] === '') {
        used.add(key);
        return [];
      }
      const base = shape.flattened ? key : `${key}.${shape.member?.locationName ?? 'member'}`;
      const items: unknown[] = [];
      for (let n = 1; present(`${base}.${n}`); n++) {
        items.push(fromForm(model, shape.member!.shape, params, `${base}.${n}`, used, `${path}[${n - 1}]`, out));
      }
      return items;
    }
    case 'map': {
      const value: Record<string, unknown> = {};
      const base = shape.flattened ? key : `${key}.entry`;
      for (let n = 1; present(`${base}.${n}`); n++) {
        const entryKey = params[`${base}.${n}.key`];
        used.add(`${base}.${n}.key`);
        value[entryKey ?? ''] = fromForm(model, shape.value!.shape, params, `${base}.${n}.value`, used, path, out);
      }
      return value;
    }
    default: {
      if (!(key in params)) return undefined;
      used.add(key);
      return scalar(shape.type, params[key]!);
    }
  }
}

/** Text of an XML element or a form parameter, as the value its type names; text that is not one stays text, for the
 *  validator to report. */
function scalar(type: string, node: Node): unknown {
  if (typeof node !== 'string') return node;
  if ((type === 'integer' || type === 'long') && /^-?\d+$/.test(node)) return Number(node);
  if ((type === 'double' || type === 'float') && node.trim() !== '' && Number.isFinite(Number(node)))
    return Number(node);
  if (type === 'boolean' && (node === 'true' || node === 'false')) return node === 'true';
  return node;
}

function isRecord(node: Node): node is Record<string, Node> {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}
