// Optional extras a module may offer on top of the contract in module.ts. The core uses them when present.
import type { HttpModule } from './module.js';

/** How an HTTP module names a request for the recorder and for faults, before it answers it. */
export interface HttpOperation {
  operation: string;
  mutating: boolean;
  /** What the recorder keeps as the call's parameters (redacted again by the recorder). */
  params?: unknown;
}

/** A value the module hands to clients that must never show in what they print (a test's leak check reads them). */
export interface SandboxSecret {
  /** What it is, e.g. `ECR password`, `GitHub token #1`, `Slack webhook "deploys"`. */
  name: string;
  value: string;
}

export interface ModuleExtras {
  /** Environment variables a client needs to reach this module (GITHUB_API_URL, SLACK_WEBHOOK_URL, ...). */
  env?(): Record<string, string>;
  /** The secrets this module holds right now (they change with each scenario load). */
  secrets?(): SandboxSecret[];
}

/** An answer the core sends on a module's behalf (an injected fault). */
export interface FaultAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  errorCode: string;
}

/** Every HTTP module now describes its requests; the name stays for the modules written against it. */
export type DescribedHttpModule = HttpModule;
