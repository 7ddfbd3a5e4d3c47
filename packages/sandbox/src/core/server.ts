// The sandbox's single HTTP server: routes AWS (awsJson1_1 and awsQuery) calls, plain HTTP modules and the
// /_sandbox control endpoints; applies faults before handlers and records every call.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { awsJsonError, awsJsonResult, type WireAnswer } from './aws-json.js';
import { awsQueryError, awsQueryResult, parseForm } from './aws-query.js';
import { createClock, type ManagedClock } from './clock.js';
import type { DescribedHttpModule, HttpOperation, ModuleExtras, SandboxSecret } from './extensions.js';
import { FaultInjector, type FaultDecision } from './faults.js';
import { IamEnforcer } from './iam.js';
import {
  AwsError,
  type AwsJsonModule,
  type AwsQueryModule,
  type CallContext,
  type HttpModule,
  type SandboxRequest,
  type SandboxResponse,
  type ServiceDefinition,
} from './module.js';
import { Recorder, type CallFilter } from './recorder.js';
import { redactString } from './redact.js';
import { loadScenario, type LoadedScenario, type ScenarioSource } from './scenario.js';
import { checkSigV4, type CredentialScope } from './sigv4.js';

type AnyModule = (AwsJsonModule | AwsQueryModule | HttpModule) & ModuleExtras & { state?: unknown };

interface Mounted {
  key: string;
  module: AnyModule;
}

/** Dummy credentials: clients must sign, and the sandbox never checks the signature. */
export const SANDBOX_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const SANDBOX_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

/** Longest body the sandbox accepts; far above anything the suite sends (ECR manifests are the largest). */
const MAX_BODY_BYTES = 20 * 1024 * 1024;

export class SandboxServer {
  readonly recorder = new Recorder();
  readonly faults = new FaultInjector();
  /** Access keys bound to policies; replaced by each load(). */
  iam = new IamEnforcer();
  private readonly server: Server;
  private mounted: Mounted[] = [];
  private scenario!: LoadedScenario;
  private clock: ManagedClock = createClock(1);
  private baseUrl = '';

  constructor(private readonly services: readonly ServiceDefinition<any>[]) {
    this.server = createServer((req, res) => {
      this.onRequest(req, res).catch((error: unknown) => {
        process.stderr.write(`sandbox: ${(error as Error).stack ?? String(error)}\n`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('sandbox internal error');
      });
    });
    // Clients keep connections alive between polls (AWS keeps them about a minute); closing them sooner would
    // make clients see resets that no fault asked for. stop() closes every connection anyway.
    this.server.keepAliveTimeout = 65_000;
  }

  get url(): string {
    return this.baseUrl;
  }

  get current(): LoadedScenario {
    return this.scenario;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    this.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    this.clock.clearTimers();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Replaces every module's state with a fresh one built from the scenario; clears the recorder and faults.
   *  A scenario that fails to load changes nothing. */
  load(source: ScenarioSource | undefined): LoadedScenario {
    const scenario = loadScenario(source, this.services);
    const clock = createClock(scenario.timeScale);
    let mounted: Mounted[];
    let iam: IamEnforcer;
    try {
      iam = IamEnforcer.fromScenario(scenario.iam);
      mounted = this.createModules(scenario, clock);
    } catch (error) {
      clock.clearTimers();
      throw error;
    }
    this.clock.clearTimers();
    this.clock = clock;
    this.scenario = scenario;
    this.mounted = mounted;
    this.iam = iam;
    this.recorder.clear();
    this.faults.clear();
    this.faults.inject(...scenario.faults);
    return scenario;
  }

  /** A module's state, for assertions (and for modules that feed each other, e.g. ECS writing task logs). */
  state<T = unknown>(key: string): T {
    const found = this.mounted.find((m) => m.key === key);
    if (!found) throw new Error(`The sandbox has no "${key}" module (known: ${this.keys().join(', ')})`);
    return found.module.state as T;
  }

  keys(): string[] {
    return this.mounted.map((m) => m.key);
  }

  /** The variables that point the AWS SDK and CLI, Octokit and the Slack client at this sandbox. */
  env(): Record<string, string> {
    const env: Record<string, string> = {
      AWS_ENDPOINT_URL: this.baseUrl,
      AWS_REGION: this.scenario.region,
      AWS_DEFAULT_REGION: this.scenario.region,
      AWS_ACCESS_KEY_ID: SANDBOX_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: SANDBOX_SECRET_ACCESS_KEY,
      // No instance metadata lookups: the sandbox is the only AWS there is.
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    for (const { module } of this.mounted) Object.assign(env, module.env?.() ?? {});
    return env;
  }

  /** Every secret the sandbox hands to clients right now: the AWS secret key and each module's own. */
  secrets(): SandboxSecret[] {
    const secrets: SandboxSecret[] = [{ name: 'AWS secret access key', value: SANDBOX_SECRET_ACCESS_KEY }];
    for (const { module } of this.mounted) secrets.push(...(module.secrets?.() ?? []));
    return secrets;
  }

  private createModules(scenario: LoadedScenario, clock: ManagedClock): Mounted[] {
    const built = new Map<string, AnyModule>();
    const building = new Set<string>();
    const byKey = new Map(this.services.map((s) => [s.key, s]));
    const build = (key: string): AnyModule => {
      const existing = built.get(key);
      if (existing) return existing;
      const definition = byKey.get(key);
      if (!definition) throw new Error(`No sandbox module "${key}"`);
      if (building.has(key)) throw new Error(`Sandbox modules depend on each other in a cycle through "${key}"`);
      building.add(key);
      const module = definition.create(scenario.sections[key], {
        clock,
        accountId: scenario.accountId,
        defaultRegion: scenario.region,
        baseUrl: this.baseUrl,
        get: <T>(other: string) => build(other).state as T,
      }) as AnyModule;
      building.delete(key);
      built.set(key, module);
      return module;
    };
    return this.services.map((s) => ({ key: s.key, module: build(s.key) }));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = Date.now();
    const body = await readBody(req);
    if (body === undefined) {
      res.writeHead(413, { 'content-type': 'text/plain' }).end('Request body too large');
      return;
    }
    const url = new URL(req.url ?? '/', this.baseUrl || 'http://127.0.0.1');
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers))
      headers[name] = Array.isArray(value) ? value.join(', ') : value;

    if (url.pathname.startsWith('/_sandbox/')) return this.control(req.method ?? 'GET', url, body, res);
    if (headers['x-amz-target'] !== undefined) return this.awsJson(headers, body, req, res, arrived);
    if (url.pathname === '/' && isQueryRequest(req.method, headers, body)) {
      return this.awsQuery(headers, body, req, res, arrived);
    }
    return this.http(req, res, arrived, {
      method: req.method ?? 'GET',
      url,
      headers,
      body,
      json: () => parseJson(body),
    });
  }

  private context(region: string, requestId: string): CallContext {
    return { region, accountId: this.scenario.accountId, requestId, clock: this.clock, baseUrl: this.baseUrl };
  }

  private async awsJson(
    headers: Record<string, string | undefined>,
    body: Buffer,
    req: IncomingMessage,
    res: ServerResponse,
    arrived: number,
  ): Promise<void> {
    const requestId = randomUUID();
    const target = headers['x-amz-target'] ?? '';
    const dot = target.lastIndexOf('.');
    const prefix = dot > 0 ? target.slice(0, dot) : target;
    const operation = dot > 0 ? target.slice(dot + 1) : '';
    const mount = this.mounted.find((m) => m.module.protocol === 'json' && m.module.targetPrefix === prefix);
    const module = mount?.module as AwsJsonModule | undefined;
    const service = mount?.key ?? 'unknown';
    let input: unknown = {};
    const record = (status: number, extra: { errorCode?: string; fault?: string; region?: string }) =>
      this.recorder.record({
        at: arrived,
        service,
        operation: operation || target,
        params: input,
        status,
        mutating: module?.mutating.has(operation) ?? false,
        ...extra,
      });
    const answer = (wire: WireAnswer, region?: string, fault?: string) => {
      const errorCode = wire.status >= 400 ? wire.headers['x-amzn-errortype'] : undefined;
      record(wire.status, { errorCode, fault, region });
      send(res, wire);
    };

    const auth = checkSigV4(headers['authorization']);
    if (!auth.ok) {
      // AWS's common errors: MissingAuthenticationToken is 403, IncompleteSignature 400.
      const code = auth.missing ? 'MissingAuthenticationTokenException' : 'IncompleteSignatureException';
      return answer(awsJsonError(code, auth.message, auth.missing ? 403 : 400, requestId));
    }
    const { region } = auth.scope;
    if (!module || !operation) {
      return answer(awsJsonError('UnknownOperationException', `Unknown operation ${target}`, 400, requestId), region);
    }
    if (auth.scope.service !== module.signingName) {
      const message = `Credential should be scoped to correct service: '${module.signingName}'. `;
      return answer(awsJsonError('InvalidSignatureException', message, 400, requestId), region);
    }
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      return answer(
        awsJsonError('SerializationException', 'Start of structure or map found where not expected.', 400, requestId),
        region,
      );
    }
    const handler = Object.hasOwn(module.handlers, operation) ? module.handlers[operation] : undefined;
    if (!handler) {
      return answer(awsJsonError('UnknownOperationException', `Unknown operation ${target}`, 400, requestId), region);
    }
    const denied = this.authorize(auth.scope, operation, input);
    if (denied) return answer(awsJsonError('AccessDeniedException', denied.message, 400, requestId), region);
    const decision = await this.applyFaults(service, operation);
    const lost = lostAnswer(decision);
    if (lost) {
      await settle(() => handler(input, this.context(region, requestId)));
      if (lost.kind === 'reset')
        return this.reset(req, () => record(0, { errorCode: 'ConnectionReset', fault: lost.fault, region }));
      return answer(awsJsonError(lost.code, lost.message, lost.status, requestId), region, lost.fault);
    }
    if (decision.outcome?.kind === 'reset')
      return this.reset(req, () => record(0, { errorCode: 'ConnectionReset', fault: 'reset', region }));
    if (decision.outcome?.kind === 'throttle') {
      return answer(
        awsJsonError('ThrottlingException', 'Rate exceeded', 400, requestId),
        region,
        decision.outcome.fault,
      );
    }
    if (decision.outcome?.kind === 'error') {
      const { code, message, status, fault } = decision.outcome;
      return answer(awsJsonError(code, message, status, requestId), region, fault);
    }
    try {
      const result = await handler(input, this.context(region, requestId));
      answer(awsJsonResult(result, requestId), region);
    } catch (error) {
      if (error instanceof AwsError)
        return answer(awsJsonError(error.code, error.message, error.status, requestId), region);
      process.stderr.write(`sandbox: ${service}.${operation} failed: ${(error as Error).stack ?? String(error)}\n`);
      answer(
        awsJsonError(
          'InternalFailure',
          'The request processing has failed because of an unknown error.',
          500,
          requestId,
        ),
        region,
      );
    }
  }

  private async awsQuery(
    headers: Record<string, string | undefined>,
    body: Buffer,
    req: IncomingMessage,
    res: ServerResponse,
    arrived: number,
  ): Promise<void> {
    const requestId = randomUUID();
    const form = parseForm(body);
    const { Action: operation = '', Version: version, ...params } = form;
    const auth = checkSigV4(headers['authorization']);
    const signingName = auth.ok ? auth.scope.service : 'unknown';
    const mount = this.mounted.find((m) => m.module.protocol === 'query' && m.module.signingName === signingName);
    const module = mount?.module as AwsQueryModule | undefined;
    const service = mount?.key ?? signingName;
    const options = { signingName: module?.signingName ?? signingName, version, requestId };
    const answer = (wire: WireAnswer, errorCode?: string, fault?: string) => {
      this.recorder.record({
        at: arrived,
        service,
        operation,
        params,
        status: wire.status,
        errorCode,
        fault,
        mutating: module?.mutating.has(operation) ?? false,
        region: auth.ok ? auth.scope.region : undefined,
      });
      send(res, wire);
    };
    const fail = (code: string, message: string, status: number, fault?: string) =>
      answer(awsQueryError(code, message, status, options), code, fault);

    if (!auth.ok) {
      return auth.missing
        ? fail('MissingAuthenticationToken', 'Request is missing Authentication Token', 403)
        : fail('IncompleteSignature', auth.message, 400);
    }
    const handler = module && Object.hasOwn(module.handlers, operation) ? module.handlers[operation] : undefined;
    if (!module || !handler) {
      return fail('InvalidAction', `Could not find operation ${operation} for version ${version ?? ''}`, 400);
    }
    const denied = this.authorize(auth.scope, operation, params);
    if (denied) return fail('AccessDenied', denied.message, 403);
    const decision = await this.applyFaults(service, operation);
    const lost = lostAnswer(decision);
    if (lost) await settle(() => handler(params, this.context(auth.scope.region, requestId)));
    if (lost?.kind === 'error') return fail(lost.code, lost.message, lost.status, lost.fault);
    if (decision.outcome?.kind === 'reset') {
      return this.reset(req, () =>
        this.recorder.record({
          at: arrived,
          service,
          operation,
          params,
          status: 0,
          errorCode: 'ConnectionReset',
          fault: decision.outcome?.kind === 'reset' ? decision.outcome.fault : 'reset',
          mutating: module.mutating.has(operation),
          region: auth.scope.region,
        }),
      );
    }
    if (decision.outcome?.kind === 'throttle') return fail('Throttling', 'Rate exceeded', 400, decision.outcome.fault);
    if (decision.outcome?.kind === 'error') {
      const { code, message, status, fault } = decision.outcome;
      return fail(code, message, status, fault);
    }
    try {
      const result = await handler(params, this.context(auth.scope.region, requestId));
      answer(awsQueryResult(operation, result, { ...options, listItemNames: module.xmlListItemName }));
    } catch (error) {
      if (error instanceof AwsError) return fail(error.code, error.message, error.status);
      process.stderr.write(`sandbox: ${service}.${operation} failed: ${(error as Error).stack ?? String(error)}\n`);
      fail('InternalFailure', 'The request processing has failed because of an unknown error.', 500);
    }
  }

  private async http(
    req: IncomingMessage,
    res: ServerResponse,
    arrived: number,
    request: SandboxRequest,
  ): Promise<void> {
    for (const { key, module } of this.mounted) {
      if (module.protocol !== 'http') continue;
      const described = module as DescribedHttpModule;
      let info: HttpOperation | undefined;
      if (described.describe) {
        info = described.describe(request);
        if (!info) continue;
      }
      const operation = info?.operation ?? `${request.method} ${redactString(request.url.pathname)}`;
      const mutating = info?.mutating ?? !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
      const params = info ? info.params : undefined;
      const reply = new RecordingResponse(res);
      const record = (status: number, errorCode?: string, fault?: string) =>
        this.recorder.record({ at: arrived, service: key, operation, params, status, errorCode, mutating, fault });

      if (info) {
        const decision = await this.applyFaults(key, operation);
        const lost = lostAnswer(decision);
        if (lost) {
          // The module acts on the request; its answer goes nowhere.
          await settle(() => module.handle(request, { send: () => undefined }));
          if (lost.kind === 'reset') return this.reset(req, () => record(0, 'ConnectionReset', lost.fault));
          reply.send(lost.status, { message: lost.message });
          return void record(lost.status, lost.code, lost.fault);
        }
        if (decision.outcome?.kind === 'reset') return this.reset(req, () => record(0, 'ConnectionReset', 'reset'));
        if (decision.outcome?.kind === 'throttle') {
          const throttled = described.throttled?.() ?? {
            status: 429,
            body: { message: 'Too many requests' },
            headers: { 'retry-after': '1' },
            errorCode: 'Throttled',
          };
          reply.send(throttled.status, throttled.body, throttled.headers);
          return void record(throttled.status, throttled.errorCode, decision.outcome.fault);
        }
        if (decision.outcome?.kind === 'error') {
          reply.send(decision.outcome.status, { message: decision.outcome.message });
          return void record(decision.outcome.status, decision.outcome.code, 'error');
        }
      }
      let handled: boolean;
      try {
        handled = await module.handle(request, reply);
      } catch (error) {
        process.stderr.write(`sandbox: ${key} ${operation} failed: ${(error as Error).stack ?? String(error)}\n`);
        if (!reply.sent) reply.send(500, { message: 'Server Error' });
        return void record(reply.status, 'InternalFailure');
      }
      if (!handled) continue;
      if (!reply.sent) reply.send(204);
      return void record(reply.status, reply.status >= 400 ? reply.errorCode : undefined);
    }
    this.recorder.record({
      at: arrived,
      service: 'unknown',
      operation: `${request.method} ${redactString(request.url.pathname)}`,
      params: undefined,
      status: 404,
      errorCode: 'Not Found',
      mutating: false,
    });
    send(res, {
      status: 404,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ message: 'Not Found' }),
    });
  }

  /** IAM before faults and handlers: a refused call never changes state. */
  private authorize(scope: CredentialScope, operation: string, params: unknown) {
    return this.iam.authorize({
      accessKeyId: scope.accessKeyId,
      signingName: scope.service,
      operation,
      params,
      region: scope.region,
      accountId: this.scenario.accountId,
    });
  }

  /** Consumes the faults that hit this call and waits out any latency they add; the caller acts on the outcome. */
  private async applyFaults(service: string, operation: string): Promise<FaultDecision> {
    const decision = this.faults.decide(service, operation);
    if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
    return decision;
  }

  private reset(req: IncomingMessage, record: () => void): void {
    record();
    req.socket.destroy();
  }

  /** Control endpoints: the recorder and faults over HTTP, for the CLI and for tests in other processes. */
  private control(method: string, url: URL, body: Buffer, res: ServerResponse): void {
    const reply = (status: number, value: unknown) =>
      send(res, {
        status,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(value),
      });
    try {
      const path = url.pathname.replace(/\/+$/, '');
      if (path === '/_sandbox/health' && method === 'GET') return reply(200, { ok: true, modules: this.keys() });
      if (path === '/_sandbox/env' && method === 'GET') return reply(200, this.env());
      if (path === '/_sandbox/secrets' && method === 'GET') return reply(200, { secrets: this.secrets() });
      if (path === '/_sandbox/calls' && method === 'GET') {
        const filter: CallFilter = {};
        const q = url.searchParams;
        if (q.has('service')) filter.service = q.get('service') ?? undefined;
        if (q.has('operation')) filter.operation = q.get('operation') ?? undefined;
        if (q.has('mutating')) filter.mutating = q.get('mutating') === 'true';
        if (q.has('failed')) filter.failed = q.get('failed') === 'true';
        return reply(200, { calls: this.recorder.calls(filter) });
      }
      if (path === '/_sandbox/calls' && method === 'DELETE') {
        this.recorder.clear();
        return reply(200, { ok: true });
      }
      if (path === '/_sandbox/faults' && method === 'GET') return reply(200, { faults: this.faults.list() });
      if (path === '/_sandbox/faults' && method === 'POST') {
        const parsed = parseJson(body) as unknown;
        this.faults.inject(...(Array.isArray(parsed) ? parsed : [parsed]));
        return reply(200, { faults: this.faults.list() });
      }
      if (path === '/_sandbox/faults' && method === 'DELETE') {
        this.faults.clear();
        return reply(200, { faults: [] });
      }
      if (path === '/_sandbox/scenario' && method === 'POST') {
        const text = body.toString('utf8');
        if (!text.trim()) return reply(400, { message: 'Send the scenario (YAML or JSON) as the request body' });
        this.load(text.includes('\n') ? text : `${text}\n`);
        return reply(200, { ok: true, modules: this.keys() });
      }
      reply(404, { message: `No control endpoint ${method} ${url.pathname}` });
    } catch (error) {
      reply(400, { message: (error as Error).message });
    }
  }
}

/** The outcome of a fault that lets the call take effect and then loses its answer (`after: true`). */
function lostAnswer(decision: FaultDecision) {
  const outcome = decision.outcome;
  return outcome && outcome.kind !== 'throttle' && outcome.after ? outcome : undefined;
}

/** Runs a handler whose answer is lost anyway: only its effect on the state matters. */
async function settle(fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch {
    // The client never sees this answer either.
  }
}

function isQueryRequest(
  method: string | undefined,
  headers: Record<string, string | undefined>,
  body: Buffer,
): boolean {
  if (method !== 'POST') return false;
  if (!(headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return false;
  return (headers['authorization'] ?? '').startsWith('AWS4-') || /(^|&)Action=/.test(body.toString('utf8'));
}

function parseJson(body: Buffer): any {
  return JSON.parse(body.toString('utf8') || 'null');
}

function send(res: ServerResponse, wire: WireAnswer): void {
  res.writeHead(wire.status, { ...wire.headers, 'content-length': Buffer.byteLength(wire.body) });
  res.end(wire.body);
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** SandboxResponse over node's response, remembering what was sent for the recorder. */
class RecordingResponse implements SandboxResponse {
  status = 0;
  sent = false;
  errorCode: string | undefined;

  constructor(private readonly res: ServerResponse) {}

  send(status: number, body?: unknown, headers: Record<string, string> = {}): void {
    if (this.sent) throw new Error('A sandbox response was sent twice');
    this.sent = true;
    this.status = status;
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    let payload: string | Buffer;
    if (body === undefined || body === null) payload = '';
    else if (Buffer.isBuffer(body)) payload = body;
    else if (typeof body === 'string') {
      payload = body;
      lower['content-type'] ??= 'text/plain; charset=utf-8';
    } else {
      payload = JSON.stringify(body);
      lower['content-type'] ??= 'application/json; charset=utf-8';
    }
    if (status >= 400) this.errorCode = errorCodeOf(body);
    this.res.writeHead(status, { ...lower, 'content-length': String(Buffer.byteLength(payload)) });
    this.res.end(payload);
  }
}

function errorCodeOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body.slice(0, 100);
  if (body && typeof body === 'object' && 'message' in body) return String((body as { message: unknown }).message);
  return undefined;
}
