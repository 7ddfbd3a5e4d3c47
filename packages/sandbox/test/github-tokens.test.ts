// Job tokens issued through POST /app/installations/{id}/access_tokens carry exactly the scopes asked for, and
// refs move forward only unless forced: both as GitHub does, through Octokit.
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '../src/index.js';

const sha = (n: number) => String(n).repeat(40);
const scenario = {
  github: {
    repository: 'acme/shop',
    tokens: [{ token: 'ghs_writer000000000000' }],
    commits: [1, 2, 3].map((n) => ({ sha: sha(n), message: `change ${n}` })),
    tags: [{ name: 'v1', sha: sha(2) }],
  },
};
const repo = { owner: 'acme', repo: 'shop' };
const APP_JWT = 'eyJhbGciOiJub25lIn0.eyJpc3MiOiJ0ZXN0In0.';

let sandbox: Sandbox;
const client = (token: string) => getOctokit(token, { baseUrl: sandbox.url });

beforeAll(async () => {
  sandbox = await startSandbox({ scenario });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(scenario));

async function issue(permissions: Record<string, string>, authorization = `Bearer ${APP_JWT}`) {
  const response = await fetch(`${sandbox.url}/app/installations/1/access_tokens`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ permissions }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'ok',
    (e: { status: number; response?: { data?: { message?: string } } }) => `${e.status} ${e.response?.data?.message}`,
  );
}

describe('installation tokens for workflow jobs', () => {
  it('issues a token with exactly the requested scopes, plus metadata', async () => {
    const { status, body } = await issue({ contents: 'read' });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      permissions: { contents: 'read', metadata: 'read' },
      token: expect.stringMatching(/^ghs_/),
    });
    const octokit = client(body.token);
    expect(await outcome(octokit.rest.repos.get(repo))).toBe('ok');
    expect(await outcome(octokit.rest.repos.getCommit({ ...repo, ref: sha(1) }))).toBe('ok');
    expect(await outcome(octokit.rest.git.createRef({ ...repo, ref: 'refs/tags/x', sha: sha(1) }))).toBe(
      '403 Resource not accessible by integration',
    );
    expect(await outcome(octokit.rest.repos.listDeployments(repo))).toBe('403 Resource not accessible by integration');
    expect(sandbox.secrets().map((s) => s.value)).toContain(body.token);
  });

  it('a token with no scopes still reads metadata and nothing else', async () => {
    const { body } = await issue({});
    expect(await outcome(client(body.token).rest.repos.get(repo))).toBe('ok');
    expect(await outcome(client(body.token).rest.repos.getCommit({ ...repo, ref: sha(1) }))).toBe(
      '403 Resource not accessible by integration',
    );
  });

  it('refuses a caller without an app JWT, and a level other than read or write', async () => {
    expect((await issue({ contents: 'read' }, 'token ghs_writer000000000000')).status).toBe(401);
    expect(await issue({ contents: 'admin' })).toMatchObject({ status: 422 });
  });

  it('tokens from an earlier scenario stop working after load()', async () => {
    const { body } = await issue({ contents: 'write' });
    sandbox.load(scenario);
    expect(await outcome(client(body.token).rest.repos.get(repo))).toBe('401 Bad credentials');
  });
});

describe('updating a reference', () => {
  it('moves a tag forward, refuses to move it back without force, and moves it back with force', async () => {
    const octokit = client('ghs_writer000000000000');
    await octokit.rest.git.updateRef({ ...repo, ref: 'tags/v1', sha: sha(3) });
    expect((await octokit.rest.git.getRef({ ...repo, ref: 'tags/v1' })).data.object.sha).toBe(sha(3));
    expect(await outcome(octokit.rest.git.updateRef({ ...repo, ref: 'tags/v1', sha: sha(1) }))).toBe(
      '422 Update is not a fast forward',
    );
    await octokit.rest.git.updateRef({ ...repo, ref: 'tags/v1', sha: sha(1), force: true });
    expect((await octokit.rest.git.getRef({ ...repo, ref: 'tags/v1' })).data.object.sha).toBe(sha(1));
  });
});
