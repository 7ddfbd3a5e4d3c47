import { redactValue } from './redact.js';

/** One call the sandbox received, as tests read it. */
export interface RecordedCall {
  seq: number;
  /** Epoch milliseconds when the call arrived. */
  at: number;
  /** Scenario key of the service: 'ecs', 'ecr', 'logs', 'rds', 'github', 'slack', ... */
  service: string;
  operation: string;
  /** Request parameters with secrets replaced by `***`. */
  params: unknown;
  /** HTTP status answered; 0 when the connection was reset. */
  status: number;
  errorCode?: string;
  mutating: boolean;
  /** Region from the SigV4 credential scope (AWS calls only). */
  region?: string;
  /** The injected fault that answered this call, if any. */
  fault?: string;
}

export interface CallFilter {
  service?: string;
  operation?: string;
  mutating?: boolean;
  /** Only calls that failed (status >= 400 or reset). */
  failed?: boolean;
}

/** Keeps every call in arrival order. */
export class Recorder {
  private readonly entries: RecordedCall[] = [];
  private seq = 0;
  private readonly listeners = new Set<() => void>();

  record(call: Omit<RecordedCall, 'seq' | 'params'> & { params: unknown }): RecordedCall {
    const entry: RecordedCall = { ...call, seq: ++this.seq, params: redactValue(call.params) };
    this.entries.push(entry);
    for (const listener of this.listeners) listener();
    return entry;
  }

  calls(filter: CallFilter = {}): RecordedCall[] {
    return this.entries.filter(
      (c) =>
        (filter.service === undefined || c.service === filter.service) &&
        (filter.operation === undefined || c.operation === filter.operation) &&
        (filter.mutating === undefined || c.mutating === filter.mutating) &&
        (filter.failed === undefined || filter.failed === (c.status === 0 || c.status >= 400)),
    );
  }

  /** Calls that changed (or tried to change) state; faulted calls count, since the client meant to change something. */
  mutatingCalls(): RecordedCall[] {
    return this.calls({ mutating: true });
  }

  clear(): void {
    this.entries.length = 0;
  }

  /** Called after every new entry (used by waitFor). Returns the unsubscribe function. */
  onRecord(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
