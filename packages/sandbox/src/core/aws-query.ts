// awsQuery wire format (RDS): form-encoded requests, XML answers and XML errors.
import type { WireAnswer } from './aws-json.js';

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

export function awsQueryResult(
  operation: string,
  result: unknown,
  options: { signingName: string; version?: string; requestId: string; listItemNames?: Record<string, string> },
): WireAnswer {
  const body =
    `<?xml version="1.0"?>\n<${operation}Response xmlns="${namespace(options.signingName, options.version)}">` +
    `<${operation}Result>${renderXml(result, options.listItemNames)}</${operation}Result>` +
    `<ResponseMetadata><RequestId>${options.requestId}</RequestId></ResponseMetadata></${operation}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': options.requestId }, body };
}

export function awsQueryError(
  code: string,
  message: string,
  status: number,
  options: { signingName: string; version?: string; requestId: string },
): WireAnswer {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  const body =
    `<?xml version="1.0"?>\n<ErrorResponse xmlns="${namespace(options.signingName, options.version)}">` +
    `<Error><Type>${type}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
    `<RequestId>${options.requestId}</RequestId></ErrorResponse>`;
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': options.requestId }, body };
}
