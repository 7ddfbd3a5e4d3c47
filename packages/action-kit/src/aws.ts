/**
 * The AWS SDK clients' side of the HTTP policy (./http.ts). Every AWS client of the suite is made with
 * `awsClientConfig(...)`, which gives it a request handler that sends through the suite's dispatcher: the same proxy
 * decision (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), the same timeouts and connection pool as Octokit, Slack, the registry
 * and the smoke probe. Region and endpoint still come from the standard variables (AWS_REGION, AWS_ENDPOINT_URL*).
 *
 * The handler is a thin adapter from the SDK's request to undici's `request()`: the SDK signs, retries and parses;
 * this only moves bytes. It names undici's network errors the way Node's http module does (ECONNRESET, ETIMEDOUT),
 * because that is what the SDK's retry strategy recognises as transient.
 */
import { buildQueryString, HttpResponse, type HttpHandler, type HttpRequest } from '@smithy/core/protocols';
import type { HttpHandlerOptions } from '@smithy/types';
import { request, type Dispatcher } from 'undici';
import { httpDispatcher } from './http.js';

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

/**
 * A client configuration with the suite's request handler: `new ECSClient(awsClientConfig({ retryMode: 'adaptive' }))`.
 * The one place where the suite's AWS clients get their HTTP policy.
 */
export function awsClientConfig<Config extends object>(config: Config): Config & { requestHandler: PolicyHttpHandler } {
  return { ...config, requestHandler: (handler ??= new PolicyHttpHandler()) };
}
