// Comments on pull requests and issues, through Octokit: listed oldest first over pages, created, updated and
// deleted, with the permission a token needs following the resource (GitHub's documented rule for apps: a token with
// `issues` but not `pull-requests` is limited to issues, and the other way round) and GitHub's body limit.
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '../src/index.js';

const token = (name: string) => `ghs_${name.padEnd(20, '0')}`;
const scenario = {
  github: {
    repository: 'acme/shop',
    serverUrl: 'https://github.example.com',
    tokens: [
      { token: token('writer') },
      { token: token('prread'), permissions: { contents: 'read', 'pull-requests': 'read', issues: 'none' } },
      { token: token('issuesonly'), permissions: { contents: 'read', 'pull-requests': 'none', issues: 'write' } },
      { token: token('prsonly'), permissions: { contents: 'read', 'pull-requests': 'write', issues: 'none' } },
    ],
    pullRequests: [{ number: 7, title: 'Faster checkout', author: 'alice' }],
    issues: [{ number: 8, title: 'Checkout is slow' }],
    comments: [
      ...Array.from({ length: 120 }, (_, i) => ({ issue: 7, body: `review note ${i + 1}`, author: 'bob' })),
      { issue: 8, body: 'seen it too', author: 'carol' },
    ],
  },
};
const repo = { owner: 'acme', repo: 'shop' };

let sandbox: Sandbox;
const client = (name: string) => getOctokit(token(name), { baseUrl: sandbox.url });

beforeAll(async () => {
  sandbox = await startSandbox({ scenario });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(scenario));

async function outcome(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'ok',
    (e: { status: number; response?: { data?: { message?: string } } }) => `${e.status} ${e.response?.data?.message}`,
  );
}

describe('comments on a pull request', () => {
  it('are listed oldest first, 100 a page at most, with Link headers that paginate follows', async () => {
    const writer = client('writer');
    const first = await writer.rest.issues.listComments({ ...repo, issue_number: 7, per_page: 100 });
    expect(first.data).toHaveLength(100);
    expect(first.headers.link).toContain('rel="next"');
    const all = await writer.paginate(writer.rest.issues.listComments, { ...repo, issue_number: 7, per_page: 100 });
    expect(all.map((c) => c.body)).toEqual(Array.from({ length: 120 }, (_, i) => `review note ${i + 1}`));
    expect(all.map((c) => c.id)).toEqual([...all.map((c) => c.id)].sort((a, b) => a - b));
    expect(all[0]).toMatchObject({
      user: { login: 'bob', type: 'User' },
      issue_url: `${sandbox.url}/repos/acme/shop/issues/7`,
      html_url: `https://github.example.com/acme/shop/pull/7#issuecomment-${all[0]!.id}`,
    });
  });

  it('are created by the Actions bot, updated in place and deleted', async () => {
    const writer = client('writer');
    const created = await writer.rest.issues.createComment({ ...repo, issue_number: 7, body: 'plan: 1 change' });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ body: 'plan: 1 change', user: { login: 'github-actions[bot]', type: 'Bot' } });
    const id = created.data.id;

    const updated = await writer.rest.issues.updateComment({ ...repo, comment_id: id, body: 'plan: 2 changes' });
    expect(updated.data).toMatchObject({ id, body: 'plan: 2 changes' });
    const read = await writer.rest.issues.getComment({ ...repo, comment_id: id });
    expect(read.data.body).toBe('plan: 2 changes');
    const listed = await writer.paginate(writer.rest.issues.listComments, { ...repo, issue_number: 7, per_page: 100 });
    expect(listed.filter((c) => c.id === id)).toHaveLength(1);
    expect(listed.at(-1)!.id).toBe(id);

    expect((await writer.rest.issues.deleteComment({ ...repo, comment_id: id })).status).toBe(204);
    expect(await outcome(writer.rest.issues.getComment({ ...repo, comment_id: id }))).toBe('404 Not Found');
    expect(await outcome(writer.rest.issues.deleteComment({ ...repo, comment_id: id }))).toBe('404 Not Found');
  });

  it('refuse a body over 65,536 characters, counted in characters rather than bytes', async () => {
    const writer = client('writer');
    expect(
      await outcome(writer.rest.issues.createComment({ ...repo, issue_number: 7, body: 'x'.repeat(65_536) })),
    ).toBe('ok');
    // 65,536 characters of four bytes each: within the limit.
    expect(
      await outcome(writer.rest.issues.createComment({ ...repo, issue_number: 7, body: '📦'.repeat(65_536) })),
    ).toBe('ok');
    const refused = await writer.rest.issues
      .createComment({ ...repo, issue_number: 7, body: 'x'.repeat(65_537) })
      .catch((e: { status: number; response: { data: unknown } }) => e);
    expect(refused).toMatchObject({
      status: 422,
      response: {
        data: {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'IssueComment',
              code: 'unprocessable',
              field: 'data',
              message: 'Body is too long (maximum is 65536 characters)',
            },
          ],
        },
      },
    });
    expect(await outcome(writer.request('POST /repos/acme/shop/issues/7/comments', {}))).toMatch(/^422 /);
  });

  it('need pull-requests: read to list and write to change; issues: write is no substitute', async () => {
    const id = (await client('writer').rest.issues.createComment({ ...repo, issue_number: 7, body: 'x' })).data.id;
    const reader = client('prread');
    expect(await outcome(reader.rest.issues.listComments({ ...repo, issue_number: 7 }))).toBe('ok');
    const refused = '403 Resource not accessible by integration';
    expect(await outcome(reader.rest.issues.createComment({ ...repo, issue_number: 7, body: 'y' }))).toBe(refused);
    expect(await outcome(reader.rest.issues.updateComment({ ...repo, comment_id: id, body: 'y' }))).toBe(refused);
    expect(await outcome(reader.rest.issues.deleteComment({ ...repo, comment_id: id }))).toBe(refused);

    const issuesOnly = client('issuesonly');
    expect(await outcome(issuesOnly.rest.issues.listComments({ ...repo, issue_number: 7 }))).toBe(refused);
    expect(await outcome(issuesOnly.rest.issues.createComment({ ...repo, issue_number: 7, body: 'y' }))).toBe(refused);
    expect(await outcome(issuesOnly.rest.issues.createComment({ ...repo, issue_number: 8, body: 'y' }))).toBe('ok');

    const prsOnly = client('prsonly');
    expect(await outcome(prsOnly.rest.issues.createComment({ ...repo, issue_number: 7, body: 'y' }))).toBe('ok');
    expect(await outcome(prsOnly.rest.issues.createComment({ ...repo, issue_number: 8, body: 'y' }))).toBe(refused);
  });

  it('on a number that is neither an issue nor a pull request: 404', async () => {
    const writer = client('writer');
    expect(await outcome(writer.rest.issues.listComments({ ...repo, issue_number: 99 }))).toBe('404 Not Found');
    expect(await outcome(writer.rest.issues.createComment({ ...repo, issue_number: 99, body: 'x' }))).toBe(
      '404 Not Found',
    );
  });

  it('a job token issued with pull-requests: write comments; one with read does not', async () => {
    const issue = async (permissions: Record<string, string>) => {
      const response = await fetch(`${sandbox.url}/app/installations/1/access_tokens`, {
        method: 'POST',
        headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJpc3MiOiJ0ZXN0In0.' },
        body: JSON.stringify({ permissions }),
      });
      return getOctokit(((await response.json()) as { token: string }).token, { baseUrl: sandbox.url });
    };
    const writer = await issue({ 'pull-requests': 'write' });
    const reader = await issue({ 'pull-requests': 'read' });
    expect(await outcome(writer.rest.issues.createComment({ ...repo, issue_number: 7, body: 'x' }))).toBe('ok');
    expect(await outcome(reader.rest.issues.createComment({ ...repo, issue_number: 7, body: 'x' }))).toBe(
      '403 Resource not accessible by integration',
    );
  });

  it('the recorder names each call by Octokit method', async () => {
    const writer = client('writer');
    await writer.rest.issues.createComment({ ...repo, issue_number: 7, body: 'x' });
    expect(sandbox.recorder.calls().map((call) => call.operation)).toEqual(['issues.createComment']);
  });
});
