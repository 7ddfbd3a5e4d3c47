// Comments on issues and pull requests (`/repos/{o}/{r}/issues/...`): a pull request is an issue, so its
// conversation comments live under the same endpoints. What a token needs follows the resource, as GitHub documents
// it for apps: an app with `issues` but not `pull-requests` is limited to issues, and the other way round, so a
// comment on a pull request needs `pull-requests` (read to list, write to change) and one on an issue `issues`.
import {
  DOCS,
  failure,
  htmlUrl,
  missing,
  nodeId,
  paginate,
  repoUrl,
  validation,
  type Answer,
  type Route,
  type RouteContext,
  type Scope,
} from './http.js';
import { ACTIONS_BOT, nowIso, type GithubState, type IssueComment } from '../state.js';

const COMMENT_DOCS = `${DOCS}/issues/comments`;

/** GitHub refuses a comment body longer than this many characters. */
export const COMMENT_BODY_LIMIT = 65_536;

/** The permission an issue or pull request number needs; undefined when there is none with that number. */
function scopeOfIssue(state: GithubState, number: string | undefined): Scope | undefined {
  const issue = state.issues.get(Number(number));
  if (!issue) return undefined;
  return issue.pullRequest ? 'pull-requests' : 'issues';
}

function scopeOfComment(state: GithubState, id: string | undefined): Scope | undefined {
  const comment = state.comments.find((c) => c.id === Number(id));
  return comment ? scopeOfIssue(state, String(comment.issue)) : undefined;
}

function commentJson(ctx: RouteContext, comment: IssueComment) {
  const issue = ctx.state.issues.get(comment.issue);
  const page = issue?.pullRequest ? 'pull' : 'issues';
  return {
    id: comment.id,
    node_id: nodeId('IC', comment.id),
    url: `${repoUrl(ctx)}/issues/comments/${comment.id}`,
    html_url: `${htmlUrl(ctx)}/${page}/${comment.issue}#issuecomment-${comment.id}`,
    issue_url: `${repoUrl(ctx)}/issues/${comment.issue}`,
    body: comment.body,
    user: { ...comment.author, node_id: nodeId('U', comment.author.id) },
    created_at: comment.created_at,
    updated_at: comment.updated_at,
    author_association: comment.author.type === 'Bot' ? 'NONE' : 'MEMBER',
    performed_via_github_app: null,
    reactions: { url: `${repoUrl(ctx)}/issues/comments/${comment.id}/reactions`, total_count: 0 },
  };
}

/** The body of a create or update: required, and at most GitHub's limit (counted in characters, not bytes). */
function checkBody(ctx: RouteContext, docs: string): string | Answer {
  const body: unknown = ctx.body?.body;
  if (typeof body !== 'string') return missing('body', docs);
  if ([...body].length > COMMENT_BODY_LIMIT) {
    return validation(docs, [
      {
        resource: 'IssueComment',
        code: 'unprocessable',
        field: 'data',
        message: `Body is too long (maximum is ${COMMENT_BODY_LIMIT} characters)`,
      },
    ]);
  }
  return body;
}

function findComment(ctx: RouteContext): IssueComment | undefined {
  return ctx.state.comments.find((c) => c.id === Number(ctx.groups[0]));
}

export const commentRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/issues\/(\d+)\/comments$/,
    operation: 'issues.listComments',
    scope: (state, groups) => scopeOfIssue(state, groups[0]),
    docs: `${COMMENT_DOCS}#list-issue-comments`,
    handle: (ctx) => {
      const number = Number(ctx.groups[0]);
      const since = ctx.query.get('since');
      const from = since ? Date.parse(since) : undefined;
      if (from !== undefined && Number.isNaN(from)) {
        return failure(
          422,
          `Invalid request.\n\n"${since}" is not a valid date-time.`,
          `${COMMENT_DOCS}#list-issue-comments`,
        );
      }
      // Oldest first (ascending id), as GitHub lists them.
      const comments = ctx.state.comments
        .filter((c) => c.issue === number && (from === undefined || Date.parse(c.updated_at) >= from))
        .map((c) => commentJson(ctx, c));
      return paginate(ctx, comments);
    },
  },
  {
    method: 'POST',
    pattern: /^\/issues\/(\d+)\/comments$/,
    operation: 'issues.createComment',
    scope: (state, groups) => scopeOfIssue(state, groups[0]),
    docs: `${COMMENT_DOCS}#create-an-issue-comment`,
    handle: (ctx) => {
      const body = checkBody(ctx, `${COMMENT_DOCS}#create-an-issue-comment`);
      if (typeof body !== 'string') return body;
      const at = nowIso();
      const comment: IssueComment = {
        id: ctx.state.commentId(),
        issue: Number(ctx.groups[0]),
        body,
        author: ACTIONS_BOT,
        created_at: at,
        updated_at: at,
      };
      ctx.state.comments.push(comment);
      const json = commentJson(ctx, comment);
      return { status: 201, body: json, headers: { location: json.url } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/issues\/comments\/(\d+)$/,
    operation: 'issues.getComment',
    scope: (state, groups) => scopeOfComment(state, groups[0]),
    docs: `${COMMENT_DOCS}#get-an-issue-comment`,
    handle: (ctx) => ({ status: 200, body: commentJson(ctx, findComment(ctx)!) }),
  },
  {
    method: 'PATCH',
    pattern: /^\/issues\/comments\/(\d+)$/,
    operation: 'issues.updateComment',
    scope: (state, groups) => scopeOfComment(state, groups[0]),
    docs: `${COMMENT_DOCS}#update-an-issue-comment`,
    handle: (ctx) => {
      const body = checkBody(ctx, `${COMMENT_DOCS}#update-an-issue-comment`);
      if (typeof body !== 'string') return body;
      const comment = findComment(ctx)!;
      comment.body = body;
      comment.updated_at = nowIso();
      return { status: 200, body: commentJson(ctx, comment) };
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/issues\/comments\/(\d+)$/,
    operation: 'issues.deleteComment',
    scope: (state, groups) => scopeOfComment(state, groups[0]),
    docs: `${COMMENT_DOCS}#delete-an-issue-comment`,
    handle: (ctx) => {
      const comment = findComment(ctx)!;
      ctx.state.comments.splice(ctx.state.comments.indexOf(comment), 1);
      return { status: 204 };
    },
  },
];
