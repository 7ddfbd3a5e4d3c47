import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pullRequestOfRun } from '../src/pull-request.js';

const folder = mkdtempSync(join(tmpdir(), 'pull-request-event-'));
let sequence = 0;

function run(event: string, payload: unknown) {
  const path = join(folder, `event-${++sequence}.json`);
  writeFileSync(path, JSON.stringify(payload));
  return pullRequestOfRun({ GITHUB_EVENT_NAME: event, GITHUB_EVENT_PATH: path, GITHUB_REPOSITORY: 'acme/shop' });
}

const pr = (head: unknown) => ({
  number: 7,
  pull_request: {
    number: 7,
    head: { sha: 'a'.repeat(40), repo: head === null ? null : { full_name: head } },
    base: { repo: { full_name: 'acme/shop' } },
  },
});

test.each([
  ['a branch of the repository', 'pull_request', 'acme/shop', { fromFork: false, readOnlyToken: false }],
  ['a branch named in another case', 'pull_request', 'Acme/Shop', { fromFork: false, readOnlyToken: false }],
  ['a fork', 'pull_request', 'octo-fork/shop', { fromFork: true, readOnlyToken: true }],
  ['a fork since deleted', 'pull_request', null, { fromFork: true, readOnlyToken: true }],
  [
    'a fork, run in the base repository’s context',
    'pull_request_target',
    'octo-fork/shop',
    { fromFork: true, readOnlyToken: false },
  ],
])('%s', (_, event, head, expected) => {
  expect(run(event, pr(head))).toEqual({ number: 7, event, headSha: 'a'.repeat(40), ...expected });
});

test('other events, and payloads without a pull request, have none', () => {
  expect(run('push', pr('acme/shop'))).toBeUndefined();
  expect(run('pull_request', { action: 'opened' })).toBeUndefined();
  expect(
    pullRequestOfRun({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: join(folder, 'missing.json') }),
  ).toBeUndefined();
});
