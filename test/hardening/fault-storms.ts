// The four kinds of trouble the fault suites put every action through, injected on each operation an action uses.
import type { FaultInput, Sandbox } from '@ecs-ship/sandbox';

export type FaultKind = 'a throttling storm' | 'a 5xx burst' | 'connection resets' | 'slow answers';
export const FAULT_KINDS: FaultKind[] = ['a throttling storm', 'a 5xx burst', 'connection resets', 'slow answers'];

/** Each operation's first `count` calls are hit: the retries of one call ride out all of them. */
function faultFor(kind: FaultKind, service: string, operation: string, count: number): FaultInput[] {
  switch (kind) {
    case 'a throttling storm':
      return [{ kind: 'throttle', service, operation, count }];
    case 'a 5xx burst':
      // Both server errors AWS and GitHub answer under load: 500 first, then 503.
      return [
        { kind: 'error', service, operation, status: 500, count: 1 },
        ...(count > 1 ? [{ kind: 'error' as const, service, operation, status: 503, count: count - 1 }] : []),
      ];
    case 'connection resets':
      return [{ kind: 'reset', service, operation, count }];
    case 'slow answers':
      // One slow answer per operation, so that every operation the action uses is seen to consume its fault.
      return [{ kind: 'latency', service, operation, ms: 1000, count: 1 }];
  }
}

export interface Storm {
  /** Asserts that the faults reached the action: faulted attempts were recorded (or, for latency, consumed). */
  expectHit(): void;
}

/** Injects `kind` on every listed operation of every listed service. */
export function injectStorm(sandbox: Sandbox, kind: FaultKind, operations: Record<string, string[]>, count = 2): Storm {
  const faults = Object.entries(operations).flatMap(([service, names]) =>
    names.flatMap((operation) => faultFor(kind, service, operation, count)),
  );
  sandbox.faults.inject(...faults);
  const injected = faults.length;
  return {
    expectHit() {
      if (kind === 'slow answers') {
        // A latency fault is used up by the call it held.
        expect(sandbox.faults.list().length).toBeLessThan(injected);
        return;
      }
      const faulted = sandbox.recorder.calls().filter((call) => call.fault !== undefined);
      expect(faulted.length).toBeGreaterThan(0);
    },
  };
}

/** Calls of one operation that the sandbox answered with success. */
export function successes(sandbox: Sandbox, service: string, operation: string): number {
  return sandbox.recorder
    .calls({ service, operation })
    .filter((call) => call.status >= 200 && call.status < 300 && call.fault === undefined).length;
}
