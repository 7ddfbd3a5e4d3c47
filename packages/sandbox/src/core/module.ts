// The contract between the sandbox core and its service modules (ECS, ECR, Logs, RDS, GitHub, Slack).
// Module authors compile against these types only; the core owns routing, signing checks, faults and recording.

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

/** awsJson1_1 services (ECS, ECR, CloudWatch Logs): routed by X-Amz-Target "<targetPrefix>.<Operation>".
 *  Handlers return plain objects; any Date in the result is serialised as epoch seconds (fractional) by the core. */
export interface AwsJsonModule {
  protocol: 'json';
  signingName: string; // 'ecs' | 'ecr' | 'logs'
  targetPrefix: string; // 'AmazonEC2ContainerServiceV20141113', 'AmazonEC2ContainerRegistry_V20150921', 'Logs_20140328'
  handlers: Record<string, (input: any, ctx: CallContext) => unknown | Promise<unknown>>;
  mutating: ReadonlySet<string>; // operations that change state (the recorder flags them)
}

/** awsQuery services (RDS): form-encoded Action=<Operation>&Version=...; answers XML <OpResponse><OpResult>...</OpResult><ResponseMetadata/></OpResponse>.
 *  Handlers return a plain object that the core renders as the XML inside <OpResult> (arrays become <member> lists
 *  unless `xmlListItemName` says otherwise; Dates become ISO 8601). */
export interface AwsQueryModule {
  protocol: 'query';
  signingName: string; // 'rds'
  handlers: Record<string, (params: Record<string, string>, ctx: CallContext) => unknown | Promise<unknown>>;
  /** Element name for list members per key, when not "member" (RDS uses DBSnapshot, DBClusterSnapshot, ...). */
  xmlListItemName?: Record<string, string>;
  mutating: ReadonlySet<string>;
}

/** Plain HTTP routes (GitHub REST, Slack webhooks, anything else). Return true when the request was answered. */
export interface HttpModule {
  protocol: 'http';
  name: string; // 'github' | 'slack' | ...
  handle(req: SandboxRequest, res: SandboxResponse): boolean | Promise<boolean>;
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

/** A service's part of a scenario file, and how to build the module from it. */
export interface ServiceDefinition<Section = unknown, Module = AwsJsonModule | AwsQueryModule | HttpModule> {
  key: string; // the scenario section: 'ecs', 'ecr', 'logs', 'rds', 'github', 'slack'
  schema: import('zod').ZodType<Section>; // validates that section (all optional fields have defaults)
  create(section: Section, env: ServiceEnvironment): Module & { /** state for tests */ state?: unknown };
}
export interface ServiceEnvironment {
  clock: SandboxClock;
  accountId: string;
  defaultRegion: string;
  baseUrl: string;
  /** Other modules' state, e.g. ECS writes task logs into the Logs module: env.get('logs'). */
  get<T = unknown>(key: string): T;
}
