/**
 * The AWS SDK clients' side of the suite's policies. Every AWS client of the suite is made with
 * `awsClientConfig(...)`, which gives it:
 *
 * - a request handler that sends through the suite's dispatcher (./http.ts): the same proxy decision (HTTPS_PROXY,
 *   HTTP_PROXY, NO_PROXY), the same timeouts and connection pool as Octokit, Slack, the registry and the smoke probe.
 *   The handler is a thin adapter from the SDK's request to undici's `request()`: the SDK signs, retries and
 *   parses; this only moves bytes. It names undici's network errors the way Node's http module does (ECONNRESET,
 *   ETIMEDOUT), because that is what the SDK's retry strategy recognises as transient.
 * - a retry strategy for deployments (./retry.ts): throttling is retried against the step's deadline, other errors
 *   as the SDK's standard strategy does.
 * - the name of the operation on every error it throws (`awsErrorContext` in ./errors.ts reads it), so that no
 *   failure reaches the log as a bare "Rate exceeded".
 *
 * Region and endpoint still come from the standard variables (AWS_REGION, AWS_ENDPOINT_URL*).
 */
import { buildQueryString, HttpResponse, type HttpHandler, type HttpRequest } from '@smithy/core/protocols';
import type { HttpHandlerOptions, Logger } from '@smithy/types';
import { request, type Dispatcher } from 'undici';
import { nameOperation } from './errors.js';
import { httpDispatcher } from './http.js';
import type { RetryDeadline } from './deadline.js';
import { DeadlineRetryStrategy } from './retry.js';

export { DEFAULT_THROTTLING_BUDGET_MS, isThrottling } from './retry.js';

/** undici's error codes for a failure after the connection was made, and the names the SDK's retry knows them by. */
const SDK_ERROR_CODES: Record<string, string> = {
  UND_ERR_SOCKET: 'ECONNRESET',
  UND_ERR_CLOSED: 'ECONNRESET',
  UND_ERR_CONNECT_TIMEOUT: 'ETIMEDOUT',
  UND_ERR_HEADERS_TIMEOUT: 'ETIMEDOUT',
  UND_ERR_BODY_TIMEOUT: 'ETIMEDOUT',
};

export class PolicyHttpHandler implements HttpHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };

  constructor(private readonly dispatcher: () => Dispatcher = httpDispatcher) {}

  async handle(httpRequest: HttpRequest, options: HttpHandlerOptions = {}): Promise<{ response: HttpResponse }> {
    const query = buildQueryString(httpRequest.query ?? {});
    const port = httpRequest.port ? `:${httpRequest.port}` : '';
    const url = `${httpRequest.protocol}//${httpRequest.hostname}${port}${httpRequest.path}${query ? `?${query}` : ''}`;
    const withBody = httpRequest.method !== 'GET' && httpRequest.method !== 'HEAD';
    try {
      const answer = await request(url, {
        method: httpRequest.method as Dispatcher.HttpMethod,
        headers: httpRequest.headers,
        body: withBody ? httpRequest.body : undefined,
        signal: options.abortSignal as AbortSignal | undefined,
        dispatcher: this.dispatcher(),
      });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      return { response: new HttpResponse({ statusCode: answer.statusCode, headers, body: answer.body }) };
    } catch (error) {
      const code = SDK_ERROR_CODES[(error as { code?: string }).code ?? ''];
      if (!code) throw error;
      throw Object.assign(new Error((error as Error).message, { cause: error }), { code });
    }
  }

  updateHttpClientConfig(): void {
    // Nothing to configure: the policy lives in the dispatcher.
  }

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {
    // The dispatcher is shared by every client of the process and closes with it.
  }
}

let handler: PolicyHttpHandler | undefined;

/** What `awsClientConfig` adds to a client's own configuration (region and the like). */
export interface SuiteClientOptions {
  /**
   * Until when throttled calls are retried: the step's `Deadline`, or a `RetryBudget` for a client shared by several
   * waits. Where it gives none, each call retries throttling for DEFAULT_THROTTLING_BUDGET_MS.
   */
  deadline?: RetryDeadline;
}

/**
 * A client configuration with the suite's request handler, retry strategy and error naming:
 * `new ECSClient(awsClientConfig({ region, deadline }))`. The one place where the suite's AWS clients get them.
 */
export function awsClientConfig<Config extends object>(
  config: Config & SuiteClientOptions,
): Omit<Config, 'deadline'> & {
  requestHandler: PolicyHttpHandler;
  retryStrategy: DeadlineRetryStrategy;
  logger: Logger;
} {
  const { deadline, ...rest } = config;
  return {
    ...rest,
    requestHandler: (handler ??= new PolicyHttpHandler()),
    retryStrategy: new DeadlineRetryStrategy(deadline),
    logger: operationNamingLogger,
  };
}

/**
 * The SDK hands its logger every call that failed for good, with the command's name (its logger middleware runs
 * outside the retries). Nothing is printed here: the name is kept on the error, so that whoever reports it can say
 * which call failed.
 */
const operationNamingLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (entry: unknown) => {
    const { clientName, commandName, error } = (entry ?? {}) as {
      clientName?: string;
      commandName?: string;
      error?: unknown;
    };
    if (error && typeof error === 'object' && commandName) {
      nameOperation(error, clientName?.replace(/Client$/, '') ?? 'AWS', commandName.replace(/Command$/, ''));
    }
  },
};
