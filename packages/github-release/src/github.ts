import type { getOctokit } from '@actions/github';
import { UserError } from '@ecs-ship/action-kit';

/** The Octokit instance that `@actions/github`'s getOctokit returns (REST methods and pagination). */
export type GitHubClient = ReturnType<typeof getOctokit>;

export interface Repository {
  owner: string;
  repo: string;
}

/** `owner/name` (GITHUB_REPOSITORY) → its parts, or undefined when it is not of that form. */
export function parseRepository(fullName: string): Repository | undefined {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(fullName.trim());
  return match ? { owner: match[1]!, repo: match[2]! } : undefined;
}

/** The permissions a workflow's `permissions:` block grants to GITHUB_TOKEN that this package needs. */
export type Permission = 'contents: read' | 'contents: write' | 'deployments: write' | 'pull-requests: write';

/** What Octokit throws for an HTTP error (RequestError), read without importing it. */
export interface HttpFailure {
  status: number;
  message: string;
  headers: Record<string, string | undefined>;
  data: unknown;
}

export function httpFailure(error: unknown): HttpFailure | undefined {
  if (typeof error !== 'object' || error === null || typeof (error as { status?: unknown }).status !== 'number') {
    return undefined;
  }
  const { status, message, response } = error as {
    status: number;
    message?: string;
    response?: { headers?: Record<string, string | undefined>; data?: unknown };
  };
  return { status, message: message ?? '', headers: response?.headers ?? {}, data: response?.data };
}

export function statusOf(error: unknown): number | undefined {
  return httpFailure(error)?.status;
}

/** GitHub's own error text, without the documentation link it appends. */
function gitHubMessage(failure: HttpFailure): string {
  const data = failure.data as { message?: unknown } | undefined;
  const text = typeof data?.message === 'string' ? data.message : failure.message;
  return text.replace(/\s*-\s*https:\/\/docs\.github\.com\S*/g, '').trim() || `HTTP ${failure.status}`;
}

/**
 * Turns a failed GitHub call into a message a person can act on. A 403 or 404 on a write almost always means the
 * workflow's token lacks a permission (GitHub hides private repositories behind 404), so the message names it.
 * A rate limit is a 403 too, and says so instead. Anything else keeps GitHub's status and text.
 */
export function gitHubError(
  error: unknown,
  doing: string,
  permission: Permission,
  repository: Repository,
  /** The action input that carries the token, named when GitHub does not accept it. */
  tokenInput = 'token',
): Error {
  const failure = httpFailure(error);
  if (!failure) return error instanceof Error ? error : new Error(String(error));
  const said = gitHubMessage(failure);
  const fullName = `${repository.owner}/${repository.repo}`;
  const grant = `Give the job "permissions: ${permission}" (or use a token that has it)`;
  if (failure.status === 429 || (failure.status === 403 && isRateLimit(failure))) {
    const reset = Number(failure.headers['x-ratelimit-reset']);
    const when = Number.isFinite(reset) && reset > 0 ? ` after ${new Date(reset * 1000).toISOString()}` : ' later';
    return new UserError(
      `GitHub's API rate limit was reached while trying to ${doing} (${said}). Run the job again${when}.`,
      {
        title: 'GitHub rate limit',
        cause: error,
      },
    );
  }
  if (failure.status === 403) {
    return new UserError(`GitHub refused to ${doing} in ${fullName} (403: ${said}). ${grant}.`, {
      title: `Missing permission: ${permission}`,
      cause: error,
    });
  }
  if (failure.status === 404) {
    return new UserError(
      `GitHub answered 404 when asked to ${doing} in ${fullName} (${said}): the repository does not exist or the token may not ${permission.endsWith('read') ? 'read' : 'write to'} it. ${grant}.`,
      { title: `Missing permission: ${permission}`, cause: error },
    );
  }
  if (failure.status === 401) {
    return new UserError(
      `GitHub did not accept the token while trying to ${doing} (401: ${said}). Check the "${tokenInput}" input.`,
      {
        title: 'Bad credentials',
        cause: error,
      },
    );
  }
  return new UserError(`GitHub could not ${doing} in ${fullName} (${failure.status}: ${said}).`, { cause: error });
}

/**
 * GitHub refused the call for want of a permission (403, not a rate limit): what a read-only token gets for a write.
 * Looks through an error made by gitHubError to the HTTP failure it came from.
 */
export function refusedForPermission(error: unknown): boolean {
  const failure = httpFailure(error) ?? httpFailure((error as { cause?: unknown } | undefined)?.cause);
  return failure !== undefined && failure.status === 403 && !isRateLimit(failure);
}

function isRateLimit(failure: HttpFailure): boolean {
  return failure.headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(gitHubMessage(failure));
}
