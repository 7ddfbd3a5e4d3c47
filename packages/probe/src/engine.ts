import { setMaxListeners } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Heartbeat, sleepWithin, truncate, type Clock, type Logger } from '@ecs-ship/action-kit';
import { evaluateResponse, type VersionRule } from './evaluate.js';
import { createAgents, NetworkError, send, type Agents } from './http.js';
import { Limiter } from './limiter.js';
import { latencyStats } from './stats.js';
import type { Check, CheckResult, Exchange, LatencyStats, ProbeSettings, SmokeReport } from './types.js';

/**
 * Runs every check at once, with at most `concurrency` requests in flight. Each check first becomes healthy
 * (`consecutive-successes` passing requests in a row; failures retried with backoff until the warm-up window
 * ends), then, when `samples` > 1, sends that many requests to measure latency and the error rate.
 */

export interface ProbeContext {
  logger: Logger;
  clock: Clock;
  signal?: AbortSignal;
  /** The longest the log stays quiet during the warm-up (default 30 s). */
  progressIntervalMs?: number;
}

/** The checks not healthy yet, each with its last failure: what the warm-up's heartbeat tells. */
type Unhealthy = Map<string, string>;

const DEFAULT_INITIAL_BACKOFF_MS = 500;
const DEFAULT_MAX_BACKOFF_MS = 5_000;
const DEFAULT_STREAK_INTERVAL_MS = 250;

export async function runChecks(checks: Check[], settings: ProbeSettings, context: ProbeContext): Promise<SmokeReport> {
  const started = context.clock.now();
  const agents = createAgents(settings.concurrency);
  const limiter = new Limiter(settings.concurrency);
  // Every waiting request and sleep listens for cancellation: one inner signal, without the listener limit,
  // follows the caller's, so that hundreds of checks do not trip Node's leak warning on the caller's signal.
  const inner = new AbortController();
  setMaxListeners(0, inner.signal);
  const outer = context.signal;
  const onAbort = () => inner.abort(outer?.reason);
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  const unhealthy: Unhealthy = new Map();
  const heartbeat = new Heartbeat(context, () => warmupBeat(unhealthy, checks.length, started, settings));
  const runContext: ProbeContext = { ...context, logger: heartbeat.logger, signal: inner.signal };
  try {
    const results = await Promise.all(
      checks.map((check) => new CheckRun(check, settings, runContext, agents, limiter, heartbeat, unhealthy).run()),
    );
    const versionsSeen = [...new Set(results.flatMap((r) => (r.versionSeen !== undefined ? [r.versionSeen] : [])))];
    return {
      result: results.every((r) => r.result === 'passed') ? 'passed' : 'failed',
      ...(settings.expectVersion !== undefined ? { expectedVersion: settings.expectVersion } : {}),
      versionsSeen,
      durationMs: context.clock.now() - started,
      checks: results,
    };
  } finally {
    outer?.removeEventListener('abort', onAbort);
    agents.destroy();
  }
}

class CheckRun {
  private readonly statusCodes: Record<string, number> = {};
  /** Failures seen before the check became healthy: shown even when it passed, so that retries hide nothing. */
  private readonly warmupFailures = new Map<string, number>();
  private readonly version: VersionRule;
  private versionSeen?: string;

  constructor(
    private readonly check: Check,
    private readonly settings: ProbeSettings,
    private readonly context: ProbeContext,
    private readonly agents: Agents,
    private readonly limiter: Limiter,
    private readonly heartbeat: Heartbeat,
    private readonly unhealthy: Unhealthy,
  ) {
    this.version = { expected: settings.expectVersion, source: settings.versionSource };
  }

  async run(): Promise<CheckResult> {
    const { clock, logger } = this.context;
    const started = clock.now();
    const deadline = started + this.settings.waitForHealthyMs;
    let backoff = this.settings.initialBackoffMs ?? DEFAULT_INITIAL_BACKOFF_MS;
    let attempts = 0;
    let streak = 0;
    let lastFailure: string | undefined;
    // A healthy check's latency is that of its passing answers; a failed one shows every answer it got.
    const passingLatencies: number[] = [];
    const answeredLatencies: number[] = [];

    for (;;) {
      // A retry near the end of the warm-up may not outlast it by more than a second: the verdict is due then.
      const retrying = attempts > 0 && streak === 0 && this.settings.waitForHealthyMs > 0;
      const exchange = await this.request(
        retrying ? Math.max(1000, Math.min(this.settings.requestTimeoutMs, deadline - clock.now() + 1000)) : undefined,
      );
      attempts++;
      logger.debug(
        `${this.check.name}: attempt ${attempts}: ${exchange.status ?? 'no response'} in ${Math.round(exchange.latencyMs)} ms` +
          (exchange.failures.length > 0 ? `: ${exchange.failures.join('; ')}` : ''),
      );
      if (exchange.status !== undefined) answeredLatencies.push(exchange.latencyMs);
      if (exchange.failures.length === 0) {
        passingLatencies.push(exchange.latencyMs);
        streak++;
        if (streak >= this.settings.consecutiveSuccesses) break;
        await this.heartbeat.sleep(this.settings.streakIntervalMs ?? DEFAULT_STREAK_INTERVAL_MS, this.context.signal);
        continue;
      }
      streak = 0;
      const failure = exchange.failures.join('; ');
      this.warmupFailures.set(failure, (this.warmupFailures.get(failure) ?? 0) + 1);
      this.unhealthy.set(this.check.name, failure);
      const remaining = deadline - clock.now();
      if (remaining <= 0) {
        const waited = this.settings.waitForHealthyMs;
        const failureText =
          waited > 0
            ? `not healthy within wait-for-healthy-seconds (${seconds(waited)}; gave up after ${seconds(clock.now() - started)} and ${attempts} attempts); last failure: ${failure}`
            : attempts > 1
              ? `failed on attempt ${attempts}: ${failure}`
              : failure;
        return this.finish('failed', started, attempts, answeredLatencies, failureText);
      }
      if (failure !== lastFailure) {
        logger.info(`${this.check.name}: ${failure}; retrying for up to ${seconds(remaining)}`);
        lastFailure = failure;
      }
      // A service that says when to come back (Retry-After on 429/503) is believed, within the warm-up window.
      await this.heartbeat.sleep(
        sleepWithin(Math.max(backoff, exchange.retryAfterMs ?? 0), remaining),
        this.context.signal,
      );
      backoff = Math.min(backoff * 2, this.settings.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
    }
    this.unhealthy.delete(this.check.name);

    if (this.settings.samples <= 1) return this.finish('passed', started, attempts, passingLatencies);

    const latencies: number[] = [];
    const failures: string[] = [];
    for (let i = 0; i < this.settings.samples; i++) {
      const exchange = await this.request();
      if (exchange.status !== undefined) latencies.push(exchange.latencyMs);
      if (exchange.failures.length > 0) failures.push(exchange.failures.join('; '));
    }
    const errorRate = failures.length / this.settings.samples;
    const samples = {
      count: this.settings.samples,
      failed: failures.length,
      errorRate,
    };
    if (errorRate > this.settings.maxErrorRate) {
      const failureText =
        `${failures.length} of ${this.settings.samples} sampled requests failed (${percent(errorRate)}, ` +
        `max-error-rate ${percent(this.settings.maxErrorRate)}); most common: ${mostCommon(failures)}`;
      return this.finish('failed', started, attempts, latencies, failureText, samples);
    }
    return this.finish('passed', started, attempts, latencies, undefined, samples);
  }

  /** One request through the concurrency limit, judged against the check. Never throws except on cancellation. */
  private async request(timeoutMs = this.settings.requestTimeoutMs): Promise<Exchange> {
    const { clock } = this.context;
    return this.limiter.run(async () => {
      const began = performance.now();
      try {
        const response = await send(this.check.url, {
          method: this.check.method,
          headers: this.check.headers,
          ...(this.check.body !== undefined ? { body: this.check.body } : {}),
          timeoutMs,
          maxRedirects: this.settings.maxRedirects,
          agents: this.agents,
          ...(this.context.signal ? { signal: this.context.signal } : {}),
          ...(this.settings.userAgent ? { userAgent: this.settings.userAgent } : {}),
        });
        const latencyMs = performance.now() - began;
        this.count(String(response.status));
        const verdict = evaluateResponse({ ...response, latencyMs }, this.check, this.version, (text) =>
          this.scrub(text),
        );
        if (verdict.versionSeen !== undefined) this.versionSeen = verdict.versionSeen;
        const retryAfterMs =
          response.status === 429 || response.status === 503 ? retryAfter(response.headers, clock) : undefined;
        return {
          status: response.status,
          latencyMs,
          failures: verdict.failures.map((f) => this.scrub(f)),
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        };
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error;
        this.count('error');
        const message = this.scrub(error.message);
        return { latencyMs: performance.now() - began, failures: [message], networkError: message };
      }
    }, this.context.signal);
  }

  private count(key: string): void {
    this.statusCodes[key] = (this.statusCodes[key] ?? 0) + 1;
  }

  /** A response may echo a credential back; keep it out of every message. */
  private scrub(text: string): string {
    let result = text;
    for (const secret of this.check.secrets) if (secret.length >= 4) result = result.split(secret).join('***');
    return result;
  }

  private finish(
    result: 'passed' | 'failed',
    started: number,
    attempts: number,
    latencies: number[],
    failure?: string,
    samples?: CheckResult['samples'],
  ): CheckResult {
    this.unhealthy.delete(this.check.name);
    const stats = latencyStats(latencies);
    const slow = result === 'passed' ? p95Problem(stats, this.check.expect.maxP95LatencyMs) : undefined;
    if (slow) {
      result = 'failed';
      failure = slow;
    }
    const line = `${result === 'passed' ? '✓' : '✗'} ${this.check.name}: ${result}${
      attempts > 1 ? ` after ${attempts} attempts` : ''
    }${stats ? ` (p50 ${stats.p50} ms, p95 ${stats.p95} ms)` : ''}${failure ? `: ${failure}` : ''}`;
    this.context.logger.info(line);
    return {
      name: this.check.name,
      url: this.check.displayUrl,
      method: this.check.method,
      result,
      attempts,
      statusCodes: this.statusCodes,
      ...(stats ? { latencyMs: stats } : {}),
      ...(samples ? { samples } : {}),
      ...(this.versionSeen !== undefined ? { versionSeen: this.versionSeen } : {}),
      ...(failure ? { failure } : {}),
      ...(result === 'passed' && this.warmupFailures.size > 0
        ? { failedBeforeHealthy: [...this.warmupFailures].map(([text, count]) => ({ failure: text, count })) }
        : {}),
      durationMs: this.context.clock.now() - started,
    };
  }
}

/** Checks shown by name in a heartbeat; the rest are counted. */
const NAMED_IN_HEARTBEAT = 3;

/** `Smoke checks: 3 of 5 healthy; waiting for api (HTTP 503), health (connection refused)`, while any is not. */
function warmupBeat(unhealthy: Unhealthy, total: number, startedAt: number, settings: ProbeSettings) {
  if (unhealthy.size === 0) return undefined;
  const named = [...unhealthy]
    .slice(0, NAMED_IN_HEARTBEAT)
    .map(([name, failure]) => `${name} (${truncate(failure, 80)})`);
  const more = unhealthy.size > NAMED_IN_HEARTBEAT ? ` and ${unhealthy.size - NAMED_IN_HEARTBEAT} more` : '';
  return {
    what: `Smoke checks: ${total - unhealthy.size} of ${total} healthy; waiting for ${named.join(', ')}${more}`,
    startedAt,
    deadline: startedAt + settings.waitForHealthyMs,
  };
}

/** `Retry-After` as delay-seconds or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
export function retryAfter(headers: IncomingHttpHeaders, clock: Clock): number | undefined {
  const value = headers['retry-after']?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - clock.now());
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

function percent(rate: number): string {
  return `${Number((rate * 100).toFixed(1))}%`;
}

function mostCommon(items: string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  let best = '';
  let bestCount = 0;
  for (const [item, count] of counts) if (count > bestCount) [best, bestCount] = [item, count];
  return bestCount > 1 ? `${best} (${bestCount} times)` : best;
}

/** A p95 over `max-p95-latency-ms`, said with what it was measured over; undefined when within it (or unmeasured). */
function p95Problem(stats: LatencyStats | undefined, max: number | undefined): string | undefined {
  if (max === undefined || !stats || stats.p95 <= max) return undefined;
  return `p95 latency ${Math.round(stats.p95)} ms over ${stats.count} answer(s), over max-p95-latency-ms ${max}`;
}
