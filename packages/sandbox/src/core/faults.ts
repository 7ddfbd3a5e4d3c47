// Faults injected per (service, operation), applied by the dispatch pipeline before any handler runs. Which matching
// calls a fault hits: the next `count`, or by pattern: `every` Nth, with a seeded `probability`, inside a
// `from`/`until` window of scenario seconds; `count` then caps the hits.
import * as z from 'zod';

/** Where a fault applies: a scenario service key ('ecs', 'rds', 'github', ...) or '*', and an operation or '*'. */
const target = {
  service: z.string().min(1).default('*'),
  operation: z.string().min(1).default('*'),
};
const pattern = {
  every: z.number().int().positive().optional().describe('Hit every Nth matching call (the Nth, 2Nth, ...)'),
  probability: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('Hit each matching call with this probability, drawn from a seeded generator: a run is reproducible'),
  seed: z.number().int().optional().describe('Seed of the `probability` draws (default 1)'),
  from: z.number().min(0).optional().describe('Scenario seconds after the scenario loaded before which nothing is hit'),
  until: z.number().min(0).optional().describe('Scenario seconds after the scenario loaded from which nothing is hit'),
};
const count = z
  .number()
  .int()
  .positive()
  .optional()
  .describe('How many calls it hits; unset = until cleared (a throttle without a pattern: 1)');
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
    count,
    ...pattern,
  }),
  z.strictObject({
    kind: z.literal('rateLimit').describe('Throttle calls beyond perSecond (token bucket with `burst` tokens)'),
    ...target,
    perSecond: z.number().positive(),
    burst: z.number().int().positive().optional(),
  }),
  z.strictObject({
    kind: z
      .literal('error')
      .describe(
        'Answer with an error: a server error (503 ServiceUnavailable by default), or a 4xx with its code for a refusal AWS gives',
      ),
    ...target,
    status: z.number().int().min(400).max(599).default(503),
    code: z.string().optional(),
    message: z.string().optional(),
    count,
    after,
    ...pattern,
  }),
  z.strictObject({
    kind: z.literal('latency').describe('Hold each call for `ms` milliseconds before answering'),
    ...target,
    ms: z.number().int().nonnegative(),
    count,
    ...pattern,
  }),
  z.strictObject({
    kind: z.literal('reset').describe('Destroy the connection without an answer'),
    ...target,
    count,
    after,
    ...pattern,
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

/** Scenario time as faults read it: seconds since the scenario loaded, scaled like every declared duration. */
export interface FaultClock {
  elapsedSeconds(): number;
}

interface ActiveFault {
  spec: Fault;
  remaining: number; // Infinity = until cleared
  /** Matching calls seen inside the window (for `every`). */
  seen: number;
  random: () => number;
  tokens: number;
  refilledAt: number;
}

export class FaultInjector {
  private active: ActiveFault[] = [];

  constructor(private clock: FaultClock = { elapsedSeconds: () => 0 }) {}

  /** The clock of the scenario in force (each load starts its own). */
  useClock(clock: FaultClock): void {
    this.clock = clock;
  }

  inject(...faults: FaultInput[]): void {
    for (const input of faults) {
      const spec = faultSchema.parse(input);
      let remaining = Infinity;
      if ('count' in spec && spec.count !== undefined) remaining = spec.count;
      else if (spec.kind === 'throttle' && !hasPattern(spec)) remaining = 1;
      const tokens = spec.kind === 'rateLimit' ? (spec.burst ?? Math.max(1, Math.floor(spec.perSecond))) : 0;
      const seed = spec.kind !== 'rateLimit' ? (spec.seed ?? 1) : 1;
      this.active.push({ spec, remaining, seen: 0, random: mulberry32(seed), tokens, refilledAt: Date.now() });
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
      if (spec.kind === 'rateLimit') {
        if (decision.outcome) continue;
        const now = Date.now();
        const capacity = spec.burst ?? Math.max(1, Math.floor(spec.perSecond));
        fault.tokens = Math.min(capacity, fault.tokens + ((now - fault.refilledAt) / 1000) * spec.perSecond);
        fault.refilledAt = now;
        if (fault.tokens >= 1) fault.tokens -= 1;
        else decision.outcome = { kind: 'throttle', fault: 'rateLimit' };
        continue;
      }
      if (spec.kind !== 'latency' && decision.outcome) continue;
      if (!this.hits(fault)) continue;
      fault.remaining -= 1;
      if (spec.kind === 'latency') decision.latencyMs += spec.ms;
      else if (spec.kind === 'throttle') decision.outcome = { kind: 'throttle', fault: 'throttle' };
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

  /** Whether a matching call is one the fault's pattern hits. */
  private hits(fault: ActiveFault): boolean {
    const spec = fault.spec as Extract<Fault, { every?: number }>;
    const elapsed = spec.from !== undefined || spec.until !== undefined ? this.clock.elapsedSeconds() : 0;
    if (spec.from !== undefined && elapsed < spec.from) return false;
    if (spec.until !== undefined && elapsed >= spec.until) return false;
    fault.seen += 1;
    if (spec.every !== undefined && fault.seen % spec.every !== 0) return false;
    // The draw happens for every matching call, hit or not, so a run with the same calls hits the same ones.
    if (spec.probability !== undefined && fault.random() >= spec.probability) return false;
    return true;
  }
}

function hasPattern(spec: Fault): boolean {
  return ['every', 'probability', 'from', 'until'].some((key) => (spec as Record<string, unknown>)[key] !== undefined);
}

function matches(spec: Fault, service: string, operation: string): boolean {
  return (spec.service === '*' || spec.service === service) && (spec.operation === '*' || spec.operation === operation);
}

/** A small, well-known seeded generator (Mulberry32): uniform in [0, 1), the same sequence for the same seed. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
