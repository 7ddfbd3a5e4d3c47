// Installation access tokens: `POST /app/installations/{id}/access_tokens`, the call through which GitHub Actions gets
// each job's GITHUB_TOKEN with the scopes the job's `permissions:` computes. The sandbox answers it so that a workflow
// runner can hand every job a token with exactly its scopes; the REST routes then enforce them like any other token.
import { randomBytes } from 'node:crypto';
import type { SandboxRequest } from '../core/module.js';
import { failure, type Answer } from './routes.js';
import type { GithubPermission } from './scenario.js';

const DOCS = 'https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app';

/** The path of the endpoint; the installation id is not checked (the sandbox holds one installation). */
export const ACCESS_TOKENS_PATH = /^\/app\/installations\/(\d+)\/access_tokens$/;

/** Scopes a token may carry; `metadata: read` comes with every installation token. */
export type TokenPermissions = Record<string, GithubPermission>;

export interface IssuedToken {
  token: string;
  permissions: TokenPermissions;
  expiresAt: string;
}

/** An app authenticates this endpoint with a JSON web token: three base64url parts. Its signature is not checked. */
function looksLikeJwt(header: string | undefined): boolean {
  return /^bearer\s+[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/i.test(header?.trim() ?? '');
}

/** Answers the request, storing the new token in `issued`. */
export function issueToken(req: SandboxRequest, issued: Map<string, IssuedToken>): Answer {
  if (req.method !== 'POST') return failure(404, 'Not Found', DOCS);
  const authorization = req.headers['authorization'];
  if (!authorization) return failure(401, 'Requires authentication', DOCS);
  if (!looksLikeJwt(authorization)) return failure(401, 'A JSON web token could not be decoded', DOCS);
  let body: { permissions?: unknown } | undefined;
  try {
    body = req.body.length > 0 ? req.json() : {};
  } catch {
    return failure(400, 'Problems parsing JSON', DOCS);
  }
  const requested = body?.permissions ?? {};
  if (typeof requested !== 'object' || requested === null || Array.isArray(requested)) {
    return failure(422, "Invalid request.\n\nFor 'properties/permissions', it is not an object.", DOCS);
  }
  const permissions: TokenPermissions = { metadata: 'read' };
  for (const [scope, access] of Object.entries(requested)) {
    if (access !== 'read' && access !== 'write') {
      return failure(422, `Invalid request.\n\n${JSON.stringify(access)} is not a member of ["read", "write"].`, DOCS);
    }
    permissions[scope] = access;
  }
  const expiresAt = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const token = `ghs_${randomBytes(18).toString('base64url').replace(/[-_]/g, '0')}`;
  issued.set(token, { token, permissions, expiresAt });
  return {
    status: 201,
    body: { token, expires_at: expiresAt, permissions, repository_selection: 'selected' },
  };
}
