import { RequestError } from '@octokit/request-error';
import { UserError } from '@ecs-ship/action-kit';
import { gitHubError, parseRepository } from '../src/github.js';

const repository = { owner: 'acme', repo: 'shop' };

function failure(status: number, message: string, headers: Record<string, string> = {}) {
  return new RequestError(`${message} - https://docs.github.com/rest`, status, {
    request: { method: 'POST', url: 'https://api.github.com/repos/acme/shop/git/refs', headers: {} },
    response: { status, url: '', headers, data: { message } },
  });
}

describe('gitHubError', () => {
  it('names the missing permission on a 403', () => {
    const error = gitHubError(
      failure(403, 'Resource not accessible by integration'),
      'create tag "v1"',
      'contents: write',
      repository,
    );
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      'GitHub refused to create tag "v1" in acme/shop (403: Resource not accessible by integration). Give the job "permissions: contents: write" (or use a token that has it).',
    );
    expect((error as UserError).title).toBe('Missing permission: contents: write');
  });

  it('names the missing permission on a 404 (private repositories hide behind it)', () => {
    const error = gitHubError(failure(404, 'Not Found'), 'create a deployment', 'deployments: write', repository);
    expect(error.message).toMatch(/404 .*may not write to it\. Give the job "permissions: deployments: write"/);
  });

  it('tells a rate limit apart from a missing permission', () => {
    const error = gitHubError(
      failure(403, 'API rate limit exceeded for installation', {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '1800000000',
      }),
      'list tags',
      'contents: read',
      repository,
    );
    expect(error.message).toMatch(/rate limit was reached while trying to list tags/);
    expect(error.message).toMatch(/after 2027-01-15T08:00:00\.000Z/);
    expect(error.message).not.toMatch(/permissions/);
  });

  it('keeps status and text of other failures, and points at the token on a 401', () => {
    expect(gitHubError(failure(500, 'Server Error'), 'list tags', 'contents: read', repository).message).toBe(
      'GitHub could not list tags in acme/shop (500: Server Error).',
    );
    expect(gitHubError(failure(401, 'Bad credentials'), 'list tags', 'contents: read', repository).message).toMatch(
      /did not accept the token .* Check the "token" input/,
    );
  });

  it('passes errors that are not HTTP failures through', () => {
    const original = new TypeError('boom');
    expect(gitHubError(original, 'x', 'contents: read', repository)).toBe(original);
  });
});

describe('parseRepository', () => {
  it.each([
    ['acme/shop', { owner: 'acme', repo: 'shop' }],
    ['my-org/my.repo_2', { owner: 'my-org', repo: 'my.repo_2' }],
    ['acme', undefined],
    ['acme/shop/extra', undefined],
    ['', undefined],
  ])('%j', (text, expected) => {
    expect(parseRepository(text)).toEqual(expected);
  });
});
