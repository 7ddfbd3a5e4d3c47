// The sandbox's GitHub REST API: the repository endpoints the suite's actions call, served at the sandbox root
// so that GITHUB_API_URL can point at it.
import { randomUUID } from 'node:crypto';
import type { DescribedHttpModule, HttpOperation, ModuleExtras } from '../core/extensions.js';
import type { SandboxRequest, SandboxResponse, ServiceDefinition } from '../core/module.js';
import { allowed, failure, routes, type Answer, type Route } from './routes.js';
import { githubSectionSchema, type GithubPermission, type GithubSection } from './scenario.js';
import { GithubState } from './state.js';
import { ACCESS_TOKENS_PATH, issueToken } from './tokens.js';

export { GithubState } from './state.js';
export type { Commit, Deployment, DeploymentStatus, Issue, IssueComment, Release, Ref, TagObject } from './state.js';
export { DEFAULT_GITHUB_TOKEN, type GithubSection } from './scenario.js';

export type GithubModule = DescribedHttpModule & ModuleExtras & { state: GithubState };

const REPO_PATH = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/;

interface Match {
  owner: string;
  repo: string;
  route?: Route;
  groups: string[];
}

function match(req: SandboxRequest): Match | undefined {
  const repoMatch = REPO_PATH.exec(req.url.pathname);
  if (!repoMatch) return undefined;
  const [, owner = '', repo = '', rest = ''] = repoMatch;
  const path = rest.replace(/\/+$/, '');
  for (const route of routes) {
    if (route.method !== req.method) continue;
    const found = route.pattern.exec(path);
    if (found) return { owner, repo, route, groups: found.slice(1).map((g) => decodeURIComponent(g ?? '')) };
  }
  return { owner, repo, groups: [] };
}

function bearer(header: string | undefined): string | undefined {
  const found = /^(?:token|bearer)\s+(\S+)$/i.exec(header?.trim() ?? '');
  if (found) return found[1];
  const basic = /^basic\s+(\S+)$/i.exec(header?.trim() ?? '');
  if (basic?.[1]) return Buffer.from(basic[1], 'base64').toString('utf8').split(':')[1];
  return undefined;
}

export const githubService: ServiceDefinition<GithubSection, GithubModule, 'github'> = {
  key: 'github',
  schema: githubSectionSchema,
  create(section, env) {
    const state = new GithubState(section);
    const answer = (req: SandboxRequest): Answer => {
      if (ACCESS_TOKENS_PATH.test(req.url.pathname)) return issueToken(req, state.issuedTokens);
      const found = match(req);
      if (!found) return failure(404, 'Not Found');
      const token = bearer(req.headers['authorization']);
      if (!token) return failure(401, 'Requires authentication', 'https://docs.github.com/rest');
      const grant = section.tokens.find((t) => t.token === token) ?? state.issuedTokens.get(token);
      if (!grant) return failure(401, 'Bad credentials', 'https://docs.github.com/rest');
      const sameRepo =
        found.owner.toLowerCase() === state.owner.toLowerCase() &&
        found.repo.toLowerCase() === state.repo.toLowerCase();
      if (!sameRepo || !found.route) return failure(404, 'Not Found', 'https://docs.github.com/rest');
      const { route } = found;
      const scope = typeof route.scope === 'function' ? route.scope(state, found.groups) : route.scope;
      if (!scope) return failure(404, 'Not Found', route.docs);
      // Every token can read the repository's metadata; other scopes are what the token was given.
      const granted: GithubPermission =
        scope === 'metadata' ? 'read' : ((grant.permissions as Record<string, GithubPermission>)[scope] ?? 'none');
      if (!allowed(granted, route.method)) {
        return failure(403, 'Resource not accessible by integration', route.docs);
      }
      let body: unknown;
      if (req.body.length > 0) {
        try {
          body = req.json();
        } catch {
          return failure(400, 'Problems parsing JSON', route.docs);
        }
      }
      return route.handle({
        state,
        groups: found.groups,
        query: req.url.searchParams,
        body,
        apiUrl: env.baseUrl,
        serverUrl: section.serverUrl,
        url: req.url,
      });
    };
    return {
      protocol: 'http',
      name: 'github',
      state,
      describe(req): HttpOperation | undefined {
        // Issuing a job's token changes nothing in the repository: not a mutating call.
        if (ACCESS_TOKENS_PATH.test(req.url.pathname))
          return { operation: 'apps.createInstallationAccessToken', mutating: false, params: {} };
        const found = match(req);
        if (!found) return undefined;
        const operation = found.route?.operation ?? `${req.method} ${req.url.pathname}`;
        let params: unknown = Object.fromEntries(req.url.searchParams);
        if (req.body.length > 0) {
          try {
            params = { ...(params as object), ...(req.json() as object) };
          } catch {
            // Malformed JSON is answered (400) by handle; the recorder keeps the query parameters.
          }
        }
        return { operation, mutating: req.method !== 'GET' && req.method !== 'HEAD', params };
      },
      // GitHub's primary rate limit: 403 with x-ratelimit-remaining 0 and the reset time.
      throttled: () => ({
        status: 403,
        body: {
          message:
            'API rate limit exceeded for installation. If you reach out to GitHub Support for help, please include the request ID.',
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
          status: '403',
        },
        headers: {
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-used': '5000',
          'x-ratelimit-resource': 'core',
          'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 60),
        },
        errorCode: 'rate_limited',
      }),
      handle(req: SandboxRequest, res: SandboxResponse) {
        const result = answer(req);
        res.send(result.status, result.body, {
          'x-github-request-id': randomUUID().toUpperCase(),
          'x-github-api-version-selected': '2022-11-28',
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '4999',
          'x-ratelimit-resource': 'core',
          ...result.headers,
        });
        return true;
      },
      env: () => ({
        GITHUB_API_URL: env.baseUrl,
        GITHUB_SERVER_URL: section.serverUrl,
        GITHUB_REPOSITORY: section.repository,
        GITHUB_TOKEN: section.tokens[0]?.token ?? '',
        GITHUB_SHA: state.commits.at(-1)?.sha ?? '',
        GITHUB_REF: `refs/heads/${section.defaultBranch}`,
      }),
      secrets: () => [
        ...section.tokens.map(({ token }, index) => ({ name: `GitHub token #${index + 1}`, value: token })),
        ...[...state.issuedTokens.keys()].map((token, index) => ({
          name: `issued GitHub token #${index + 1}`,
          value: token,
        })),
      ],
    };
  },
};
