/**
 * Each job's GITHUB_TOKEN, issued by the sandbox's GitHub the way GitHub Actions gets it: an installation access token
 * (`POST /app/installations/{id}/access_tokens`) carrying exactly the job's scopes. `id-token` is not a REST scope:
 * it decides whether the runner gives the job the OIDC request variables.
 */
import type { Permissions } from './permissions.js';

/** An unsigned app JWT: the sandbox checks its shape, not its signature. */
const APP_JWT = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"iss":"workflow-runner"}').toString('base64url')}.`;

export async function issueJobToken(apiUrl: string, permissions: Permissions): Promise<string> {
  const requested = Object.fromEntries(
    Object.entries(permissions).filter(([scope, access]) => access !== 'none' && scope !== 'id-token'),
  );
  const response = await fetch(`${apiUrl.replace(/\/+$/, '')}/app/installations/1/access_tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${APP_JWT}`, 'content-type': 'application/json' },
    body: JSON.stringify({ permissions: requested }),
  });
  const body = (await response.json()) as { token?: string; message?: string };
  if (response.status !== 201 || !body.token) {
    throw new Error(`The GitHub API at ${apiUrl} issued no job token: ${response.status} ${body.message ?? ''}`);
  }
  return body.token;
}

/** The variables the runner sets for a job with `id-token: write` (what `core.getIDToken()` needs). */
export function oidcVariables(permissions: Permissions, apiUrl: string): Record<string, string> {
  if (permissions['id-token'] !== 'write') return {};
  return {
    ACTIONS_ID_TOKEN_REQUEST_URL: `${apiUrl.replace(/\/+$/, '')}/_oidc/token?api-version=2.0`,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token',
  };
}
