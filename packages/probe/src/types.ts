/** The shapes the probe works with: validated checks in, per-check results and a whole report out. */

/** A set of acceptable HTTP status codes, kept as inclusive ranges. */
export interface StatusRange {
  from: number;
  to: number;
}

/** An expected response header: an exact value (case-sensitive) or a pattern. */
export type HeaderExpectation = { equals: string } | { matches: RegExp; source: string };

export interface Expectations {
  status: StatusRange[];
  bodyContains: string[];
  bodyMatches: { pattern: RegExp; source: string }[];
  /** JSON path (as written) → expected value (deep equality). */
  json: { path: string; expected: unknown }[];
  headers: { name: string; expectation: HeaderExpectation }[];
  maxLatencyMs?: number;
  /** The highest p95 over the check's measured answers (its samples, or its consecutive successes). */
  maxP95LatencyMs?: number;
}

/** One request header; `secret` is true when its value came from the environment or looks like a credential. */
export interface RequestHeader {
  name: string;
  value: string;
  secret: boolean;
}

/** A check after validation: everything needed to send the request and judge the answer. */
export interface Check {
  name: string;
  url: URL;
  /** The URL as it may be shown: without userinfo. */
  displayUrl: string;
  method: string;
  headers: RequestHeader[];
  body?: string;
  expect: Expectations;
  /** Whether this check must show the expected version (when one is expected). */
  verifyVersion: boolean;
  /** Values to mask: header values from the environment or of credential headers, URL passwords, secret bodies. */
  secrets: string[];
}

/** How a response shows the version it runs. */
export type VersionSource = { kind: 'header'; name: string } | { kind: 'json'; path: string } | { kind: 'body' };

export interface ProbeSettings {
  /** Window in which failing checks are retried with backoff; 0 means a single round. */
  waitForHealthyMs: number;
  consecutiveSuccesses: number;
  samples: number;
  concurrency: number;
  requestTimeoutMs: number;
  maxRedirects: number;
  /** Fraction (0..1) of sampled requests allowed to fail. */
  maxErrorRate: number;
  expectVersion?: string;
  versionSource: VersionSource;
  /** First delay between retries of a failing check, doubled up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Pause between two passing requests of a streak, so that they can reach different tasks. */
  streakIntervalMs?: number;
  userAgent?: string;
}

/** What one request (redirects included) gave. */
export interface Exchange {
  /** Final status code, when a response came. */
  status?: number;
  latencyMs: number;
  /** Failures found; empty means the request met every expectation. */
  failures: string[];
  /** The version the response showed, when one was looked for and found. */
  versionSeen?: string;
  /** A network-level error in plain words (no response at all). */
  networkError?: string;
  /** How long the service asked to wait before the next try (Retry-After on 429 or 503). */
  retryAfterMs?: number;
}

export interface LatencyStats {
  p50: number;
  p95: number;
  max: number;
  count: number;
}

export interface CheckResult {
  name: string;
  url: string;
  method: string;
  result: 'passed' | 'failed';
  /** Requests sent before the check was healthy (or the warm-up ended). */
  attempts: number;
  /** How often each status code came back, over every request of the check ("error" for no response). */
  statusCodes: Record<string, number>;
  latencyMs?: LatencyStats;
  /** Sampled requests and how many of them failed (only when samples > 1). */
  samples?: { count: number; failed: number; errorRate: number };
  versionSeen?: string;
  /** Why the check failed, in plain words. */
  failure?: string;
  /** For a check that passed after retries: each distinct failure seen in the warm-up, and how often. */
  failedBeforeHealthy?: { failure: string; count: number }[];
  durationMs: number;
}

export interface SmokeReport {
  result: 'passed' | 'failed';
  expectedVersion?: string;
  /** Every distinct version the checks saw. */
  versionsSeen: string[];
  durationMs: number;
  checks: CheckResult[];
}
