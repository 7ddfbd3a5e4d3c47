// The sandbox's single HTTP server: reads each request, hands AWS (awsJson1_1, awsQuery) and plain HTTP calls to the
// one dispatch pipeline through their protocol's codec, and serves the /_sandbox control endpoints.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClock, type ManagedClock } from './clock.js';
import { control } from './control.js';
import { dispatch, type Decoded, type ExchangeObserver, type Mounted, type WireAnswer } from './dispatch.js';
import type { SandboxSecret } from './extensions.js';
import { FaultInjector } from './faults.js';
import { IamEnforcer } from './iam.js';
import type { CallContext, SandboxModule, SandboxRequest, ServiceDefinition, StateOf } from './module.js';
import { decodeAwsJson, isAwsJsonRequest } from './protocols/aws-json.js';
import { decodeAwsQuery, isAwsQueryRequest } from './protocols/aws-query.js';
import { decodeHttp } from './protocols/http.js';
import { Recorder } from './recorder.js';
import { loadScenario, type LoadedScenario, type ScenarioSource } from './scenario.js';
import type { CredentialScope } from './sigv4.js';
import type { ModelViolation } from '../models/check.js';

/** Dummy credentials: clients must sign, and the sandbox never checks the signature. */
export const SANDBOX_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const SANDBOX_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

/** Longest body the sandbox accepts; far above anything the suite sends (ECR manifests are the largest). */
const MAX_BODY_BYTES = 20 * 1024 * 1024;

export class SandboxServer {
  readonly recorder = new Recorder();
  readonly faults = new FaultInjector();
  /** Called after every exchange (the API-model check, coverage). */
  readonly observers = new Set<ExchangeObserver>();
  /** The API-model check's violations since the last call (set when the check is on). */
  violations: () => ModelViolation[] = () => [];
  /** Access keys bound to policies; replaced by each load(). */
  iam = new IamEnforcer();
  private readonly server: Server;
  private mounted: Mounted[] = [];
  private scenario!: LoadedScenario;
  private clock: ManagedClock = createClock(1);
  private baseUrl = '';

  constructor(
    private readonly services: readonly ServiceDefinition<any, any, any>[],
    /** A clock the caller moves (tests): every scenario runs on it instead of the scaled wall clock. */
    private readonly manualClock?: ManagedClock,
  ) {
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
    // A caller's clock keeps its time across loads: only the old scenario's timers go.
    if (this.manualClock) this.manualClock.clearTimers();
    const clock = this.manualClock ?? createClock(scenario.timeScale);
    let mounted: Mounted[];
    let iam: IamEnforcer;
    try {
      iam = IamEnforcer.fromScenario(scenario.iam);
      mounted = this.createModules(scenario, clock);
    } catch (error) {
      clock.clearTimers();
      throw error;
    }
    if (this.clock !== clock) this.clock.clearTimers();
    this.clock = clock;
    this.scenario = scenario;
    this.mounted = mounted;
    this.iam = iam;
    this.recorder.clear();
    this.faults.clear();
    this.faults.useClock(clock);
    this.faults.inject(...scenario.faults);
    return scenario;
  }

  /** A module's state by its scenario key. */
  state(key: string): unknown {
    const found = this.mounted.find((m) => m.key === key);
    if (!found) throw new Error(`The sandbox has no "${key}" module (known: ${this.keys().join(', ')})`);
    return found.module.state;
  }

  /** The state of the module a definition builds, typed by it. */
  stateOf<D extends ServiceDefinition<any, any, any>>(definition: D): StateOf<D> {
    return this.state(definition.key) as StateOf<D>;
  }

  /** The operations each AWS module serves, by botocore's name of its API model (`ecs`, `ecr`, `logs`, `rds`). */
  awsOperations(): Record<string, string[]> {
    const served: Record<string, string[]> = {};
    for (const { module } of this.mounted) {
      if (module.protocol !== 'http') served[module.apiModel ?? module.signingName] = Object.keys(module.handlers);
    }
    return served;
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
    const built = new Map<string, SandboxModule>();
    const building = new Set<string>();
    const byKey = new Map(this.services.map((s) => [s.key, s]));
    const build = (key: string): SandboxModule => {
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
        stateOf: (other) => build(other.key).state as never,
      });
      building.delete(key);
      built.set(key, module);
      return module;
    };
    return this.services.map((s) => ({ key: s.key, module: build(s.key) }));
  }

  private context(region: string, requestId: string): CallContext {
    return { region, accountId: this.scenario.accountId, requestId, clock: this.clock, baseUrl: this.baseUrl };
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = Date.now();
    const body = await readBody(req);
    if (body === undefined) {
      res.writeHead(413, { 'content-type': 'text/plain' }).end('Request body too large');
      return;
    }
    const url = new URL(req.url ?? '/', this.baseUrl || 'http://127.0.0.1');
    if (url.pathname.startsWith('/_sandbox/')) return send(res, control(this, req.method ?? 'GET', url, body));
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers))
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const request: SandboxRequest = {
      method: req.method ?? 'GET',
      url,
      headers,
      body,
      json: () => JSON.parse(body.toString('utf8') || 'null'),
    };
    const env = { mounted: this.mounted, context: (region: string, id: string) => this.context(region, id) };
    let decoded: Decoded;
    if (isAwsJsonRequest(request)) decoded = decodeAwsJson(request, env);
    else if (isAwsQueryRequest(request)) decoded = decodeAwsQuery(request, env);
    else decoded = decodeHttp(request, env);
    const deps = {
      recorder: this.recorder,
      faults: this.faults,
      observers: this.observers,
      authorize: (scope: CredentialScope, operation: string, params: unknown) =>
        this.iam.authorize({
          accessKeyId: scope.accessKeyId,
          signingName: scope.service,
          operation,
          params,
          region: scope.region,
          accountId: this.scenario.accountId,
        }),
    };
    await dispatch(decoded, { send: (answer) => send(res, answer), reset: () => req.socket.destroy() }, deps, arrived);
  }
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
