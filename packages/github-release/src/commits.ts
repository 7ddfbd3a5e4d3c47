import { UserError } from '@ecs-ship/action-kit';
import { gitHubError, statusOf, type GitHubClient, type Repository } from './github.js';

/**
 * Checks that the commit exists in the repository before anything is tagged. GitHub answers 422 for a SHA it does
 * not know and 404 both for that and for a repository the token cannot see; a second read tells the two apart so
 * that the message points at the right fix.
 */
export async function verifyCommit(client: GitHubClient, repository: Repository, sha: string): Promise<void> {
  try {
    await client.rest.repos.getCommit({ ...repository, ref: sha, per_page: 1 });
    return;
  } catch (error) {
    const status = statusOf(error);
    if (status === 422) throw unknownCommit(repository, sha, error);
    if (status !== 404) throw gitHubError(error, `read commit ${sha}`, 'contents: read', repository);
    try {
      await client.rest.repos.get({ ...repository });
    } catch (repoError) {
      throw gitHubError(repoError, 'read the repository', 'contents: read', repository);
    }
    throw unknownCommit(repository, sha, error);
  }
}

function unknownCommit(repository: Repository, sha: string, cause: unknown): UserError {
  return new UserError(
    `Input "sha": commit ${sha} does not exist in ${repository.owner}/${repository.repo}. Pass the full SHA of a commit that was pushed to this repository.`,
    { title: 'Unknown commit', cause },
  );
}
