// The kept-up-to-date comment, against the sandbox's GitHub over real HTTP, through the suite's own client (retry and
// throttling plugins): one comment per key however many runs, found among many pages of others, never doubled by a
// lost answer or a racing run, and cut to GitHub's limit so that GitHub accepts it.
import { jest } from '@jest/globals';
import { MemoryLogger, UserError } from '@ecs-ship/action-kit';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { createGitHubClient } from '../src/client.js';
import { refusedForPermission, type GitHubClient } from '../src/github.js';
import { COMMENT_LIMIT, commentMarker, writeStickyComment } from '../src/sticky-comment.js';

// GitHub writes are spaced a second apart by the throttling plugin.
jest.setTimeout(60_000);

const WRITER = 'ghs_stickyWriter000000000000000000000000';
const READER = 'ghs_stickyReader000000000000000000000000';
const repository = { owner: 'acme', repo: 'shop' };
const KEY = 'deploy plan · Pull request checks · shop-staging';

function world(comments: { issue: number; body: string; author?: string; bot?: boolean }[] = []) {
  return {
    github: {
      repository: 'acme/shop',
      tokens: [
        { token: WRITER },
        { token: READER, permissions: { contents: 'read', 'pull-requests': 'read', issues: 'read' } },
      ],
      pullRequests: [{ number: 7 }, { number: 9, fork: true }],
      comments,
    },
  };
}

let sandbox: Sandbox;
let writer: GitHubClient;
const logger = new MemoryLogger();

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: world() });
  // @actions/github reads the API base when it loads, which the first client does.
  process.env.GITHUB_API_URL = sandbox.url;
  writer = await createGitHubClient(WRITER, { logger });
});
afterAll(() => sandbox.stop());
beforeEach(() => {
  sandbox.load(world());
  logger.lines.length = 0;
});

const commentsOn = (number: number) => sandbox.state('github').comments.filter((c) => c.issue === number);
const writes = () => sandbox.recorder.calls().filter((call) => call.operation !== 'issues.listComments');

test('the first run creates the comment, a later one edits it in place, an identical one leaves it alone', async () => {
  const first = await writeStickyComment(writer, repository, { number: 7, key: KEY, body: 'Plan: 1 change' }, logger);
  expect(first).toMatchObject({ action: 'created', cut: false, removed: [] });
  const second = await writeStickyComment(writer, repository, { number: 7, key: KEY, body: 'Plan: 2 changes' });
  expect(second).toMatchObject({ action: 'updated', id: first.id });
  expect(commentsOn(7).map((c) => c.body)).toEqual([`${commentMarker(KEY)}\nPlan: 2 changes`]);

  sandbox.recorder.clear();
  const third = await writeStickyComment(writer, repository, { number: 7, key: KEY, body: 'Plan: 2 changes' });
  expect(third).toMatchObject({ action: 'unchanged', id: first.id });
  expect(writes()).toEqual([]);
  expect(first.url).toBe(`https://github.com/acme/shop/pull/7#issuecomment-${first.id}`);
});

test('the marked comment is found among many pages of others; other keys and pull requests have their own', async () => {
  const others = Array.from({ length: 230 }, (_, i) => ({ issue: 7, body: `review ${i}`, author: 'bob' }));
  sandbox.load(
    world([
      ...others.slice(0, 130),
      { issue: 7, body: `${commentMarker(KEY)}\nold plan`, bot: true, author: 'github-actions[bot]' },
      ...others.slice(130),
    ]),
  );
  const result = await writeStickyComment(writer, repository, { number: 7, key: KEY, body: 'new plan' });
  expect(result.action).toBe('updated');
  expect(commentsOn(7)).toHaveLength(231);
  expect(
    commentsOn(7)
      .filter((c) => c.body.startsWith(commentMarker(KEY)))
      .map((c) => c.body),
  ).toEqual([`${commentMarker(KEY)}\nnew plan`]);
  const lists = sandbox.recorder.calls().filter((call) => call.operation === 'issues.listComments');
  expect(lists).toHaveLength(3);

  await writeStickyComment(writer, repository, { number: 7, key: `${KEY} production`, body: 'another' });
  await writeStickyComment(writer, repository, { number: 9, key: KEY, body: 'elsewhere' });
  expect(commentsOn(7)).toHaveLength(232);
  expect(commentsOn(9)).toHaveLength(1);
});

test('a marker quoted inside someone else’s comment is not taken for ours', async () => {
  sandbox.load(world([{ issue: 7, body: `> ${commentMarker(KEY)}\n> old plan\n\nWhy did this change?` }]));
  const result = await writeStickyComment(writer, repository, { number: 7, key: KEY, body: 'plan' });
  expect(result.action).toBe('created');
  expect(commentsOn(7)[0]!.body).toMatch(/^> /);
});

test('duplicates left by an earlier run are folded into the oldest', async () => {
  const marked = (text: string) => ({
    issue: 7,
    body: `${commentMarker(KEY)}\n${text}`,
    bot: true,
    author: 'github-actions[bot]',
  });
  sandbox.load(world([marked('first'), { issue: 7, body: 'lgtm' }, marked('second')]));
  const [oldest, , newer] = commentsOn(7);
  const result = await writeStickyComment(writer, repository, { number: 7, key: KEY, body: 'current' });
  expect(result).toMatchObject({ action: 'updated', id: oldest!.id, removed: [newer!.id] });
  expect(commentsOn(7).map((c) => c.body)).toEqual([`${commentMarker(KEY)}\ncurrent`, 'lgtm']);
});

describe.each([
  ['a dropped connection', 'reset'],
  ['a 5xx', 'error'],
] as const)('a create whose answer was lost to %s', (_label, kind) => {
  test('leaves one comment: the retry looks first and finds it', async () => {
    sandbox.faults.inject({ kind, service: 'github', operation: 'issues.createComment', after: true, count: 1 });
    const result = await writeStickyComment(writer, repository, { number: 7, key: KEY, body: 'plan' }, logger);
    expect(commentsOn(7)).toHaveLength(1);
    expect(result).toMatchObject({ action: 'created', id: commentsOn(7)[0]!.id });
    const creates = sandbox.recorder.calls().filter((call) => call.operation === 'issues.createComment');
    expect(creates.map((call) => call.fault)).toEqual([`${kind} after`]);
    expect(logger.lines.join('\n')).toMatch(/was lost \(\d{3}\), but it took effect: not sending it again/);
  });
});

test('two runs racing on one pull request settle on one comment, the older', async () => {
  // This run's create is held while another run's create lands first.
  sandbox.faults.inject({ kind: 'latency', service: 'github', operation: 'issues.createComment', ms: 1500, count: 1 });
  const ours = writeStickyComment(writer, repository, { number: 7, key: KEY, body: 'ours' });
  await sandbox.waitFor(() => sandbox.recorder.calls().some((call) => call.operation === 'issues.listComments'), {
    timeoutMs: 10_000,
    description: 'the first list',
  });
  // The other run's comment lands while ours is on its way (written straight into the sandbox's repository, as a
  // request of ours would queue behind this process's own throttled write).
  const github = sandbox.state('github');
  const at = new Date().toISOString();
  github.comments.push({
    id: github.commentId(),
    issue: 7,
    body: `${commentMarker(KEY)}\ntheirs`,
    author: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
    created_at: at,
    updated_at: at,
  });
  const [theirs] = commentsOn(7);
  const result = await ours;
  expect(result).toMatchObject({ action: 'updated', id: theirs!.id });
  expect(result.removed).toHaveLength(1);
  expect(commentsOn(7).map((c) => c.body)).toEqual([`${commentMarker(KEY)}\nours`]);
});

test('a body over GitHub’s limit is cut so that GitHub takes it, fences closed, with the note last', async () => {
  const lines = Array.from({ length: 4000 }, (_, i) => `+ containerDefinitions[app].environment[VAR_${i}] changed`);
  const body = `## Plan\n\n<details><summary>web</summary>\n\n\`\`\`diff\n${lines.join('\n')}\n\`\`\`\n</details>\n`;
  const note = '_Cut here. The whole plan: [job summary](https://github.com/acme/shop/actions/runs/1)._';
  const result = await writeStickyComment(writer, repository, { number: 7, key: KEY, body, overflowNote: note });
  expect(result.cut).toBe(true);
  const [comment] = commentsOn(7);
  expect(comment!.body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
  expect(comment!.body.length).toBeGreaterThan(COMMENT_LIMIT - 200);
  expect(comment!.body.endsWith(`\`\`\`\n</details>\n\n${note}`)).toBe(true);
});

test('a read-only token is refused with the permission to grant, and nothing is written', async () => {
  const reader = await createGitHubClient(READER);
  const error = await writeStickyComment(reader, repository, { number: 9, key: KEY, body: 'plan' }).catch((e) => e);
  expect(error).toBeInstanceOf(UserError);
  expect(error.message).toMatch(
    /^GitHub refused to comment on #9 in acme\/shop \(403: Resource not accessible by integration\)\. Give the job "permissions: pull-requests: write"/,
  );
  expect(refusedForPermission(error)).toBe(true);
  expect(commentsOn(9)).toEqual([]);
});
