// The contract between the sandbox core and its service modules (ECS, ECR, Logs, RDS, GitHub, Slack, ...).
// Module authors compile against these types only; the core owns routing, signing checks, IAM, faults, recording and
// the wire formats (see dispatch.ts and protocols/).
import type { ZodType } from 'zod';
import type { HttpOperation, ModuleExtras, FaultAnswer } from './extensions.js';

/** An error the way AWS reports it. awsJson: HTTP status + {"__type": code, "message"} + x-amzn-ErrorType header.
 *  awsQuery (RDS): XML <ErrorResponse><Error><Type>Sender|Receiver</Type><Code/><Message/></Error><RequestId/></ErrorResponse>. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Time in the sandbox. Timestamps in answers are real wall-clock time; only durations that a scenario declares
 *  ("task starts in 30 s") are shrunk by the scenario's timeScale (0.01 → 30 s take 300 ms). */
export interface SandboxClock {
  now(): number; // Date.now()
  /** Real milliseconds for a scenario duration given in seconds. */
  scaled(seconds: number): number;
  /** Runs fn after a scenario duration (seconds, scaled); returns a cancel function. Timers are cleared on stop/reset. */
  after(seconds: number, fn: () => void): () => void;
}

export interface CallContext {
  region: string; // from the SigV4 credential scope
  accountId: string; // from the scenario (default 123456789012)
  requestId: string;
  clock: SandboxClock;
  baseUrl: string; // http://127.0.0.1:<port> of this sandbox
}

/** An AWS operation's request and answer types (the AWS SDK's `<Op>Request` / `<Op>Response`). */
export interface Operation<Input, Output> {
  input: Input;
  output: Output;
}
/** One handler per operation of a table (operation name → its types, e.g.
 *  `{ RunTask: Operation<RunTaskRequest, RunTaskResponse>, ... }`), typed by it. Handlers return the answer or throw
 *  an AwsError. */
export type Handlers<T extends { [K in keyof T]: Operation<any, any> }> = {
  [K in keyof T]: (input: T[K]['input'], ctx: CallContext) => T[K]['output'] | Promise<T[K]['output']>;
};
type AnyHandler = (input: any, ctx: CallContext) => unknown;

/** awsJson1_1 services (ECS, ECR, CloudWatch Logs): routed by X-Amz-Target "<targetPrefix>.<Operation>".
 *  Handlers return plain objects; any Date in the result is serialised as epoch seconds (fractional) by the core. */
export interface AwsJsonModule {
  protocol: 'json';
  signingName: string; // 'ecs' | 'ecr' | 'logs'
  /** botocore's name of its API model when it is not the signing name (e.g. `elbv2` signs as `elasticloadbalancing`). */
  apiModel?: string;
  targetPrefix: string; // 'AmazonEC2ContainerServiceV20141113', 'AmazonEC2ContainerRegistry_V20150921', 'Logs_20140328'
  /** awsJson 1.0 (CloudWatch) or 1.1 (the default): the content type of the answers. */
  jsonVersion?: '1.0' | '1.1';
  /** The service keeps its awsQuery error codes (`awsQueryCompatible`): errors also carry `x-amzn-query-error`. */
  queryCompatible?: boolean;
  handlers: Record<string, AnyHandler>;
  mutating: ReadonlySet<string>; // operations that change state (the recorder flags them)
}

/** awsQuery services (RDS): form-encoded Action=<Operation>&Version=...; answers XML <OpResponse><OpResult>...</OpResult><ResponseMetadata/></OpResponse>.
 *  Handlers get the flat form parameters and return a plain object that the core renders as the XML inside <OpResult>
 *  (arrays become <member> lists unless `xmlListItemName` says otherwise; Dates become ISO 8601). */
export interface AwsQueryModule {
  protocol: 'query';
  signingName: string; // 'rds'
  /** botocore's name of its API model when it is not the signing name (`cloudwatch` signs as `monitoring`). */
  apiModel?: string;
  handlers: Record<string, (params: Record<string, string>, ctx: CallContext) => unknown>;
  /** Element name for list members per key, when not "member" (RDS uses DBSnapshot, DBClusterSnapshot, ...). */
  xmlListItemName?: Record<string, string>;
  mutating: ReadonlySet<string>;
}

/** Plain HTTP routes (GitHub REST, Slack webhooks, anything else). */
export interface HttpModule {
  protocol: 'http';
  name: string; // 'github' | 'slack' | ...
  /** Names a request this module answers (undefined: not this module's), so faults, IAM-free recording and the
   *  recorder can act on it by operation before `handle` runs. */
  describe(req: SandboxRequest): HttpOperation | undefined;
  /** Answers a request `describe` claimed. */
  handle(req: SandboxRequest, res: SandboxResponse): unknown;
  /** How this service says "too many requests" when a throttle or rate-limit fault hits (default: 429, Retry-After 1). */
  throttled?(): FaultAnswer;
}
export interface SandboxRequest {
  method: string;
  url: URL;
  headers: Record<string, string | undefined>;
  body: Buffer;
  json<T = any>(): T;
}
export interface SandboxResponse {
  send(status: number, body?: unknown, headers?: Record<string, string>): void;
}

export type SandboxModule = (AwsJsonModule | AwsQueryModule | HttpModule) & ModuleExtras & { state?: unknown };

/** A service's part of a scenario file, and how to build the module from it. `Key` is the scenario section
 *  ('ecs', 'rds', ...); the module's `state` type is what `sandbox.state(key)` and `env.stateOf(definition)` return. */
export interface ServiceDefinition<
  Section = unknown,
  Module extends SandboxModule = SandboxModule,
  Key extends string = string,
> {
  key: Key;
  schema: ZodType<Section>; // validates that section (all optional fields have defaults)
  create(section: Section, env: ServiceEnvironment): Module;
}

/** The state a service definition's module exposes (undefined when it has none). */
export type StateOf<D> =
  D extends ServiceDefinition<any, infer M, any> ? (M extends { state: infer S } ? S : undefined) : never;

export interface ServiceEnvironment {
  clock: SandboxClock;
  accountId: string;
  defaultRegion: string;
  baseUrl: string;
  /** Another module's state, e.g. ECS writes task logs into the Logs module: `env.stateOf(logsService)`.
   *  Throws when the sandbox does not serve that module. */
  stateOf<D extends ServiceDefinition<any, any, any>>(definition: D): StateOf<D>;
}
