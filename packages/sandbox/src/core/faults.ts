import { z } from 'zod';

/** Where a fault applies: a scenario service key ('ecs', 'rds', 'github', ...) or '*', and an operation or '*'. */
const target = {
  service: z.string().min(1).default('*'),
  operation: z.string().min(1).default('*'),
};
const count = z.number().int().positive().optional().describe('How many calls it hits; unset = until cleared');
const after = z
  .boolean()
  .optional()
  .describe('Let the call take effect first, then fail it: the change is made but the answer is lost');

export const faultSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z
      .literal('throttle')
      .describe('Answer the next N calls with ThrottlingException (Throttling on RDS), HTTP 400'),
    ...target,
    count: z.number().int().positive().default(1),
  }),
  z.strictObject({
    kind: z.literal('rateLimit').describe('Throttle calls beyond perSecond (token bucket with `burst` tokens)'),
    ...target,
    perSecond: z.number().positive(),
    burst: z.number().int().positive().optional(),
  }),
  z.strictObject({
    kind: z.literal('error').describe('Answer with a server error (503 ServiceUnavailable by default)'),
    ...target,
    status: z.number().int().min(500).max(599).default(503),
    code: z.string().optional(),
    message: z.string().optional(),
    count,
    after,
  }),
  z.strictObject({
    kind: z.literal('latency').describe('Hold each call for `ms` milliseconds before answering'),
    ...target,
    ms: z.number().int().nonnegative(),
    count,
  }),
  z.strictObject({
    kind: z.literal('reset').describe('Destroy the connection without an answer'),
    ...target,
    count,
    after,
  }),
]);

export type Fault = z.output<typeof faultSchema>;
export type FaultInput = z.input<typeof faultSchema>;

/** What the core must do with one call before (or instead of) running its handler. */
export interface FaultDecision {
  latencyMs: number;
  outcome?:
    | { kind: 'throttle'; fault: string }
    | { kind: 'error'; status: number; code: string; message: string; fault: string; after: boolean }
    | { kind: 'reset'; fault: string; after: boolean };
}

interface ActiveFault {
  spec: Fault;
  remaining: number; // Infinity = until cleared
  tokens: number;
  refilledAt: number;
}

/** Faults injected per (service, operation), applied by the core before any handler runs. */
export class FaultInjector {
  private active: ActiveFault[] = [];

  inject(...faults: FaultInput[]): void {
    for (const input of faults) {
      const spec = faultSchema.parse(input);
      const remaining = 'count' in spec && spec.count !== undefined ? spec.count : Infinity;
      const tokens = spec.kind === 'rateLimit' ? (spec.burst ?? Math.max(1, Math.floor(spec.perSecond))) : 0;
      this.active.push({ spec, remaining, tokens, refilledAt: Date.now() });
    }
  }

  clear(): void {
    this.active = [];
  }

  list(): Fault[] {
    return this.active.map((f) => f.spec);
  }

  /** Decides the fate of one call and consumes the faults that hit it. */
  decide(service: string, operation: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    for (const fault of this.active) {
      const { spec } = fault;
      if (!matches(spec, service, operation)) continue;
      if (spec.kind === 'latency') {
        decision.latencyMs += spec.ms;
        fault.remaining -= 1;
        continue;
      }
      if (decision.outcome) continue;
      if (spec.kind === 'rateLimit') {
        const now = Date.now();
        const capacity = spec.burst ?? Math.max(1, Math.floor(spec.perSecond));
        fault.tokens = Math.min(capacity, fault.tokens + ((now - fault.refilledAt) / 1000) * spec.perSecond);
        fault.refilledAt = now;
        if (fault.tokens >= 1) fault.tokens -= 1;
        else decision.outcome = { kind: 'throttle', fault: 'rateLimit' };
        continue;
      }
      fault.remaining -= 1;
      if (spec.kind === 'throttle') decision.outcome = { kind: 'throttle', fault: 'throttle' };
      else if (spec.kind === 'reset')
        decision.outcome = { kind: 'reset', fault: spec.after ? 'reset after' : 'reset', after: spec.after === true };
      else {
        const code = spec.code ?? (spec.status === 503 ? 'ServiceUnavailable' : 'InternalFailure');
        const message =
          spec.message ??
          (spec.status === 503 ? 'Service is unavailable. Please retry.' : 'The request processing has failed.');
        const fault = spec.after ? 'error after' : 'error';
        decision.outcome = { kind: 'error', status: spec.status, code, message, fault, after: spec.after === true };
      }
    }
    this.active = this.active.filter((f) => f.remaining > 0);
    return decision;
  }
}

function matches(spec: Fault, service: string, operation: string): boolean {
  return (spec.service === '*' || spec.service === service) && (spec.operation === '*' || spec.operation === operation);
}
