// The one request pipeline every call goes through, whatever its protocol:
// decode (signature, routing, body) → IAM → faults → handler (or a lost answer) → encode → record → observers.
// What differs per protocol (how a request is read and how an answer or an error is written) lives in a codec
// (protocols/aws-json.ts, protocols/aws-query.ts, protocols/http.ts).
import type { FaultDecision, FaultInjector } from './faults.js';
import type { Denial } from './iam.js';
import { AwsError, type CallContext, type SandboxModule } from './module.js';
import type { Recorder } from './recorder.js';
import type { CredentialScope } from './sigv4.js';

/** A module as the server serves it, under its scenario key. */
export interface Mounted {
  key: string;
  module: SandboxModule;
}

/** What a codec needs to read a request: the modules served and the context handlers get. */
export interface DecodeEnvironment {
  mounted: readonly Mounted[];
  context(region: string, requestId: string): CallContext;
}

/** What goes back on the wire. */
export interface WireAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** An answer plus the error code the recorder keeps for it (status >= 400). */
export interface Answer extends WireAnswer {
  errorCode?: string;
}

export interface WireError {
  code: string;
  message: string;
  status: number;
}

/** One request as its protocol's codec read it. */
export interface Call {
  /** Scenario key of the module that answers it ('unknown' when none does). */
  service: string;
  operation: string;
  /** The request's parameters as the module reads them (JSON body, form fields, or what an HTTP module describes). */
  params: unknown;
  mutating: boolean;
  /** From the SigV4 credential scope (AWS calls). */
  region?: string;
  /** The SigV4 scope, when IAM applies to the call. */
  scope?: CredentialScope;
  /** botocore's name of the module's API model (AWS calls): `ecs`, `ecr`, `logs`, `rds`. */
  apiModel?: string;
  /** Runs the module's handler and resolves to what `Codec.result` writes. */
  invoke(): Promise<unknown>;
}

/** How one protocol writes answers. */
export interface Codec {
  readonly protocol: 'json' | 'query' | 'http';
  result(call: Call, value: unknown): Answer;
  error(call: Call, error: WireError): Answer;
  throttled(call: Call): Answer;
  /** IAM refused the call. */
  denied(call: Call, message: string): Answer;
}

/** A decoded request: the call, and the refusal the codec already decided on (bad signature, unknown operation,
 *  malformed body), if any. */
export interface Decoded {
  codec: Codec;
  call: Call;
  refusal?: WireError;
}

/** One finished exchange, for observers (the API-model check, coverage). `answer` is undefined for a reset. */
export interface Exchange {
  protocol: Codec['protocol'];
  call: Call;
  answer?: Answer;
  /** The handler ran and its answer was sent (not refused, not faulted). */
  handled: boolean;
  fault?: string;
}
export type ExchangeObserver = (exchange: Exchange) => void;

export interface PipelineDeps {
  recorder: Recorder;
  faults: FaultInjector;
  authorize(scope: CredentialScope, operation: string, params: unknown): Denial | undefined;
  observers: ReadonlySet<ExchangeObserver>;
}

/** Where the pipeline delivers an answer, or drops the connection. */
export interface Transport {
  send(answer: WireAnswer): void;
  reset(): void;
}

export const INTERNAL_FAILURE: WireError = {
  code: 'InternalFailure',
  message: 'The request processing has failed because of an unknown error.',
  status: 500,
};

export async function dispatch(
  decoded: Decoded,
  transport: Transport,
  deps: PipelineDeps,
  arrived: number,
): Promise<void> {
  const { codec, call } = decoded;
  const finish = (answer: Answer | undefined, handled: boolean, fault?: string) => {
    deps.recorder.record({
      at: arrived,
      service: call.service,
      operation: call.operation,
      params: call.params,
      status: answer?.status ?? 0,
      errorCode: answer ? (answer.status >= 400 ? answer.errorCode : undefined) : 'ConnectionReset',
      mutating: call.mutating,
      region: call.region,
      fault,
    });
    if (answer) transport.send(answer);
    else transport.reset();
    for (const observer of deps.observers) {
      try {
        observer({ protocol: codec.protocol, call, answer, handled, fault });
      } catch (error) {
        // An observer's bug must not break the answer already sent.
        process.stderr.write(
          `sandbox: observer failed on ${call.service} ${call.operation}: ${(error as Error).stack}\n`,
        );
      }
    }
  };

  if (decoded.refusal) return finish(codec.error(call, decoded.refusal), false);
  // IAM before faults and handlers: a refused call never changes state.
  if (call.scope) {
    const denied = deps.authorize(call.scope, call.operation, call.params);
    if (denied) return finish(codec.denied(call, denied.message), false);
  }
  const decision = deps.faults.decide(call.service, call.operation);
  if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
  const outcome = decision.outcome;
  if (outcome) {
    // `after: true`: the call takes effect, then its answer is lost.
    if (outcome.kind !== 'throttle' && outcome.after) await settle(call);
    return finish(faultAnswer(codec, call, outcome), false, outcome.fault);
  }
  try {
    return finish(codec.result(call, await call.invoke()), true);
  } catch (error) {
    if (error instanceof AwsError) {
      return finish(codec.error(call, { code: error.code, message: error.message, status: error.status }), true);
    }
    process.stderr.write(
      `sandbox: ${call.service} ${call.operation} failed: ${(error as Error).stack ?? String(error)}\n`,
    );
    return finish(codec.error(call, INTERNAL_FAILURE), false);
  }
}

function faultAnswer(codec: Codec, call: Call, outcome: NonNullable<FaultDecision['outcome']>): Answer | undefined {
  switch (outcome.kind) {
    case 'reset':
      return undefined;
    case 'throttle':
      return codec.throttled(call);
    case 'error':
      return codec.error(call, outcome);
  }
}

/** Runs a handler whose answer is lost anyway: only its effect on the state matters. */
async function settle(call: Call): Promise<void> {
  try {
    await call.invoke();
  } catch {
    // The client never sees this answer either.
  }
}
