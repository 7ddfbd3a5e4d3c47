// GitHub REST: releases, with generated notes written the way GitHub writes them.
import { nowIso, type Release } from '../state.js';
import {
  DOCS,
  BOT,
  failure,
  missing,
  validation,
  repoUrl,
  htmlUrl,
  nodeId,
  paginate,
  type Route,
  type RouteContext,
} from './http.js';

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

const RELEASE_DOCS = `${DOCS}/releases/releases`;

export const releaseRoutes: Route[] = [
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
];
