/**
 * The GITHUB_TOKEN's scopes for a job, computed the way GitHub computes them:
 * - a job's `permissions:` replaces the workflow's for that job (the two are never merged);
 * - once a block names any scope, every scope it does not name is `none`;
 * - `read-all` / `write-all` set every scope, `{}` sets every scope to `none`;
 * - with no block at either level, the repository's default applies. The runner uses the restricted default, which
 *   GitHub gives repositories created since February 2023 (and organisations that chose it): `contents: read` and
 *   `packages: read` (`metadata: read` is always granted and cannot be declared).
 * - a `pull_request` run from a fork gets a read-only token and cannot get `id-token: write`.
 */

/** The scopes a workflow may declare (actionlint 1.7.7's list). */
export const SCOPES = [
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
] as const;

export type Scope = (typeof SCOPES)[number];
export type Access = 'none' | 'read' | 'write';
export type Permissions = Record<Scope, Access>;

const everything = (access: Access): Permissions =>
  Object.fromEntries(SCOPES.map((scope) => [scope, access])) as Permissions;

/** What a job gets when neither it nor the workflow declares `permissions:` (the restricted default). */
export const RESTRICTED_DEFAULT: Permissions = { ...everything('none'), contents: 'read', packages: 'read' };

/** One `permissions:` block as written; undefined when the key is absent. */
export function parsePermissions(block: unknown, where: string): Permissions | undefined {
  if (block === undefined) return undefined;
  if (block === 'read-all') return everything('read');
  if (block === 'write-all') return everything('write');
  if (block === null || typeof block !== 'object' || Array.isArray(block)) {
    throw new Error(
      `${where}: permissions must be read-all, write-all or a map of scopes, not ${JSON.stringify(block)}`,
    );
  }
  const result = everything('none');
  for (const [scope, access] of Object.entries(block)) {
    if (!(SCOPES as readonly string[]).includes(scope))
      throw new Error(`${where}: unknown permission scope "${scope}"`);
    if (!['none', 'read', 'write'].includes(String(access)))
      throw new Error(`${where}: permission "${scope}" must be none, read or write, not ${JSON.stringify(access)}`);
    if (scope === 'id-token' && access === 'read')
      throw new Error(`${where}: "id-token" is either write or none (read grants nothing)`);
    result[scope as Scope] = access as Access;
  }
  return result;
}

export interface TokenContext {
  /** A `pull_request` run whose head is in a fork. */
  fromFork?: boolean;
}

/** The effective token scopes of one job. */
export function effectivePermissions(
  workflowBlock: unknown,
  jobBlock: unknown,
  job: string,
  context: TokenContext = {},
): Permissions {
  const declared =
    parsePermissions(jobBlock, `job "${job}"`) ?? parsePermissions(workflowBlock, 'the workflow') ?? RESTRICTED_DEFAULT;
  if (!context.fromFork) return { ...declared };
  const readOnly = everything('none');
  for (const scope of SCOPES) readOnly[scope] = declared[scope] === 'none' ? 'none' : 'read';
  readOnly['id-token'] = 'none';
  return readOnly;
}

/** The scopes a block grants (anything but `none`), for listing what a job asked for. */
export function grantedScopes(permissions: Permissions): Scope[] {
  return SCOPES.filter((scope) => permissions[scope] !== 'none');
}

/** GitHub's answer when a token lacks the scope an endpoint needs. */
export const NOT_ACCESSIBLE = 'Resource not accessible by integration';
