// Plain HTTP modules (GitHub REST, Slack webhooks, the services' own endpoints): the first module whose `describe`
// claims a request answers it; its answer is buffered so the pipeline can record it and send it once.
import type { Answer, Call, Codec, DecodeEnvironment, Decoded, WireError } from '../dispatch.js';
import type { HttpModule, SandboxRequest, SandboxResponse } from '../module.js';
import { redactString } from '../redact.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** An HTTP module's answer, as it gave it. */
interface HttpReply {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

interface HttpCall extends Call {
  module?: HttpModule;
}

/** Renders an answer body the way modules give them: a Buffer or text as is, anything else as JSON. */
export function httpAnswer(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  let payload: string | Buffer;
  if (body === undefined || body === null) payload = '';
  else if (Buffer.isBuffer(body)) payload = body;
  else if (typeof body === 'string') {
    payload = body;
    lower['content-type'] ??= 'text/plain; charset=utf-8';
  } else {
    payload = JSON.stringify(body);
    lower['content-type'] ??= JSON_TYPE;
  }
  return { status, headers: lower, body: payload, errorCode: status >= 400 ? errorCodeOf(body) : undefined };
}

function errorCodeOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body.slice(0, 100);
  if (body && typeof body === 'object' && 'message' in body) return String((body as { message: unknown }).message);
  return undefined;
}

const codec: Codec = {
  protocol: 'http',
  result(_call, value) {
    const reply = value as HttpReply | undefined;
    // A module that answered nothing: as a server that has nothing to say.
    return reply ? httpAnswer(reply.status, reply.body, reply.headers) : httpAnswer(204, undefined);
  },
  error: (_call, e: WireError) => ({ ...httpAnswer(e.status, { message: e.message }), errorCode: e.code }),
  throttled(call) {
    const custom = (call as HttpCall).module?.throttled?.();
    if (custom) return { ...httpAnswer(custom.status, custom.body, custom.headers), errorCode: custom.errorCode };
    return { ...httpAnswer(429, { message: 'Too many requests' }, { 'retry-after': '1' }), errorCode: 'Throttled' };
  },
  denied: (_call, message) => ({ ...httpAnswer(403, { message }), errorCode: 'AccessDenied' }),
};

/** Finds the module that claims the request; without one, a 404 the recorder keeps under service `unknown`. */
export function decodeHttp(req: SandboxRequest, env: DecodeEnvironment): Decoded {
  for (const { key, module } of env.mounted) {
    if (module.protocol !== 'http') continue;
    const info = module.describe(req);
    if (!info) continue;
    const call: HttpCall = {
      module,
      service: key,
      operation: info.operation,
      params: info.params,
      mutating: info.mutating,
      async invoke() {
        let reply: HttpReply | undefined;
        const res: SandboxResponse = {
          send(status, body, headers = {}) {
            if (reply) throw new Error('A sandbox response was sent twice');
            reply = { status, body, headers };
          },
        };
        await module.handle(req, res);
        return reply;
      },
    };
    return { codec, call };
  }
  const call: Call = {
    service: 'unknown',
    operation: `${req.method} ${redactString(req.url.pathname)}`,
    params: undefined,
    mutating: false,
    invoke: () => Promise.reject(new Error('refused calls are never invoked')),
  };
  return { codec, call, refusal: { code: 'Not Found', message: 'Not Found', status: 404 } };
}
