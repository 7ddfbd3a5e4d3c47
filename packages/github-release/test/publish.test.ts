import { MemoryLogger, UserError } from '@ecs-ship/action-kit';
import { publishRelease, type ReleasePlan } from '../src/publish.js';
import { on, scriptedClient, type Route } from './fake-github.js';

const SHA = '4f6a0e1c9b2d8a7f3e5c1b0d9a8f7e6d5c4b3a21';
const OTHER = '9999999999999999999999999999999999999999';
const TAG_OBJECT = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const repository = { owner: 'acme', repo: 'shop' };
const R = '/repos/acme/shop';

const commitExists = on('GET', `${R}/commits/${SHA}`, { status: 200, body: { sha: SHA } });
const noTag = on('GET', /\/git\/ref\/tags\//, { status: 404, body: { message: 'Not Found' } });
const createTag = on('POST', `${R}/git/tags`, (body) => ({
  status: 201,
  body: { sha: TAG_OBJECT, tag: body.tag, object: { sha: body.object, type: 'commit' } },
}));
const createRef = on('POST', `${R}/git/refs`, (body) => ({
  status: 201,
  body: { ref: body.ref, object: { sha: body.sha, type: 'tag' } },
}));

function annotatedTagOn(tag: string, commit: string, objectSha = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'): Route[] {
  return [
    on('GET', `${R}/git/ref/tags/${tag}`, {
      status: 200,
      body: { ref: `refs/tags/${tag}`, object: { sha: objectSha, type: 'tag' } },
    }),
    on('GET', `${R}/git/tags/${objectSha}`, {
      status: 200,
      body: { sha: objectSha, tag, object: { sha: commit, type: 'commit' } },
    }),
  ];
}

function plan(overrides: Partial<ReleasePlan> = {}): ReleasePlan {
  return { repository, sha: SHA, tag: { kind: 'name', name: 'v1.0.0' }, details: {}, ...overrides };
}

describe('publishRelease', () => {
  it('makes the tag object first, then the ref that names it', async () => {
    const { client, calls } = scriptedClient([commitExists, noTag, createTag, createRef]);
    const outcome = await publishRelease(client, plan(), new MemoryLogger());
    expect(outcome.tag).toEqual({ tag: 'v1.0.0', tagSha: TAG_OBJECT, commitSha: SHA, created: true });
    expect(calls).toEqual([
      `GET ${R}/commits/${SHA}`,
      `GET ${R}/git/ref/tags/v1.0.0`,
      `POST ${R}/git/tags`,
      `POST ${R}/git/refs`,
    ]);
  });

  it('accepts a tag that a concurrent run published on the same commit between read and write', async () => {
    let published = false;
    const { client } = scriptedClient([
      commitExists,
      (request) =>
        published
          ? annotatedTagOn('v1.0.0', SHA)
              .map((r) => r(request))
              .find(Boolean)
          : undefined,
      noTag,
      createTag,
      on('POST', `${R}/git/refs`, () => {
        published = true;
        return { status: 422, body: { message: 'Reference already exists' } };
      }),
    ]);
    const outcome = await publishRelease(client, plan(), new MemoryLogger());
    expect(outcome.tag.created).toBe(false);
    expect(outcome.tag.commitSha).toBe(SHA);
  });

  it('refuses a concurrent tag on another commit, naming both commits', async () => {
    let published = false;
    const { client } = scriptedClient([
      commitExists,
      (request) =>
        published
          ? annotatedTagOn('v1.0.0', OTHER)
              .map((r) => r(request))
              .find(Boolean)
          : undefined,
      noTag,
      createTag,
      on('POST', `${R}/git/refs`, () => {
        published = true;
        return { status: 422, body: { message: 'Reference already exists' } };
      }),
    ]);
    await expect(publishRelease(client, plan(), new MemoryLogger())).rejects.toThrow(
      `Tag "v1.0.0" already exists on commit ${OTHER}, not on ${SHA}.`,
    );
  });

  it('treats an existing lightweight tag on the commit as done', async () => {
    const { client, calls } = scriptedClient([
      commitExists,
      on('GET', `${R}/git/ref/tags/v1.0.0`, {
        status: 200,
        body: { ref: 'refs/tags/v1.0.0', object: { sha: SHA, type: 'commit' } },
      }),
    ]);
    const outcome = await publishRelease(client, plan(), new MemoryLogger());
    expect(outcome.tag).toEqual({ tag: 'v1.0.0', tagSha: SHA, commitSha: SHA, created: false });
    expect(calls.filter((c) => c.startsWith('POST'))).toEqual([]);
  });

  it('bumps from the highest version tag', async () => {
    const { client, calls } = scriptedClient([
      commitExists,
      on('GET', `${R}/tags`, {
        status: 200,
        body: ['v1.2.0', 'v1.9.0', 'v1.10.0-rc.1', 'nightly'].map((name) => ({ name, commit: { sha: OTHER } })),
      }),
      noTag,
      createTag,
      createRef,
    ]);
    const logger = new MemoryLogger();
    const outcome = await publishRelease(
      client,
      plan({ tag: { kind: 'bump', level: 'minor', prefix: 'v', includePrereleases: false } }),
      logger,
    );
    expect(outcome.tag.tag).toBe('v1.10.0');
    expect(outcome.previousTag).toBe('v1.9.0');
    expect(calls).toContain(`POST ${R}/git/refs`);
    expect(logger.lines).toContain('Highest version tag is v1.9.0: the minor bump gives v1.10.0.');
  });

  it('does not bump twice when re-run: the highest version tag is already on this commit', async () => {
    const { client, calls } = scriptedClient([
      commitExists,
      on('GET', `${R}/tags`, {
        status: 200,
        body: [
          { name: 'v1.10.0', commit: { sha: SHA } },
          { name: 'v1.9.0', commit: { sha: OTHER } },
        ],
      }),
      ...annotatedTagOn('v1.10.0', SHA),
    ]);
    const outcome = await publishRelease(
      client,
      plan({ tag: { kind: 'bump', level: 'minor', prefix: 'v', includePrereleases: false } }),
      new MemoryLogger(),
    );
    expect(outcome.tag).toMatchObject({ tag: 'v1.10.0', created: false });
    expect(calls.filter((c) => c.startsWith('POST'))).toEqual([]);
  });

  it('tells an unknown commit apart from a repository the token cannot see', async () => {
    const unknown = scriptedClient([
      on('GET', `${R}/commits/${SHA}`, { status: 404, body: { message: 'Not Found' } }),
      on('GET', R, { status: 200, body: { full_name: 'acme/shop' } }),
    ]);
    await expect(publishRelease(unknown.client, plan(), new MemoryLogger())).rejects.toThrow(
      `Input "sha": commit ${SHA} does not exist in acme/shop.`,
    );
    const hidden = scriptedClient([on('GET', /.*/, { status: 404, body: { message: 'Not Found' } })]);
    const error = await publishRelease(hidden.client, plan(), new MemoryLogger()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/404 .*permissions: contents: read/);
  });

  describe('deployment record', () => {
    /** Earlier deployments (newest first) with their latest status; the new one gets id 50. */
    type Earlier = { id: number; state?: string; sha?: string; tag?: string }[];
    const deploymentRoutes = (earlier: Earlier, posted: { id: number; state: string }[]) => [
      commitExists,
      ...annotatedTagOn('v1.0.0', SHA),
      on('POST', `${R}/deployments`, (body) => ({
        status: 201,
        body: { id: 50, sha: SHA, ref: body.ref, environment: body.environment, payload: body.payload },
      })),
      on('GET', `${R}/deployments`, (_, query) => {
        expect(query.get('environment')).toBe('production');
        const body = earlier.map(({ id, sha, tag }) => ({ id, sha: sha ?? OTHER, payload: { tag: tag ?? 'v0.9.0' } }));
        return { status: 200, body };
      }),
      (request: { method: string; path: string; body: any }) => {
        const match = /\/deployments\/(\d+)\/statuses$/.exec(request.path);
        if (!match) return undefined;
        const id = Number(match[1]);
        if (request.method === 'POST') {
          posted.push({ id, state: request.body.state });
          return { status: 201, body: { id: 1, state: request.body.state } };
        }
        const latest = earlier.find((d) => d.id === id)?.state;
        return { status: 200, body: latest ? [{ state: latest }] : [] };
      },
    ];

    it('marks earlier live deployments of the environment inactive after a success', async () => {
      const posted: { id: number; state: string }[] = [];
      const earlier: Earlier = [
        { id: 41, state: 'success' },
        { id: 39, state: 'failure' },
        { id: 38, state: 'in_progress' },
        { id: 37 },
        { id: 36, state: 'inactive' },
        // Older than an inactive one: dealt with when that one was superseded, so not even read.
        { id: 35, state: 'success' },
      ];
      const { client, calls } = scriptedClient(deploymentRoutes(earlier, posted));
      const outcome = await publishRelease(
        client,
        plan({
          deployment: { environment: 'production', state: 'success', environmentUrl: 'https://shop.example.com' },
        }),
        new MemoryLogger(),
      );
      expect(outcome.deployment).toEqual({
        id: 50,
        state: 'success',
        environment: 'production',
        created: true,
        deactivated: [41, 38],
      });
      expect(posted).toEqual([
        { id: 50, state: 'success' },
        { id: 41, state: 'inactive' },
        { id: 38, state: 'inactive' },
      ]);
      expect(calls).not.toContain(`GET ${R}/deployments/35/statuses`);
    });

    it('leaves earlier deployments alone when this one failed', async () => {
      const posted: { id: number; state: string }[] = [];
      const { client, calls } = scriptedClient(deploymentRoutes([{ id: 41, state: 'success' }], posted));
      const outcome = await publishRelease(
        client,
        plan({ deployment: { environment: 'production', state: 'failure' } }),
        new MemoryLogger(),
      );
      expect(outcome.deployment?.deactivated).toEqual([]);
      expect(posted).toEqual([{ id: 50, state: 'failure' }]);
      expect(calls).not.toContain(`GET ${R}/deployments/41/statuses`);
    });

    it('reuses its own deployment on a re-run, adding a status only when the state changed', async () => {
      const posted: { id: number; state: string }[] = [];
      const unchanged = scriptedClient(
        deploymentRoutes(
          [
            { id: 44, state: 'success', sha: SHA, tag: 'v1.0.0' },
            { id: 43, state: 'inactive' },
          ],
          posted,
        ),
      );
      const outcome = await publishRelease(
        unchanged.client,
        plan({ deployment: { environment: 'production', state: 'success' } }),
        new MemoryLogger(),
      );
      expect(outcome.deployment).toMatchObject({ id: 44, created: false, deactivated: [] });
      expect(posted).toEqual([]);
      expect(unchanged.calls.filter((c) => c.startsWith('POST'))).toEqual([]);

      const changed: { id: number; state: string }[] = [];
      const failedBefore = scriptedClient(
        deploymentRoutes(
          [
            { id: 44, state: 'failure', sha: SHA, tag: 'v1.0.0' },
            { id: 43, state: 'success' },
          ],
          changed,
        ),
      );
      const again = await publishRelease(
        failedBefore.client,
        plan({ deployment: { environment: 'production', state: 'success' } }),
        new MemoryLogger(),
      );
      expect(again.deployment).toMatchObject({ id: 44, created: false, deactivated: [43] });
      expect(changed).toEqual([
        { id: 44, state: 'success' },
        { id: 43, state: 'inactive' },
      ]);
    });
  });
});
