// GitHub REST endpoints the suite uses, with GitHub's status codes and error bodies.
import type { GithubPermission } from './scenario.js';
import {
  nowIso,
  type Deployment,
  type DeploymentStatus,
  type GithubState,
  type Release,
  type TagObject,
} from './state.js';

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
const BOT = {
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

function commitJson(ctx: RouteContext, sha: string) {
  const commit = ctx.state.commit(sha);
  if (!commit) return undefined;
  const index = ctx.state.commits.indexOf(commit);
  const parent = index > 0 ? ctx.state.commits[index - 1] : undefined;
  const person = { name: commit.author, email: `${commit.author}@users.noreply.github.com`, date: commit.date };
  return {
    sha: commit.sha,
    node_id: nodeId('C', commit.sha),
    url: `${repoUrl(ctx)}/commits/${commit.sha}`,
    html_url: `${htmlUrl(ctx)}/commit/${commit.sha}`,
    commit: {
      message: commit.message,
      author: person,
      committer: person,
      tree: { sha: commit.sha.split('').reverse().join('') },
      comment_count: 0,
    },
    author: { login: commit.author, type: 'User' },
    committer: { login: commit.author, type: 'User' },
    parents: parent
      ? [
          {
            sha: parent.sha,
            url: `${repoUrl(ctx)}/commits/${parent.sha}`,
            html_url: `${htmlUrl(ctx)}/commit/${parent.sha}`,
          },
        ]
      : [],
  };
}

function refJson(ctx: RouteContext, ref: { ref: string; sha: string; type: string }) {
  const objectPath = ref.type === 'tag' ? 'git/tags' : 'git/commits';
  return {
    ref: ref.ref,
    node_id: nodeId('REF', ref.ref),
    url: `${repoUrl(ctx)}/git/${ref.ref}`,
    object: { sha: ref.sha, type: ref.type, url: `${repoUrl(ctx)}/${objectPath}/${ref.sha}` },
  };
}

function tagJson(ctx: RouteContext, tag: TagObject) {
  return {
    node_id: nodeId('TAG', tag.sha),
    sha: tag.sha,
    url: `${repoUrl(ctx)}/git/tags/${tag.sha}`,
    tag: tag.tag,
    message: tag.message,
    tagger: tag.tagger,
    object: { ...tag.object, url: `${repoUrl(ctx)}/git/commits/${tag.object.sha}` },
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

function releaseJson(ctx: RouteContext, release: Release) {
  const url = `${repoUrl(ctx)}/releases/${release.id}`;
  return {
    url,
    assets_url: `${url}/assets`,
    upload_url: `${url}/assets{?name,label}`,
    html_url: `${htmlUrl(ctx)}/releases/tag/${encodeURIComponent(release.tag_name)}`,
    id: release.id,
    node_id: nodeId('RE', release.id),
    author: BOT,
    tag_name: release.tag_name,
    target_commitish: release.target_commitish,
    name: release.name,
    body: release.body,
    draft: release.draft,
    prerelease: release.prerelease,
    immutable: false,
    created_at: release.created_at,
    published_at: release.published_at,
    assets: [],
    tarball_url: `${repoUrl(ctx)}/tarball/${release.tag_name}`,
    zipball_url: `${repoUrl(ctx)}/zipball/${release.tag_name}`,
  };
}

function deploymentJson(ctx: RouteContext, d: Deployment) {
  const url = `${repoUrl(ctx)}/deployments/${d.id}`;
  return {
    url,
    id: d.id,
    node_id: nodeId('DE', d.id),
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.original_environment,
    environment: d.environment,
    description: d.description,
    creator: BOT,
    created_at: d.created_at,
    updated_at: d.statuses.at(-1)?.created_at ?? d.created_at,
    statuses_url: `${url}/statuses`,
    repository_url: repoUrl(ctx),
    transient_environment: d.transient_environment,
    production_environment: d.production_environment,
  };
}

function statusJson(ctx: RouteContext, d: Deployment, s: DeploymentStatus) {
  const deploymentUrl = `${repoUrl(ctx)}/deployments/${d.id}`;
  return {
    url: `${deploymentUrl}/statuses/${s.id}`,
    id: s.id,
    node_id: nodeId('DES', s.id),
    state: s.state,
    creator: BOT,
    description: s.description,
    environment: s.environment,
    target_url: s.target_url,
    log_url: s.log_url,
    environment_url: s.environment_url,
    created_at: s.created_at,
    updated_at: s.created_at,
    deployment_url: deploymentUrl,
    repository_url: repoUrl(ctx),
  };
}

/** Release notes the way "Generate release notes" writes them, from the commits since the previous release. */
function generatedNotes(ctx: RouteContext, tag: string, targetSha: string): string {
  const previous = ctx.state.releases.filter((r) => !r.draft && !r.prerelease).at(-1);
  const previousSha = previous ? ctx.state.resolve(previous.tag_name) : undefined;
  const commits = ctx.state.range(previousSha, targetSha);
  const lines = commits.map((c) => {
    const title = c.message.split('\n')[0] ?? '';
    const where = c.pr ? `${htmlUrl(ctx)}/pull/${c.pr}` : `${htmlUrl(ctx)}/commit/${c.sha}`;
    return `* ${title} by @${c.author} in ${where}`;
  });
  const changelog = previous
    ? `${htmlUrl(ctx)}/compare/${previous.tag_name}...${tag}`
    : `${htmlUrl(ctx)}/commits/${tag}`;
  return [...(lines.length ? ["## What's Changed", ...lines, ''] : []), `**Full Changelog**: ${changelog}`].join('\n');
}

const REF_DOCS = `${DOCS}/git/refs`;
const TAG_DOCS = `${DOCS}/git/tags`;
const RELEASE_DOCS = `${DOCS}/releases/releases`;
const DEPLOY_DOCS = `${DOCS}/deployments/deployments`;
const STATUS_DOCS = `${DOCS}/deployments/statuses`;
const COMMIT_DOCS = `${DOCS}/commits/commits`;
const DEPLOYMENT_STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];

function findDeployment(ctx: RouteContext): Deployment | undefined {
  return ctx.state.deployments.find((d) => d.id === Number(ctx.groups[0]));
}

export const routes: Route[] = [
  {
    method: 'GET',
    pattern: /^$/,
    operation: 'repos.get',
    scope: 'metadata',
    docs: `${DOCS}/repos/repos#get-a-repository`,
    handle: (ctx) => ({
      status: 200,
      body: {
        id: 1296269,
        node_id: nodeId('R', ctx.state.owner + '/' + ctx.state.repo),
        name: ctx.state.repo,
        full_name: `${ctx.state.owner}/${ctx.state.repo}`,
        owner: { login: ctx.state.owner, type: 'Organization' },
        private: true,
        html_url: htmlUrl(ctx),
        url: repoUrl(ctx),
        default_branch: ctx.state.section.defaultBranch,
      },
    }),
  },
  {
    method: 'GET',
    pattern: /^\/commits\/([^/]+)$/,
    operation: 'repos.getCommit',
    scope: 'contents',
    docs: `${COMMIT_DOCS}#get-a-commit`,
    handle: (ctx) => {
      const ref = ctx.groups[0] ?? '';
      const sha = ctx.state.resolve(ref);
      const body = sha ? commitJson(ctx, sha) : undefined;
      return body
        ? { status: 200, body }
        : failure(422, `No commit found for SHA: ${ref}`, `${COMMIT_DOCS}#get-a-commit`);
    },
  },
  {
    method: 'GET',
    pattern: /^\/compare\/(.+?)\.\.\.(.+)$/,
    operation: 'repos.compareCommitsWithBasehead',
    scope: 'contents',
    docs: `${COMMIT_DOCS}#compare-two-commits`,
    handle: (ctx) => {
      const [base = '', head = ''] = ctx.groups;
      const baseSha = ctx.state.resolve(base);
      const headSha = ctx.state.resolve(head);
      if (!baseSha || !headSha) return failure(404, 'Not Found', `${COMMIT_DOCS}#compare-two-commits`);
      const ahead = ctx.state.range(baseSha, headSha);
      const behind = ctx.state.range(headSha, baseSha);
      const status =
        ahead.length && behind.length ? 'diverged' : ahead.length ? 'ahead' : behind.length ? 'behind' : 'identical';
      return {
        status: 200,
        body: {
          url: `${repoUrl(ctx)}/compare/${base}...${head}`,
          html_url: `${htmlUrl(ctx)}/compare/${base}...${head}`,
          status,
          ahead_by: ahead.length,
          behind_by: behind.length,
          total_commits: ahead.length,
          commits: ahead.map((c) => commitJson(ctx, c.sha)),
          files: [],
        },
      };
    },
  },
  {
    method: 'POST',
    pattern: /^\/git\/tags$/,
    operation: 'git.createTag',
    scope: 'contents',
    docs: `${TAG_DOCS}#create-a-tag-object`,
    handle: (ctx) => {
      const docs = `${TAG_DOCS}#create-a-tag-object`;
      for (const field of ['tag', 'message', 'object', 'type']) {
        if (typeof ctx.body?.[field] !== 'string') return missing(field, docs);
      }
      const { tag, message, object, type } = ctx.body as Record<string, string>;
      if (!['commit', 'tree', 'blob', 'tag'].includes(type ?? '')) {
        return failure(
          422,
          `Invalid request.\n\n${JSON.stringify(type)} is not a member of ["commit", "tree", "blob", "tag"].`,
          docs,
        );
      }
      const known = type === 'tag' ? ctx.state.tagObjects.has(object ?? '') : !!ctx.state.commit(object ?? '');
      if (!known) return failure(422, 'Object does not exist', docs);
      const tagger = ctx.body.tagger ?? {
        name: BOT.login,
        email: '41898282+github-actions[bot]@users.noreply.github.com',
      };
      const created = ctx.state.createTagObject({
        tag: tag ?? '',
        message: message ?? '',
        object: { sha: object ?? '', type: type ?? 'commit' },
        tagger: { name: String(tagger.name), email: String(tagger.email), date: tagger.date ?? nowIso() },
      });
      return {
        status: 201,
        body: tagJson(ctx, created),
        headers: { location: `${repoUrl(ctx)}/git/tags/${created.sha}` },
      };
    },
  },
  {
    method: 'GET',
    pattern: /^\/git\/tags\/([0-9a-f]{40})$/,
    operation: 'git.getTag',
    scope: 'contents',
    docs: `${TAG_DOCS}#get-a-tag`,
    handle: (ctx) => {
      const tag = ctx.state.tagObjects.get(ctx.groups[0] ?? '');
      return tag ? { status: 200, body: tagJson(ctx, tag) } : failure(404, 'Not Found', `${TAG_DOCS}#get-a-tag`);
    },
  },
  {
    method: 'POST',
    pattern: /^\/git\/refs$/,
    operation: 'git.createRef',
    scope: 'contents',
    docs: `${REF_DOCS}#create-a-reference`,
    handle: (ctx) => {
      const docs = `${REF_DOCS}#create-a-reference`;
      for (const field of ['ref', 'sha']) if (typeof ctx.body?.[field] !== 'string') return missing(field, docs);
      const { ref, sha } = ctx.body as { ref: string; sha: string };
      if (!/^refs\/[^/]+\/.+/.test(ref)) {
        return failure(422, "Reference name must start with 'refs/' and have at least two slashes.", docs);
      }
      const type = ctx.state.tagObjects.has(sha) ? 'tag' : ctx.state.commit(sha) ? 'commit' : undefined;
      if (!type) return failure(422, 'Object does not exist', docs);
      if (ctx.state.refs.has(ref)) return failure(422, 'Reference already exists', docs);
      const created = { ref, sha, type } as const;
      ctx.state.refs.set(ref, created);
      return { status: 201, body: refJson(ctx, created), headers: { location: `${repoUrl(ctx)}/git/${ref}` } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/git\/ref\/(.+)$/,
    operation: 'git.getRef',
    scope: 'contents',
    docs: `${REF_DOCS}#get-a-reference`,
    handle: (ctx) => {
      const ref = ctx.state.refs.get(`refs/${ctx.groups[0] ?? ''}`);
      return ref ? { status: 200, body: refJson(ctx, ref) } : failure(404, 'Not Found', `${REF_DOCS}#get-a-reference`);
    },
  },
  {
    method: 'GET',
    pattern: /^\/git\/matching-refs\/(.*)$/,
    operation: 'git.listMatchingRefs',
    scope: 'contents',
    docs: `${REF_DOCS}#list-matching-references`,
    handle: (ctx) => {
      const prefix = `refs/${ctx.groups[0] ?? ''}`;
      const matching = [...ctx.state.refs.values()]
        .filter((r) => r.ref.startsWith(prefix))
        .sort((a, b) => a.ref.localeCompare(b.ref));
      return paginate(
        ctx,
        matching.map((r) => refJson(ctx, r)),
      );
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/git\/refs\/(.+)$/,
    operation: 'git.updateRef',
    scope: 'contents',
    docs: `${REF_DOCS}#update-a-reference`,
    handle: (ctx) => {
      const docs = `${REF_DOCS}#update-a-reference`;
      const name = `refs/${ctx.groups[0] ?? ''}`;
      const existing = ctx.state.refs.get(name);
      if (!existing) return failure(422, 'Reference does not exist', docs);
      if (typeof ctx.body?.sha !== 'string') return missing('sha', docs);
      const sha = ctx.body.sha as string;
      const type = ctx.state.tagObjects.has(sha) ? 'tag' : ctx.state.commit(sha) ? 'commit' : undefined;
      if (!type) return failure(422, 'Object does not exist', docs);
      // Without `force: true` a ref only moves forward: the commit it points at must be an ancestor of the new one.
      if (ctx.body.force !== true && !ctx.state.isAncestor(ctx.state.peel(existing.sha), ctx.state.peel(sha))) {
        return failure(422, 'Update is not a fast forward', docs);
      }
      const updated = { ref: name, sha, type } as const;
      ctx.state.refs.set(name, updated);
      return { status: 200, body: refJson(ctx, updated) };
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/git\/refs\/(.+)$/,
    operation: 'git.deleteRef',
    scope: 'contents',
    docs: `${REF_DOCS}#delete-a-reference`,
    handle: (ctx) => {
      const name = `refs/${ctx.groups[0] ?? ''}`;
      if (!ctx.state.refs.delete(name))
        return failure(422, 'Reference does not exist', `${REF_DOCS}#delete-a-reference`);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern: /^\/tags$/,
    operation: 'repos.listTags',
    scope: 'contents',
    docs: `${DOCS}/repos/repos#list-repository-tags`,
    handle: (ctx) => {
      const tags = [...ctx.state.refs.values()].filter((r) => r.ref.startsWith('refs/tags/')).reverse();
      return paginate(
        ctx,
        tags.map((r) => {
          const name = r.ref.slice('refs/tags/'.length);
          const sha = ctx.state.peel(r.sha) ?? r.sha;
          return {
            name,
            commit: { sha, url: `${repoUrl(ctx)}/commits/${sha}` },
            zipball_url: `${repoUrl(ctx)}/zipball/refs/tags/${name}`,
            tarball_url: `${repoUrl(ctx)}/tarball/refs/tags/${name}`,
            node_id: nodeId('REF', r.ref),
          };
        }),
      );
    },
  },
  {
    method: 'POST',
    pattern: /^\/releases$/,
    operation: 'repos.createRelease',
    scope: 'contents',
    docs: `${RELEASE_DOCS}#create-a-release`,
    handle: (ctx) => {
      const docs = `${RELEASE_DOCS}#create-a-release`;
      const body = (ctx.body ?? {}) as Record<string, any>;
      if (typeof body.tag_name !== 'string') return missing('tag_name', docs);
      const tag: string = body.tag_name;
      const draft = body.draft === true;
      if (ctx.state.releases.some((r) => r.tag_name === tag && !r.draft) && !draft) {
        return validation(docs, [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }]);
      }
      const target: string = body.target_commitish ?? ctx.state.section.defaultBranch;
      const existingTag = ctx.state.resolve(`refs/tags/${tag}`);
      const targetSha = existingTag ?? ctx.state.resolve(target);
      if (!targetSha) return validation(docs, [{ resource: 'Release', code: 'invalid', field: 'target_commitish' }]);
      if (!existingTag && !draft)
        ctx.state.refs.set(`refs/tags/${tag}`, { ref: `refs/tags/${tag}`, sha: targetSha, type: 'commit' });
      let releaseBody: string | null = typeof body.body === 'string' ? body.body : null;
      let name: string | null = typeof body.name === 'string' ? body.name : null;
      if (body.generate_release_notes === true) {
        const notes = generatedNotes(ctx, tag, targetSha);
        releaseBody = releaseBody ? `${releaseBody}\n\n${notes}` : notes;
        name ??= tag;
      }
      const created = nowIso();
      const release: Release = {
        id: ctx.state.id() + 100_000_000,
        tag_name: tag,
        target_commitish: target,
        name,
        body: releaseBody,
        draft,
        prerelease: body.prerelease === true,
        latest: body.make_latest !== 'false',
        created_at: created,
        published_at: draft ? null : created,
      };
      ctx.state.releases.push(release);
      return {
        status: 201,
        body: releaseJson(ctx, release),
        headers: { location: `${repoUrl(ctx)}/releases/${release.id}` },
      };
    },
  },
  {
    method: 'GET',
    pattern: /^\/releases$/,
    operation: 'repos.listReleases',
    scope: 'contents',
    docs: `${RELEASE_DOCS}#list-releases`,
    handle: (ctx) =>
      paginate(
        ctx,
        [...ctx.state.releases].reverse().map((r) => releaseJson(ctx, r)),
      ),
  },
  {
    method: 'GET',
    pattern: /^\/releases\/latest$/,
    operation: 'repos.getLatestRelease',
    scope: 'contents',
    docs: `${RELEASE_DOCS}#get-the-latest-release`,
    handle: (ctx) => {
      const latest = ctx.state.latestRelease();
      return latest
        ? { status: 200, body: releaseJson(ctx, latest) }
        : failure(404, 'Not Found', `${RELEASE_DOCS}#get-the-latest-release`);
    },
  },
  {
    method: 'GET',
    pattern: /^\/releases\/tags\/(.+)$/,
    operation: 'repos.getReleaseByTag',
    scope: 'contents',
    docs: `${RELEASE_DOCS}#get-a-release-by-tag-name`,
    handle: (ctx) => {
      const release = ctx.state.releases.find((r) => r.tag_name === ctx.groups[0] && !r.draft);
      return release
        ? { status: 200, body: releaseJson(ctx, release) }
        : failure(404, 'Not Found', `${RELEASE_DOCS}#get-a-release-by-tag-name`);
    },
  },
  {
    method: 'GET',
    pattern: /^\/releases\/(\d+)$/,
    operation: 'repos.getRelease',
    scope: 'contents',
    docs: `${RELEASE_DOCS}#get-a-release`,
    handle: (ctx) => {
      const release = ctx.state.releases.find((r) => r.id === Number(ctx.groups[0]));
      return release
        ? { status: 200, body: releaseJson(ctx, release) }
        : failure(404, 'Not Found', `${RELEASE_DOCS}#get-a-release`);
    },
  },
  {
    method: 'POST',
    pattern: /^\/deployments$/,
    operation: 'repos.createDeployment',
    scope: 'deployments',
    docs: `${DEPLOY_DOCS}#create-a-deployment`,
    handle: (ctx) => {
      const docs = `${DEPLOY_DOCS}#create-a-deployment`;
      const body = (ctx.body ?? {}) as Record<string, any>;
      if (typeof body.ref !== 'string') return missing('ref', docs);
      const sha = ctx.state.resolve(body.ref);
      if (!sha) return failure(422, `No ref found for: ${body.ref}`, docs);
      const environment = typeof body.environment === 'string' ? body.environment : 'production';
      let payload: unknown = body.payload ?? {};
      if (typeof payload === 'string') {
        try {
          payload = payload === '' ? {} : JSON.parse(payload);
        } catch {
          return validation(docs, [{ resource: 'Deployment', code: 'invalid', field: 'payload' }]);
        }
      }
      const deployment: Deployment = {
        id: ctx.state.id() + 1_000_000_000,
        sha,
        ref: body.ref,
        task: typeof body.task === 'string' ? body.task : 'deploy',
        payload,
        environment,
        original_environment: environment,
        description: typeof body.description === 'string' ? body.description : null,
        transient_environment: body.transient_environment === true,
        production_environment:
          typeof body.production_environment === 'boolean' ? body.production_environment : environment === 'production',
        created_at: nowIso(),
        statuses: [],
      };
      ctx.state.deployments.push(deployment);
      return {
        status: 201,
        body: deploymentJson(ctx, deployment),
        headers: { location: `${repoUrl(ctx)}/deployments/${deployment.id}` },
      };
    },
  },
  {
    method: 'GET',
    pattern: /^\/deployments$/,
    operation: 'repos.listDeployments',
    scope: 'deployments',
    docs: `${DEPLOY_DOCS}#list-deployments`,
    handle: (ctx) => {
      const filters = ['sha', 'ref', 'task', 'environment'] as const;
      const found = ctx.state.deployments.filter((d) =>
        filters.every((f) => !ctx.query.has(f) || ctx.query.get(f) === d[f]),
      );
      return paginate(
        ctx,
        found.reverse().map((d) => deploymentJson(ctx, d)),
      );
    },
  },
  {
    method: 'GET',
    pattern: /^\/deployments\/(\d+)$/,
    operation: 'repos.getDeployment',
    scope: 'deployments',
    docs: `${DEPLOY_DOCS}#get-a-deployment`,
    handle: (ctx) => {
      const deployment = findDeployment(ctx);
      return deployment
        ? { status: 200, body: deploymentJson(ctx, deployment) }
        : failure(404, 'Not Found', `${DEPLOY_DOCS}#get-a-deployment`);
    },
  },
  {
    method: 'POST',
    pattern: /^\/deployments\/(\d+)\/statuses$/,
    operation: 'repos.createDeploymentStatus',
    scope: 'deployments',
    docs: `${STATUS_DOCS}#create-a-deployment-status`,
    handle: (ctx) => {
      const docs = `${STATUS_DOCS}#create-a-deployment-status`;
      const deployment = findDeployment(ctx);
      if (!deployment) return failure(404, 'Not Found', docs);
      const body = (ctx.body ?? {}) as Record<string, any>;
      if (typeof body.state !== 'string') return missing('state', docs);
      if (!DEPLOYMENT_STATES.includes(body.state)) {
        return failure(
          422,
          `Invalid request.\n\n${JSON.stringify(body.state)} is not a member of ${JSON.stringify(DEPLOYMENT_STATES)}.`,
          docs,
        );
      }
      if (typeof body.environment === 'string') deployment.environment = body.environment;
      const status: DeploymentStatus = {
        id: ctx.state.id() + 2_000_000_000,
        state: body.state,
        description: typeof body.description === 'string' ? body.description : '',
        environment: deployment.environment,
        environment_url: typeof body.environment_url === 'string' ? body.environment_url : '',
        log_url:
          typeof body.log_url === 'string' ? body.log_url : typeof body.target_url === 'string' ? body.target_url : '',
        target_url:
          typeof body.target_url === 'string' ? body.target_url : typeof body.log_url === 'string' ? body.log_url : '',
        created_at: nowIso(),
      };
      deployment.statuses.push(status);
      // auto_inactive (default true): earlier successful deployments to the same non-transient,
      // non-production environment get an inactive status.
      if (body.state === 'success' && body.auto_inactive !== false) {
        for (const other of ctx.state.deployments) {
          if (other === deployment || other.environment !== deployment.environment) continue;
          if (other.transient_environment || other.production_environment) continue;
          if (other.statuses.at(-1)?.state !== 'success') continue;
          other.statuses.push({
            ...status,
            id: ctx.state.id() + 2_000_000_000,
            state: 'inactive',
            description: '',
            environment_url: '',
            log_url: '',
            target_url: '',
          });
        }
      }
      return { status: 201, body: statusJson(ctx, deployment, status) };
    },
  },
  {
    method: 'GET',
    pattern: /^\/deployments\/(\d+)\/statuses$/,
    operation: 'repos.listDeploymentStatuses',
    scope: 'deployments',
    docs: `${STATUS_DOCS}#list-deployment-statuses`,
    handle: (ctx) => {
      const deployment = findDeployment(ctx);
      if (!deployment) return failure(404, 'Not Found', `${STATUS_DOCS}#list-deployment-statuses`);
      return paginate(
        ctx,
        [...deployment.statuses].reverse().map((s) => statusJson(ctx, deployment, s)),
      );
    },
  },
];
