/**
 * One comment on a pull request (or an issue) that a workflow keeps up to date: it carries a hidden marker (an HTML
 * comment, which GitHub does not render) naming what it is about, and every later run finds it by that marker and
 * edits it in place, so the conversation holds one current comment instead of one per push.
 *
 * Never two: creating a comment takes no idempotency key, so a create whose answer was lost (a 5xx, a dropped
 * connection) is not sent again blindly; the comments are listed first, and a marked comment that appeared since is
 * the answer. Two runs racing on the same pull request can still both create one; the run that created the newer
 * finds the older after its create, moves its text there and deletes its own, so they settle on the oldest.
 */
import type { Logger } from '@ecs-ship/action-kit';
import { cutMarkdown } from './comment-body.js';
import { gitHubError, statusOf, type GitHubClient, type Permission, type Repository } from './github.js';
import { NO_BLIND_RETRY, writeOnce } from './write-once.js';

/** GitHub refuses a comment body longer than this (in characters; a JavaScript string's length never undercounts). */
export const COMMENT_LIMIT = 65_536;

export interface StickyComment {
  /** The pull request (or issue) number. */
  number: number;
  /** What the comment is about, unique among the comments this suite keeps there (for example workflow, cluster and services). */
  key: string;
  /** Markdown. Cut to GitHub's limit when longer, ending with `overflowNote`. */
  body: string;
  /** The last line of a cut comment: where the whole text can be read (the job summary of the run). */
  overflowNote?: string;
  /** The permission to name when GitHub refuses; comments on pull requests need `pull-requests: write`. */
  permission?: Permission;
  /** The action input that carries the token, named when GitHub does not accept it. */
  tokenInput?: string;
}

export interface StickyCommentResult {
  id: number;
  url: string;
  /** `unchanged`: the comment already said exactly this. */
  action: 'created' | 'updated' | 'unchanged';
  /** The body was cut to GitHub's limit. */
  cut: boolean;
  /** Duplicates (same marker) removed, by id. */
  removed: number[];
}

interface Listed {
  id: number;
  body: string;
  url: string;
}

/** The hidden first line that identifies the comment. Encoded so that no key can end the HTML comment early. */
export function commentMarker(key: string): string {
  return `<!-- ecs-ship:${encodeURIComponent(key).replace(/-/g, '%2D')} -->`;
}

/** The full body as it is sent: the marker, then the text, cut to the limit when needed. */
export function stickyBody(comment: StickyComment): { body: string; cut: boolean } {
  const marker = commentMarker(comment.key);
  const note =
    comment.overflowNote ?? `_Cut to fit GitHub's limit of ${COMMENT_LIMIT.toLocaleString('en')} characters._`;
  const { text, cut } = cutMarkdown(comment.body, COMMENT_LIMIT - marker.length - 1, note);
  return { body: `${marker}\n${text}`, cut };
}

/** Creates the comment, or updates the one a previous run left; removes duplicates. */
export async function writeStickyComment(
  client: GitHubClient,
  repository: Repository,
  comment: StickyComment,
  logger?: Logger,
): Promise<StickyCommentResult> {
  const permission = comment.permission ?? 'pull-requests: write';
  const where = `#${comment.number}`;
  const refused = (error: unknown, doing: string) =>
    gitHubError(error, doing, permission, repository, comment.tokenInput);
  const marker = commentMarker(comment.key);
  const { body, cut } = stickyBody(comment);

  const listMarked = async (): Promise<Listed[]> => {
    try {
      const all = await client.paginate(client.rest.issues.listComments, {
        ...repository,
        issue_number: comment.number,
        per_page: 100,
      });
      return all
        .filter((c) => (c.body ?? '').startsWith(marker))
        .map((c) => ({ id: c.id, body: c.body ?? '', url: c.html_url }))
        .sort((a, b) => a.id - b.id);
    } catch (error) {
      throw refused(error, `list the comments of ${where}`);
    }
  };
  const update = async (target: Listed): Promise<Listed> => {
    try {
      // An update is idempotent: the retry plugin may repeat it.
      const { data } = await client.rest.issues.updateComment({ ...repository, comment_id: target.id, body });
      return { id: data.id, body, url: data.html_url };
    } catch (error) {
      throw refused(error, `update comment ${target.id} on ${where}`);
    }
  };
  const remove = async (duplicates: Listed[]): Promise<number[]> => {
    for (const duplicate of duplicates) {
      try {
        await client.rest.issues.deleteComment({ ...repository, comment_id: duplicate.id });
      } catch (error) {
        // Gone already: a retry after a lost answer, or another run removed it.
        if (statusOf(error) !== 404) throw refused(error, `delete the duplicate comment ${duplicate.id} on ${where}`);
      }
    }
    return duplicates.map((d) => d.id);
  };

  const found = await listMarked();
  if (found.length > 0) {
    const [keep, ...duplicates] = found as [Listed, ...Listed[]];
    const same = keep.body === body;
    const kept = same ? keep : await update(keep);
    const removed = await remove(duplicates);
    logger?.info(
      `${same ? 'The comment on' : 'Updated the comment on'} ${where} ${same ? 'already says this' : 'in place'}: ${kept.url}`,
    );
    return { id: kept.id, url: kept.url, action: same ? 'unchanged' : 'updated', cut, removed };
  }

  const doing = `comment on ${where}`;
  let created: Listed;
  try {
    created = await writeOnce(
      doing,
      async () => {
        const { data } = await client.rest.issues.createComment({
          ...repository,
          issue_number: comment.number,
          body,
          ...NO_BLIND_RETRY,
        });
        return { id: data.id, body, url: data.html_url };
      },
      // Nothing was marked before the create: any marked comment now is what the lost answer made.
      async () => (await listMarked())[0],
      logger,
    );
  } catch (error) {
    throw refused(error, doing);
  }

  // A run racing this one may have created its own meanwhile: both settle on the oldest.
  const now = await listMarked();
  const oldest = now[0];
  if (oldest && oldest.id < created.id) {
    const kept = oldest.body === body ? oldest : await update(oldest);
    const removed = await remove(now.filter((c) => c.id !== kept.id));
    logger?.info(`Another run had just commented on ${where}: updated that comment instead: ${kept.url}`);
    return { id: kept.id, url: kept.url, action: 'updated', cut, removed };
  }
  const removed = await remove(now.filter((c) => c.id !== created.id));
  logger?.info(`Commented on ${where}: ${created.url}`);
  return { id: created.id, url: created.url, action: 'created', cut, removed };
}
