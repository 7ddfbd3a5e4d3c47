import { getOctokit } from '@actions/github';
import type { GitHubClient } from '../src/github.js';

/** One answer the fake gives: status and JSON body. */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Route = (request: {
  method: string;
  path: string;
  query: URLSearchParams;
  body: any;
}) => Answer | undefined;

/**
 * Octokit over a scripted `fetch`: the SDK boundary. Each request goes to the first route that answers; every call
 * is kept so tests can see which ones were made. An unrouted request is a test failure (404 with a marker).
 */
export function scriptedClient(routes: Route[]): { client: GitHubClient; calls: string[] } {
  const calls: string[] = [];
  const fetch = async (url: string | URL, init: RequestInit = {}): Promise<Response> => {
    const parsed = new URL(String(url));
    const method = (init.method ?? 'GET').toUpperCase();
    const path = decodeURIComponent(parsed.pathname);
    calls.push(`${method} ${path}`);
    const body = typeof init.body === 'string' && init.body !== '' ? JSON.parse(init.body) : undefined;
    for (const route of routes) {
      const answer = route({ method, path, query: parsed.searchParams, body });
      if (answer) {
        return new Response(answer.status === 204 ? null : JSON.stringify(answer.body ?? {}), {
          status: answer.status,
          headers: { 'content-type': 'application/json', ...answer.headers },
        });
      }
    }
    return new Response(JSON.stringify({ message: `unrouted ${method} ${path}` }), { status: 404 });
  };
  const client = getOctokit('ghs_test', { request: { fetch, retries: 0 } });
  return { client, calls };
}

export function on(
  method: string,
  path: string | RegExp,
  answer: Answer | ((body: any, query: URLSearchParams) => Answer),
): Route {
  return (request) => {
    if (request.method !== method) return undefined;
    if (typeof path === 'string' ? request.path !== path : !path.test(request.path)) return undefined;
    return typeof answer === 'function' ? answer(request.body, request.query) : answer;
  };
}
