// Checks awsQuery exchanges (RDS) against AWS's own API model, botocore's service-2.json, which nobody here wrote:
// every request parameter must be a member of the operation's input shape with a value of its type, every required
// member present; every answer element a member of the output shape (lists under the model's element names),
// every scalar of its type and enum; every error code one the operation or the protocol declares.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

interface ShapeRef {
  shape: string;
  locationName?: string;
}
interface Shape {
  type: string;
  members?: Record<string, ShapeRef>;
  member?: ShapeRef;
  required?: string[];
  enum?: string[];
  flattened?: boolean;
  error?: { code?: string };
}
export interface ApiModel {
  operations: Record<string, { input?: ShapeRef; output?: ShapeRef & { resultWrapper?: string }; errors?: ShapeRef[] }>;
  shapes: Record<string, Shape>;
}

/** botocore's model of a service (`rds`, version `2014-10-31`), from the botocore the AWS CLI is installed with. */
export function botocoreModel(service: string, version: string): ApiModel {
  const root = execFileSync('python3', ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], {
    encoding: 'utf8',
  }).trim();
  const file = join(root, 'data', service, version, 'service-2.json.gz');
  return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as ApiModel;
}

/** Errors any awsQuery operation may answer (AWS's common errors), beyond those each operation lists. */
const COMMON_ERRORS = new Set([
  'AccessDenied',
  'IncompleteSignature',
  'InternalFailure',
  'InvalidAction',
  'InvalidParameterCombination',
  'InvalidParameterValue',
  'MissingAuthenticationToken',
  'MissingParameter',
  'ServiceUnavailable',
  'Throttling',
]);

export function checkRequest(model: ApiModel, operation: string, params: Record<string, string>): string[] {
  const op = model.operations[operation];
  if (!op) return [`${operation} is not an operation of the model`];
  const problems: string[] = [];
  const input = op.input ? model.shapes[op.input.shape]! : { type: 'structure', members: {} };
  for (const required of input.required ?? []) {
    if (!Object.keys(params).some((key) => key === required || key.startsWith(`${required}.`))) {
      problems.push(`${operation}: required parameter ${required} is missing`);
    }
  }
  for (const [key, value] of Object.entries(params)) {
    const problem = checkParameter(model, input, key.split('.'), value);
    if (problem) problems.push(`${operation}: parameter ${key}=${JSON.stringify(value)}: ${problem}`);
  }
  return problems;
}

function checkParameter(model: ApiModel, shape: Shape, path: string[], value: string): string | undefined {
  if (path.length === 0) return checkScalar(shape, value);
  const [head, ...rest] = path as [string, ...string[]];
  if (shape.type === 'structure') {
    const member = Object.entries(shape.members ?? {}).find(([name, ref]) => (ref.locationName ?? name) === head);
    if (!member) return `${head} is not a member`;
    return checkParameter(model, model.shapes[member[1].shape]!, rest, value);
  }
  if (shape.type === 'list') {
    const item = shape.member!.locationName ?? 'member';
    const [index, ...after] = rest;
    if (head !== item) return `list items are named ${item}, not ${head}`;
    if (!index || !/^[1-9]\d*$/.test(index)) return `list index ${index} is not 1, 2, …`;
    return checkParameter(model, model.shapes[shape.member!.shape]!, after, value);
  }
  return `${shape.type} has no member ${head}`;
}

function checkScalar(shape: Shape, text: string): string | undefined {
  switch (shape.type) {
    case 'string':
      return shape.enum && !shape.enum.includes(text) ? `not one of ${shape.enum.join(', ')}` : undefined;
    case 'integer':
    case 'long':
      return /^-?\d+$/.test(text) ? undefined : 'not an integer';
    case 'double':
    case 'float':
      return Number.isFinite(Number(text)) ? undefined : 'not a number';
    case 'boolean':
      return text === 'true' || text === 'false' ? undefined : 'not true or false';
    case 'timestamp':
      return Number.isNaN(Date.parse(text)) ? 'not an ISO 8601 time' : undefined;
    default:
      return `a ${shape.type} cannot hold text`;
  }
}

interface Element {
  name: string;
  children: Element[];
  text: string;
}

/** A small XML reader for AWS's answers: elements, text and entities; attributes are skipped. */
export function parseXml(xml: string): Element {
  const root: Element = { name: '#root', children: [], text: '' };
  const stack = [root];
  const pattern = /<\?[^>]*\?>|<(\/?)([A-Za-z_][\w.-]*)([^>]*?)(\/?)>|([^<]+)/g;
  for (const match of xml.matchAll(pattern)) {
    const [whole, closing, name, , selfClosing, text] = match;
    if (whole.startsWith('<?')) continue;
    const top = stack.at(-1)!;
    if (text !== undefined) {
      top.text += text.replace(/&lt;|&gt;|&quot;|&apos;|&amp;/g, (e) => ENTITIES[e]!);
    } else if (closing) {
      if (top.name !== name) throw new Error(`XML: </${name}> closes <${top.name}>`);
      stack.pop();
    } else {
      const element: Element = { name: name!, children: [], text: '' };
      top.children.push(element);
      if (!selfClosing) stack.push(element);
    }
  }
  if (stack.length !== 1) throw new Error(`XML: <${stack.at(-1)!.name}> is never closed`);
  return root.children[0]!;
}
const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&amp;': '&' };

export function checkAnswer(model: ApiModel, operation: string, status: number, body: string): string[] {
  const op = model.operations[operation];
  if (!op) return [`${operation} is not an operation of the model`];
  const root = parseXml(body);
  if (status >= 400) {
    const code = root.children.find((c) => c.name === 'Error')?.children.find((c) => c.name === 'Code')?.text;
    const declared = (op.errors ?? []).map((ref) => model.shapes[ref.shape]!.error?.code ?? ref.shape);
    return code && (declared.includes(code) || COMMON_ERRORS.has(code))
      ? []
      : [`${operation}: error code ${code} is neither declared by the operation nor common`];
  }
  if (root.name !== `${operation}Response`) return [`${operation}: the answer is <${root.name}>`];
  if (!op.output) return [];
  const wrapper = op.output.resultWrapper ?? `${operation}Result`;
  const result = root.children.find((c) => c.name === wrapper);
  if (!result) return [`${operation}: no <${wrapper}>`];
  const problems: string[] = [];
  checkElement(model, model.shapes[op.output.shape]!, result, `${operation}`, problems);
  return problems;
}

function checkElement(model: ApiModel, shape: Shape, element: Element, at: string, problems: string[]): void {
  if (shape.type === 'structure') {
    for (const child of element.children) {
      const member = Object.entries(shape.members ?? {}).find(
        ([name, ref]) => (ref.locationName ?? name) === child.name,
      );
      if (!member) {
        problems.push(`${at}: <${child.name}> is not a member`);
        continue;
      }
      checkElement(model, model.shapes[member[1].shape]!, child, `${at}.${child.name}`, problems);
    }
    return;
  }
  if (shape.type === 'list') {
    const item = shape.member!.locationName ?? 'member';
    element.children.forEach((child, index) => {
      if (child.name !== item) problems.push(`${at}: list item <${child.name}> should be <${item}>`);
      else checkElement(model, model.shapes[shape.member!.shape]!, child, `${at}[${index}]`, problems);
    });
    return;
  }
  if (element.children.length > 0) {
    problems.push(`${at}: a ${shape.type} holds elements`);
    return;
  }
  const problem = checkScalar(shape, element.text);
  if (problem) problems.push(`${at}: ${JSON.stringify(element.text)} is ${problem}`);
}
