// What every GitHub route shares: the request context, GitHub's error bodies, URLs, node ids and pagination.
import type { GithubPermission } from '../scenario.js';
import type { GithubState } from '../state.js';

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext {
  state: GithubState;
  groups: string[];
  query: URLSearchParams;
  body: any;
  apiUrl: string;
  serverUrl: string;
  /** The full request URL, for Link headers. */
  url: URL;
}

/** A token permission (`metadata` is read by every token). */
export type Scope = 'contents' | 'deployments' | 'metadata' | 'issues' | 'pull-requests';

export interface Route {
  method: string;
  /** Matched against the path after /repos/{owner}/{repo}. */
  pattern: RegExp;
  /** Octokit's name for the endpoint, used by the recorder and by faults. */
  operation: string;
  /**
   * The token permission the endpoint needs, or how to tell it from the resource the request names (an issue
   * comment needs `issues` on an issue and `pull-requests` on a pull request); undefined when there is no such
   * resource (404).
   */
  scope: Scope | ((state: GithubState, groups: string[]) => Scope | undefined);
  docs: string;
  handle(ctx: RouteContext): Answer;
}

export const DOCS = 'https://docs.github.com/rest';
export const BOT = {
  login: 'github-actions[bot]',
  id: 41898282,
  type: 'Bot',
  html_url: 'https://github.com/apps/github-actions',
};

export function failure(status: number, message: string, docs = DOCS, extra: Record<string, unknown> = {}): Answer {
  return { status, body: { message, ...extra, documentation_url: docs, status: String(status) } };
}

/** 422 the way GitHub reports a request body that breaks the endpoint's schema. */
export function missing(field: string, docs: string): Answer {
  return failure(422, `Invalid request.\n\n"${field}" wasn't supplied.`, docs);
}

export function validation(docs: string, errors: Record<string, unknown>[]): Answer {
  return failure(422, 'Validation Failed', docs, { errors });
}

/** What a token must hold for a method on a scope; GitHub answers 403 "Resource not accessible by integration". */
export function allowed(granted: GithubPermission, method: string): boolean {
  const needs = method === 'GET' || method === 'HEAD' ? 'read' : 'write';
  return granted === 'write' || (granted === 'read' && needs === 'read');
}

export function repoUrl(ctx: RouteContext): string {
  return `${ctx.apiUrl}/repos/${ctx.state.owner}/${ctx.state.repo}`;
}
export function htmlUrl(ctx: RouteContext): string {
  return `${ctx.serverUrl.replace(/\/+$/, '')}/${ctx.state.owner}/${ctx.state.repo}`;
}
export function nodeId(prefix: string, id: number | string): string {
  return `${prefix}_${Buffer.from(String(id)).toString('base64url')}`;
}

/** One page of a list, with the Link header Octokit's paginate follows. */
export function paginate<T>(ctx: RouteContext, items: T[]): Answer {
  const perPage = Math.min(100, Math.max(1, Number(ctx.query.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(ctx.query.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string) => {
    const url = new URL(ctx.url);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(n));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length ? { link: links.join(', ') } : {},
  };
}
