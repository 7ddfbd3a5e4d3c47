import { gitHubError, statusOf, type GitHubClient, type Repository } from './github.js';

export type MakeLatest = 'true' | 'false' | 'legacy';

export interface ReleaseRequest {
  tag: string;
  name: string;
  body: string;
  generateNotes: boolean;
  prerelease: boolean;
  makeLatest: MakeLatest;
}

export interface ReleaseResult {
  id: number;
  url: string;
  /** False when the tag already had a release (a re-run). */
  created: boolean;
}

/** Publishes a release for an existing tag, or finds the one an earlier run of the same release published. */
export async function ensureRelease(
  client: GitHubClient,
  repository: Repository,
  request: ReleaseRequest,
): Promise<ReleaseResult> {
  const existing = await findRelease(client, repository, request.tag);
  if (existing) return { ...existing, created: false };
  try {
    const { data } = await client.rest.repos.createRelease({
      ...repository,
      tag_name: request.tag,
      name: request.name,
      body: request.body,
      generate_release_notes: request.generateNotes,
      prerelease: request.prerelease,
      make_latest: request.makeLatest,
      draft: false,
    });
    return { id: data.id, url: data.html_url, created: true };
  } catch (error) {
    // 422 "already_exists": a concurrent run published it first; theirs is the release of this tag.
    if (statusOf(error) === 422) {
      const raced = await findRelease(client, repository, request.tag);
      if (raced) return { ...raced, created: false };
    }
    throw gitHubError(error, `create the release of tag "${request.tag}"`, 'contents: write', repository);
  }
}

async function findRelease(
  client: GitHubClient,
  repository: Repository,
  tag: string,
): Promise<{ id: number; url: string } | undefined> {
  try {
    const { data } = await client.rest.repos.getReleaseByTag({ ...repository, tag });
    return { id: data.id, url: data.html_url };
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw gitHubError(error, `read the release of tag "${tag}"`, 'contents: read', repository);
  }
}
