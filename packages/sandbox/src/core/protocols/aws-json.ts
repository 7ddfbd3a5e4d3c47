// awsJson1_1 (ECS, ECR, CloudWatch Logs) and awsJson1_0 (CloudWatch): `POST /` with
// `X-Amz-Target: <prefix>.<Operation>` and a JSON body; answers are JSON with timestamps as epoch seconds, errors
// carry `__type` and `x-amzn-ErrorType` (and, for a query-compatible service, `x-amzn-query-error: Code;Sender`).
import { randomUUID } from 'node:crypto';
import type { Answer, Call, Codec, DecodeEnvironment, Decoded, WireError } from '../dispatch.js';
import type { AwsJsonModule, SandboxRequest } from '../module.js';
import { checkSigV4 } from '../sigv4.js';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** Serialises a handler's result; every Date becomes epoch seconds (fractional), as AWS sends timestamps. */
export function toAwsJson(value: unknown): string {
  return JSON.stringify(value ?? {}, function (this: Record<string, unknown>, key: string, replaced: unknown) {
    // JSON.stringify has already called Date#toJSON on `replaced`; the holder still has the Date itself.
    const original = this[key];
    if (original instanceof Date) return original.getTime() / 1000;
    return replaced;
  });
}

/** How a module's answers are written: its awsJson version, and whether errors keep their awsQuery codes. */
interface Wire {
  jsonVersion?: '1.0' | '1.1';
  queryCompatible?: boolean;
}

export function awsJsonError(
  code: string,
  message: string,
  status: number,
  requestId: string,
  wire: Wire = {},
): Answer {
  const headers: Record<string, string> = {
    'content-type': contentType(wire),
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': code,
  };
  if (wire.queryCompatible) headers['x-amzn-query-error'] = `${code};${status >= 500 ? 'Receiver' : 'Sender'}`;
  return { status, headers, body: JSON.stringify({ __type: code, message }), errorCode: code };
}

export function awsJsonResult(result: unknown, requestId: string, wire: Wire = {}): Answer {
  return {
    status: 200,
    headers: { 'content-type': contentType(wire), 'x-amzn-requestid': requestId },
    body: toAwsJson(result),
  };
}

function contentType(wire: Wire): string {
  return wire.jsonVersion === '1.0' ? 'application/x-amz-json-1.0' : JSON_CONTENT_TYPE;
}

interface JsonCall extends Call {
  requestId: string;
  wire: Wire;
}

const codec: Codec = {
  protocol: 'json',
  result: (call, value) => awsJsonResult(value, (call as JsonCall).requestId, (call as JsonCall).wire),
  error: (call, e) => awsJsonError(e.code, e.message, e.status, (call as JsonCall).requestId, (call as JsonCall).wire),
  throttled: (call) =>
    awsJsonError('ThrottlingException', 'Rate exceeded', 400, (call as JsonCall).requestId, (call as JsonCall).wire),
  denied: (call, message) =>
    awsJsonError('AccessDeniedException', message, 400, (call as JsonCall).requestId, (call as JsonCall).wire),
};

export function isAwsJsonRequest(req: SandboxRequest): boolean {
  return req.headers['x-amz-target'] !== undefined;
}

/** Reads an awsJson request: its signature's shape, the module its target prefix names, the operation, the body. */
export function decodeAwsJson(req: SandboxRequest, env: DecodeEnvironment): Decoded {
  const requestId = randomUUID();
  const target = req.headers['x-amz-target'] ?? '';
  const dot = target.lastIndexOf('.');
  const prefix = dot > 0 ? target.slice(0, dot) : target;
  const operation = dot > 0 ? target.slice(dot + 1) : '';
  const mount = env.mounted.find((m) => m.module.protocol === 'json' && m.module.targetPrefix === prefix);
  const module = mount?.module as AwsJsonModule | undefined;
  const auth = checkSigV4(req.headers['authorization']);
  const call: JsonCall = {
    requestId,
    wire: { jsonVersion: module?.jsonVersion, queryCompatible: module?.queryCompatible },
    service: mount?.key ?? 'unknown',
    operation: operation || target,
    params: {},
    mutating: module?.mutating.has(operation) ?? false,
    region: auth.ok ? auth.scope.region : undefined,
    apiModel: module && (module.apiModel ?? module.signingName),
    invoke: () => Promise.reject(new Error('refused calls are never invoked')),
  };
  const refuse = (refusal: WireError): Decoded => ({ codec, call, refusal });

  if (!auth.ok) {
    // AWS's common errors: MissingAuthenticationToken is 403, IncompleteSignature 400.
    return auth.missing
      ? refuse({ code: 'MissingAuthenticationTokenException', message: auth.message, status: 403 })
      : refuse({ code: 'IncompleteSignatureException', message: auth.message, status: 400 });
  }
  const unknown = { code: 'UnknownOperationException', message: `Unknown operation ${target}`, status: 400 };
  if (!module || !operation) return refuse(unknown);
  if (auth.scope.service !== module.signingName) {
    const message = `Credential should be scoped to correct service: '${module.signingName}'. `;
    return refuse({ code: 'InvalidSignatureException', message, status: 400 });
  }
  try {
    call.params = req.body.length === 0 ? {} : JSON.parse(req.body.toString('utf8'));
  } catch {
    const message = 'Start of structure or map found where not expected.';
    return refuse({ code: 'SerializationException', message, status: 400 });
  }
  const handler = Object.hasOwn(module.handlers, operation) ? module.handlers[operation] : undefined;
  if (!handler) return refuse(unknown);
  call.scope = auth.scope;
  const context = env.context(auth.scope.region, requestId);
  call.invoke = async () => handler(call.params, context);
  return { codec, call };
}
