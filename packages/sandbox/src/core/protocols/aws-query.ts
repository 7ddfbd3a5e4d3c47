// awsQuery (RDS): form-encoded `Action=<Operation>&Version=...` routed by the SigV4 credential scope's service;
// XML answers `<OpResponse><OpResult>…` and XML errors `<ErrorResponse><Error><Type>Sender|Receiver</Type>…`.
import { randomUUID } from 'node:crypto';
import type { Answer, Call, Codec, DecodeEnvironment, Decoded } from '../dispatch.js';
import type { AwsQueryModule, SandboxRequest } from '../module.js';
import { checkSigV4 } from '../sigv4.js';

export function parseForm(body: Buffer): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params[key] = value;
  return params;
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function namespace(signingName: string, version: string | undefined): string {
  return `http://${signingName}.amazonaws.com/doc/${version ?? '2014-10-31'}/`;
}

/** Renders a plain object as the elements inside <OpResult>: arrays become <member> lists (or the configured name). */
export function renderXml(value: unknown, listItemNames: Record<string, string> = {}): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return escapeXml(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.map((item) => `<member>${renderXml(item, listItemNames)}</member>`).join('');
  let xml = '';
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (item === undefined || item === null) continue;
    if (Array.isArray(item)) {
      const itemName = listItemNames[key] ?? 'member';
      const members = item.map((entry) => `<${itemName}>${renderXml(entry, listItemNames)}</${itemName}>`).join('');
      xml += `<${key}>${members}</${key}>`;
    } else {
      xml += `<${key}>${renderXml(item, listItemNames)}</${key}>`;
    }
  }
  return xml;
}

interface QueryOptions {
  signingName: string;
  version?: string;
  requestId: string;
  listItemNames?: Record<string, string>;
}

export function awsQueryResult(operation: string, result: unknown, options: QueryOptions): Answer {
  const body =
    `<?xml version="1.0"?>\n<${operation}Response xmlns="${namespace(options.signingName, options.version)}">` +
    `<${operation}Result>${renderXml(result, options.listItemNames)}</${operation}Result>` +
    `<ResponseMetadata><RequestId>${options.requestId}</RequestId></ResponseMetadata></${operation}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': options.requestId }, body };
}

export function awsQueryError(code: string, message: string, status: number, options: QueryOptions): Answer {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  const body =
    `<?xml version="1.0"?>\n<ErrorResponse xmlns="${namespace(options.signingName, options.version)}">` +
    `<Error><Type>${type}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
    `<RequestId>${options.requestId}</RequestId></ErrorResponse>`;
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': options.requestId },
    body,
    errorCode: code,
  };
}

interface QueryCall extends Call {
  options: QueryOptions;
}

const codec: Codec = {
  protocol: 'query',
  result: (call, value) => awsQueryResult(call.operation, value, (call as QueryCall).options),
  error: (call, e) => awsQueryError(e.code, e.message, e.status, (call as QueryCall).options),
  throttled: (call) => awsQueryError('Throttling', 'Rate exceeded', 400, (call as QueryCall).options),
  denied: (call, message) => awsQueryError('AccessDenied', message, 403, (call as QueryCall).options),
};

export function isAwsQueryRequest(req: SandboxRequest): boolean {
  if (req.method !== 'POST' || req.url.pathname !== '/') return false;
  if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return false;
  return (req.headers['authorization'] ?? '').startsWith('AWS4-') || /(^|&)Action=/.test(req.body.toString('utf8'));
}

/** Reads an awsQuery request: the module is the one whose signing name the credential scope names. */
export function decodeAwsQuery(req: SandboxRequest, env: DecodeEnvironment): Decoded {
  const requestId = randomUUID();
  const { Action: operation = '', Version: version, ...params } = parseForm(req.body);
  const auth = checkSigV4(req.headers['authorization']);
  const signingName = auth.ok ? auth.scope.service : 'unknown';
  const mount = env.mounted.find((m) => m.module.protocol === 'query' && m.module.signingName === signingName);
  const module = mount?.module as AwsQueryModule | undefined;
  const call: QueryCall = {
    options: {
      signingName: module?.signingName ?? signingName,
      version,
      requestId,
      listItemNames: module?.xmlListItemName,
    },
    service: mount?.key ?? signingName,
    operation,
    params,
    mutating: module?.mutating.has(operation) ?? false,
    region: auth.ok ? auth.scope.region : undefined,
    apiModel: module && (module.apiModel ?? module.signingName),
    invoke: () => Promise.reject(new Error('refused calls are never invoked')),
  };
  if (!auth.ok) {
    const refusal = auth.missing
      ? { code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token', status: 403 }
      : { code: 'IncompleteSignature', message: auth.message, status: 400 };
    return { codec, call, refusal };
  }
  const handler = module && Object.hasOwn(module.handlers, operation) ? module.handlers[operation] : undefined;
  if (!handler) {
    const message = `Could not find operation ${operation} for version ${version ?? ''}`;
    return { codec, call, refusal: { code: 'InvalidAction', message, status: 400 } };
  }
  call.scope = auth.scope;
  const context = env.context(auth.scope.region, requestId);
  call.invoke = async () => handler(params, context);
  return { codec, call };
}
