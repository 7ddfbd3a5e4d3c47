/**
 * The Octokit the actions use: the same client `@actions/github`'s getOctokit builds (Octokit with the REST methods
 * and pagination, the API base from GITHUB_API_URL, `token` authentication), made without loading what a step on a
 * direct connection does not need.
 *
 * getOctokit always sends through the undici package with an HTTP client made for proxies, and loading undici
 * compiles its HTTP parser at once: about 19 MB of resident memory, then more on the first request. Behind a proxy
 * that is exactly what is wanted, so a step with a proxy variable set gets getOctokit itself; otherwise Octokit
 * sends its few small JSON requests over node:http (`httpFetch`).
 */
import type { Logger } from '@ecs-ship/action-kit';
import type { GitHubClient } from './github.js';

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];

/** The first proxy variable set, by name (its value may hold credentials and is never shown). */
export function proxyVariable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return PROXY_VARIABLES.find((name) => Boolean(env[name]?.trim()));
}

export async function createGitHubClient(token: string, logger?: Logger): Promise<GitHubClient> {
  const proxy = proxyVariable();
  if (proxy) {
    logger?.info(`GitHub requests follow the proxy settings (${proxy}, no_proxy) through @actions/github.`);
    const { getOctokit } = await import('@actions/github');
    return getOctokit(token);
  }
  const [{ Octokit }, { restEndpointMethods }, { paginateRest }, { httpFetch }] = await Promise.all([
    import('@octokit/core'),
    import('@octokit/plugin-rest-endpoint-methods'),
    import('@octokit/plugin-paginate-rest'),
    import('@ecs-ship/action-kit/http-fetch'),
  ]);
  const GitHub = Octokit.plugin(restEndpointMethods, paginateRest);
  return new GitHub({
    auth: `token ${token}`,
    baseUrl: process.env.GITHUB_API_URL || 'https://api.github.com',
    request: { fetch: httpFetch },
  });
}
