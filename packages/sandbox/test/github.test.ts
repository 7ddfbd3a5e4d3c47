import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '../src/index.js';

const sha = (n: number) => String(n).repeat(40);
const scenario = {
  github: {
    repository: 'acme/shop',
    serverUrl: 'https://github.example.com',
    tokens: [
      { token: 'ghs_writer000000000000' },
      { token: 'ghs_reader000000000000', permissions: { contents: 'read', deployments: 'read' } },
      { token: 'ghs_tagsonly0000000000', permissions: { contents: 'write', deployments: 'none' } },
    ],
    commits: [
      { sha: sha(1), message: 'Initial commit', author: 'octocat' },
      { sha: sha(2), message: 'feat: checkout\n\nlong body', author: 'alice', pr: 7 },
      { sha: sha(3), message: 'fix: cart rounding', author: 'bob' },
    ],
  },
};

let sandbox: Sandbox;
let writer: ReturnType<typeof getOctokit>;
const client = (token: string) => getOctokit(token, { baseUrl: sandbox.url });
const repo = { owner: 'acme', repo: 'shop' };

beforeAll(async () => {
  sandbox = await startSandbox({ scenario });
  writer = client('ghs_writer000000000000');
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(scenario));

async function statusOf(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  const error = (await promise.then(
    () => ({ status: 200, message: '' }),
    (e: { status: number; message: string; response?: { data?: { message?: string } } }) => ({
      status: e.status,
      message: e.response?.data?.message ?? e.message,
    }),
  )) as { status: number; message: string };
  return error;
}

describe('GitHub REST through Octokit', () => {
  it('refuses requests without a token (401) or with an unknown one', async () => {
    const anonymous = await fetch(`${sandbox.url}/repos/acme/shop/commits/${sha(1)}`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({
      message: 'Requires authentication',
      documentation_url: expect.any(String),
    });
    expect(await statusOf(client('ghs_forged').rest.repos.get(repo))).toEqual({
      status: 401,
      message: 'Bad credentials',
    });
  });

  it('knows the scenario commits and answers 422 for others', async () => {
    const { data } = await writer.rest.repos.getCommit({ ...repo, ref: sha(2) });
    expect(data).toMatchObject({
      sha: sha(2),
      commit: { message: 'feat: checkout\n\nlong body' },
      html_url: `https://github.example.com/acme/shop/commit/${sha(2)}`,
    });
    expect(data.parents.map((p) => p.sha)).toEqual([sha(1)]);
    const short = await writer.rest.repos.getCommit({ ...repo, ref: sha(3).slice(0, 7) });
    expect(short.data.sha).toBe(sha(3));
    expect(await statusOf(writer.rest.repos.getCommit({ ...repo, ref: 'f'.repeat(40) }))).toEqual({
      status: 422,
      message: `No commit found for SHA: ${'f'.repeat(40)}`,
    });
    expect((await statusOf(writer.rest.repos.get({ owner: 'acme', repo: 'other' }))).status).toBe(404);
  });

  it('makes an annotated tag in two calls; the second refuses an existing tag', async () => {
    const { data: tag, status } = await writer.rest.git.createTag({
      ...repo,
      tag: 'v1.0.0',
      message: 'Release v1.0.0',
      object: sha(2),
      type: 'commit',
    });
    expect(status).toBe(201);
    expect(tag).toMatchObject({
      tag: 'v1.0.0',
      object: { sha: sha(2), type: 'commit' },
      sha: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(await statusOf(writer.rest.git.getRef({ ...repo, ref: 'tags/v1.0.0' }))).toEqual({
      status: 404,
      message: 'Not Found',
    });

    const ref = await writer.rest.git.createRef({ ...repo, ref: 'refs/tags/v1.0.0', sha: tag.sha });
    expect(ref.data.object).toMatchObject({ sha: tag.sha, type: 'tag' });
    expect(await statusOf(writer.rest.git.createRef({ ...repo, ref: 'refs/tags/v1.0.0', sha: tag.sha }))).toEqual({
      status: 422,
      message: 'Reference already exists',
    });

    const read = await writer.rest.git.getRef({ ...repo, ref: 'tags/v1.0.0' });
    expect(read.data.object.sha).toBe(tag.sha);
    const back = await writer.rest.git.getTag({ ...repo, tag_sha: tag.sha });
    expect(back.data.message).toBe('Release v1.0.0');
    const matching = await writer.rest.git.listMatchingRefs({ ...repo, ref: 'tags/v1' });
    expect(matching.data.map((r) => r.ref)).toEqual(['refs/tags/v1.0.0']);
    const tags = await writer.paginate(writer.rest.repos.listTags, { ...repo, per_page: 100 });
    expect(tags).toEqual([
      expect.objectContaining({ name: 'v1.0.0', commit: expect.objectContaining({ sha: sha(2) }) }),
    ]);
  });

  it('refuses tag objects and refs that point at nothing', async () => {
    expect(
      await statusOf(
        writer.rest.git.createTag({ ...repo, tag: 'x', message: 'x', object: 'f'.repeat(40), type: 'commit' }),
      ),
    ).toEqual({
      status: 422,
      message: 'Object does not exist',
    });
    expect((await statusOf(writer.rest.git.createRef({ ...repo, ref: 'v1', sha: sha(1) }))).status).toBe(422);
  });

  it('paginates with Link headers that Octokit follows', async () => {
    for (let i = 0; i < 5; i++) await writer.rest.git.createRef({ ...repo, ref: `refs/tags/t${i}`, sha: sha(1) });
    const first = await writer.rest.repos.listTags({ ...repo, per_page: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.headers.link).toContain('rel="next"');
    const all = await writer.paginate(writer.rest.repos.listTags, { ...repo, per_page: 2 });
    expect(all.map((t) => t.name).sort()).toEqual(['t0', 't1', 't2', 't3', 't4']);
  });

  it('creates releases with generated notes, reads them by tag, and refuses a duplicate tag', async () => {
    const first = await writer.rest.repos.createRelease({
      ...repo,
      tag_name: 'v1.0.0',
      target_commitish: sha(1),
      generate_release_notes: true,
    });
    expect(first.status).toBe(201);
    expect(first.data).toMatchObject({
      name: 'v1.0.0',
      html_url: 'https://github.example.com/acme/shop/releases/tag/v1.0.0',
    });
    expect(first.data.body).toContain('* Initial commit by @octocat');

    const second = await writer.rest.repos.createRelease({
      ...repo,
      tag_name: 'v1.1.0',
      name: 'Shop 1.1',
      body: 'Highlights',
      generate_release_notes: true,
    });
    expect(second.data.name).toBe('Shop 1.1');
    expect(second.data.body).toBe(
      [
        'Highlights',
        '',
        "## What's Changed",
        '* feat: checkout by @alice in https://github.example.com/acme/shop/pull/7',
        `* fix: cart rounding by @bob in https://github.example.com/acme/shop/commit/${sha(3)}`,
        '',
        '**Full Changelog**: https://github.example.com/acme/shop/compare/v1.0.0...v1.1.0',
      ].join('\n'),
    );
    // A release without an existing tag creates it on its target.
    const ref = await writer.rest.git.getRef({ ...repo, ref: 'tags/v1.1.0' });
    expect(ref.data.object.sha).toBe(sha(3));

    const byTag = await writer.rest.repos.getReleaseByTag({ ...repo, tag: 'v1.0.0' });
    expect(byTag.data.id).toBe(first.data.id);
    const latest = await writer.rest.repos.getLatestRelease(repo);
    expect(latest.data.tag_name).toBe('v1.1.0');
    const list = await writer.rest.repos.listReleases(repo);
    expect(list.data.map((r) => r.tag_name)).toEqual(['v1.1.0', 'v1.0.0']);

    const duplicate = await writer.rest.repos
      .createRelease({ ...repo, tag_name: 'v1.0.0' })
      .catch((e: { status: number; response: { data: unknown } }) => e);
    expect(duplicate).toMatchObject({
      status: 422,
      response: {
        data: {
          message: 'Validation Failed',
          errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
        },
      },
    });
    expect(await statusOf(writer.rest.repos.getReleaseByTag({ ...repo, tag: 'v9' }))).toEqual({
      status: 404,
      message: 'Not Found',
    });
  });

  it('records deployments and statuses, filters them, and marks earlier ones inactive', async () => {
    const make = async (environment: string, ref: string) => {
      const { data, status } = await writer.rest.repos.createDeployment({
        ...repo,
        ref,
        environment,
        auto_merge: false,
        required_contexts: [],
        payload: { service: 'web' },
      });
      expect(status).toBe(201);
      if (!('id' in data)) throw new Error('expected a deployment');
      return data;
    };
    const staging1 = await make('staging', sha(2));
    expect(staging1).toMatchObject({
      sha: sha(2),
      environment: 'staging',
      payload: { service: 'web' },
      production_environment: false,
    });
    await writer.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: staging1.id,
      state: 'success',
      environment_url: 'https://staging.example.com',
    });
    const staging2 = await make('staging', 'main');
    expect(staging2.sha).toBe(sha(3));
    await writer.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: staging2.id,
      state: 'in_progress',
      log_url: 'https://ci/1',
    });
    await writer.rest.repos.createDeploymentStatus({ ...repo, deployment_id: staging2.id, state: 'success' });
    await make('production', sha(3));

    const staging = await writer.rest.repos.listDeployments({ ...repo, environment: 'staging' });
    expect(staging.data.map((d) => d.id)).toEqual([staging2.id, staging1.id]);
    const bySha = await writer.rest.repos.listDeployments({ ...repo, sha: sha(3) });
    expect(bySha.data.map((d) => d.environment)).toEqual(['production', 'staging']);

    const statuses1 = await writer.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: staging1.id });
    expect(statuses1.data.map((s) => s.state)).toEqual(['inactive', 'success']);
    const statuses2 = await writer.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: staging2.id });
    expect(statuses2.data.map((s) => s.state)).toEqual(['success', 'in_progress']);

    expect(
      await statusOf(writer.rest.repos.createDeployment({ ...repo, ref: 'nope', environment: 'staging' })),
    ).toEqual({
      status: 422,
      message: 'No ref found for: nope',
    });
    expect(
      (
        await statusOf(
          writer.rest.repos.createDeploymentStatus({
            ...repo,
            deployment_id: staging1.id,
            state: 'great' as 'success',
          }),
        )
      ).status,
    ).toBe(422);
    expect(
      (await statusOf(writer.rest.repos.createDeploymentStatus({ ...repo, deployment_id: 42, state: 'success' })))
        .status,
    ).toBe(404);
  });

  it('limits tokens by permission: 403 "Resource not accessible by integration" on writes', async () => {
    const reader = client('ghs_reader000000000000');
    await expect(reader.rest.repos.getCommit({ ...repo, ref: sha(1) })).resolves.toMatchObject({ status: 200 });
    expect(await statusOf(reader.rest.git.createRef({ ...repo, ref: 'refs/tags/x', sha: sha(1) }))).toEqual({
      status: 403,
      message: 'Resource not accessible by integration',
    });
    const tagsOnly = client('ghs_tagsonly0000000000');
    await expect(tagsOnly.rest.git.createRef({ ...repo, ref: 'refs/tags/x', sha: sha(1) })).resolves.toMatchObject({
      status: 201,
    });
    expect(
      await statusOf(tagsOnly.rest.repos.createDeployment({ ...repo, ref: 'main', environment: 'staging' })),
    ).toEqual({
      status: 403,
      message: 'Resource not accessible by integration',
    });
    expect(sandbox.state('github').deployments).toEqual([]);
  });

  it('records calls by Octokit operation name, without the token, and can be faulted per operation', async () => {
    sandbox.faults.inject({ kind: 'error', service: 'github', operation: 'git.createRef', status: 502, count: 1 });
    expect((await statusOf(writer.rest.git.createRef({ ...repo, ref: 'refs/tags/y', sha: sha(1) }))).status).toBe(502);
    await writer.rest.git.createRef({ ...repo, ref: 'refs/tags/y', sha: sha(1) });
    const calls = sandbox.recorder.calls({ service: 'github' });
    expect(calls.map((c) => [c.operation, c.status, c.mutating])).toEqual([
      ['git.createRef', 502, true],
      ['git.createRef', 201, true],
    ]);
    expect(calls[1]?.params).toMatchObject({ ref: 'refs/tags/y', sha: sha(1) });
    expect(JSON.stringify(calls)).not.toContain('ghs_writer');
  });

  it("answers a throttle fault with GitHub's rate-limit answer", async () => {
    sandbox.faults.inject({ kind: 'throttle', service: 'github', operation: 'repos.listDeployments', count: 1 });
    const error = await writer.rest.repos
      .listDeployments(repo)
      .catch((e: { status: number; response: { headers: Record<string, string> } }) => e);
    expect(error).toMatchObject({ status: 403, response: { headers: { 'x-ratelimit-remaining': '0' } } });
    await expect(writer.rest.repos.listDeployments(repo)).resolves.toMatchObject({ status: 200 });
  });

  it('starts from the releases and deployments a scenario declares', async () => {
    sandbox.load({
      github: {
        ...scenario.github,
        releases: [{ tag: 'v1.0.0', sha: sha(1) }],
        deployments: [{ environment: 'staging', ref: 'v1.0.0', statuses: ['in_progress', 'success'] }],
      },
    });
    const [seeded] = (await writer.rest.repos.listDeployments({ ...repo, environment: 'staging' })).data;
    expect(seeded).toMatchObject({ sha: sha(1), ref: 'v1.0.0', environment: 'staging' });
    const statuses = await writer.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: seeded?.id ?? 0 });
    expect(statuses.data.map((s) => s.state)).toEqual(['success', 'in_progress']);

    const next = await writer.rest.repos.createRelease({ ...repo, tag_name: 'v1.1.0', generate_release_notes: true });
    expect(next.data.body).toContain('compare/v1.0.0...v1.1.0');
    expect(next.data.body).not.toContain('Initial commit');
    expect(() =>
      sandbox.load({ github: { ...scenario.github, releases: [{ tag: 'v0', sha: 'f'.repeat(40) }] } }),
    ).toThrow('no commit for release v0');
  });

  it('exports the environment Octokit and @actions/github read', () => {
    expect(sandbox.env()).toMatchObject({
      GITHUB_API_URL: sandbox.url,
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_TOKEN: 'ghs_writer000000000000',
      GITHUB_SERVER_URL: 'https://github.example.com',
      GITHUB_SHA: sha(3),
    });
  });
});
