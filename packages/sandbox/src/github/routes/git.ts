// GitHub REST: the repository, commits, comparisons, annotated tags and refs, with GitHub's status codes and error bodies.
import { nowIso, type TagObject } from '../state.js';
import {
  DOCS,
  BOT,
  failure,
  missing,
  repoUrl,
  htmlUrl,
  nodeId,
  paginate,
  type Route,
  type RouteContext,
} from './http.js';

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

const REF_DOCS = `${DOCS}/git/refs`;
const TAG_DOCS = `${DOCS}/git/tags`;
const COMMIT_DOCS = `${DOCS}/commits/commits`;

/** The repository, its commits and comparisons, annotated tags and refs. */
export const gitRoutes: Route[] = [
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
];
