import { UserError } from '@ecs-ship/action-kit';
import { gitHubError, statusOf, type GitHubClient, type Repository } from './github.js';

/** An existing tag: the object its ref names and the commit it finally points at. */
export interface ExistingTag {
  /** The SHA the ref names: the tag object for an annotated tag, the commit for a lightweight one. */
  refSha: string;
  annotated: boolean;
  commitSha: string;
}

export interface TagResult {
  tag: string;
  /** The annotated tag object's SHA (the commit's for an existing lightweight tag). */
  tagSha: string;
  commitSha: string;
  /** False when the tag was already on this commit (a re-run). */
  created: boolean;
}

/** Annotated tags can point at other tags; real repositories never nest deeply. */
const MAX_TAG_DEPTH = 5;

/** Reads `refs/tags/<tag>` and follows it to its commit; undefined when there is no such tag. */
export async function readTag(
  client: GitHubClient,
  repository: Repository,
  tag: string,
): Promise<ExistingTag | undefined> {
  let object: { sha: string; type: string };
  try {
    const { data } = await client.rest.git.getRef({ ...repository, ref: `tags/${tag}` });
    // Older API versions answered a prefix match with a list; only the exact name counts.
    const refs = (Array.isArray(data) ? data : [data]) as { ref: string; object: { sha: string; type: string } }[];
    const exact = refs.find((ref) => ref.ref === `refs/tags/${tag}`);
    if (!exact) return undefined;
    object = exact.object;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw gitHubError(error, `read tag "${tag}"`, 'contents: read', repository);
  }
  const refSha = object.sha;
  const annotated = object.type === 'tag';
  for (let depth = 0; object.type === 'tag' && depth < MAX_TAG_DEPTH; depth++) {
    try {
      const { data } = await client.rest.git.getTag({ ...repository, tag_sha: object.sha });
      object = data.object;
    } catch (error) {
      throw gitHubError(error, `read tag object ${object.sha}`, 'contents: read', repository);
    }
  }
  if (object.type !== 'commit') {
    throw new UserError(
      `Tag "${tag}" points at a ${object.type} (${object.sha}), not at a commit. Choose another tag name.`,
    );
  }
  return { refSha, annotated, commitSha: object.sha };
}

/**
 * Makes an annotated tag on `sha`: the tag object first, then the ref that publishes it. Idempotent: a tag already
 * on this commit is success (a re-run of the same release); a tag on another commit is refused, naming both.
 */
export async function ensureAnnotatedTag(
  client: GitHubClient,
  repository: Repository,
  request: { tag: string; sha: string; message: string },
): Promise<TagResult> {
  const { tag, sha, message } = request;
  const existing = await readTag(client, repository, tag);
  if (existing) return sameCommitOrConflict(tag, sha, existing);

  let tagObjectSha: string;
  try {
    const { data } = await client.rest.git.createTag({ ...repository, tag, message, object: sha, type: 'commit' });
    tagObjectSha = data.sha;
  } catch (error) {
    throw gitHubError(error, `create tag "${tag}"`, 'contents: write', repository);
  }
  try {
    await client.rest.git.createRef({ ...repository, ref: `refs/tags/${tag}`, sha: tagObjectSha });
  } catch (error) {
    // Another run made the tag between our read and this write: its commit decides, as above.
    if (statusOf(error) === 422) {
      const raced = await readTag(client, repository, tag);
      if (raced) return sameCommitOrConflict(tag, sha, raced);
    }
    throw gitHubError(error, `publish tag "${tag}" (refs/tags/${tag})`, 'contents: write', repository);
  }
  return { tag, tagSha: tagObjectSha, commitSha: sha, created: true };
}

function sameCommitOrConflict(tag: string, sha: string, existing: ExistingTag): TagResult {
  if (existing.commitSha.toLowerCase() === sha.toLowerCase()) {
    return { tag, tagSha: existing.refSha, commitSha: existing.commitSha, created: false };
  }
  throw new UserError(
    `Tag "${tag}" already exists on commit ${existing.commitSha}, not on ${sha}. A release tag never moves: choose another tag name (or bump), or delete the tag in the repository if it was made by mistake.`,
    { title: 'Tag conflict' },
  );
}

/** Every tag in the repository with the commit it points at (annotated tags peeled), for the semver bump. */
export async function listTags(
  client: GitHubClient,
  repository: Repository,
): Promise<{ name: string; commitSha: string }[]> {
  try {
    const tags = await client.paginate(client.rest.repos.listTags, { ...repository, per_page: 100 });
    return tags.map((tag) => ({ name: tag.name, commitSha: tag.commit.sha }));
  } catch (error) {
    throw gitHubError(error, 'list tags', 'contents: read', repository);
  }
}
