/**
 * One name for the suite: a workflow uses its actions as `ecs-ship/ecs-ship/actions/<name>@<ref>` (the root action as
 * `ecs-ship/ecs-ship@<ref>`), and every link points at github.com/ecs-ship/ecs-ship. Any other owner or name in a
 * tracked file (READMEs, docs, examples, the suite's own workflows, tests) fails here.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTION_NAMES, readActionMetadata, repoRoot } from '@ecs-ship/testing';

const REPOSITORY = 'ecs-ship/ecs-ship';
const OWN_ACTIONS = ACTION_NAMES.filter((name) => name !== 'release');

const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' })
  .split('\0')
  .filter((file) => /\.(md|ya?ml|ts|mjs|json)$/.test(file) && !/^dist\/|package-lock\.json$/.test(file))
  // This file's own examples of wrong names.
  .filter((file) => file !== 'test/contract/repository-name.test.ts');

/** `uses:` values that name this suite (its repository name, or one of its actions' paths) under another owner/name. */
function foreignReferences(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/uses:\s*['"]?([\w.-]+\/[\w.-]+)((?:\/[\w.-]+)*)@/g)) {
    const [, repository, path] = match as unknown as [string, string, string];
    const ours = /ecs-ship/i.test(repository) || OWN_ACTIONS.some((name) => path === `/actions/${name}`);
    if (ours && repository !== REPOSITORY) found.push(match[0]);
  }
  for (const match of text.matchAll(/github\.com\/([\w.-]+\/[\w.-]*ecs-ship[\w.-]*)/gi)) {
    if (match[1] !== REPOSITORY) found.push(match[0]);
  }
  return found;
}

test('every tracked file names the suite ecs-ship/ecs-ship', () => {
  expect(tracked.length).toBeGreaterThan(50);
  const found = tracked.flatMap((file) =>
    foreignReferences(readFileSync(join(repoRoot, file), 'utf8')).map((reference) => `${file}: ${reference}`),
  );
  expect(found).toEqual([]);
});

test.each([
  ['uses: acme/ecs-ship/actions/smoke-test@v1', 1],
  ['uses: someone/fork/actions/tag-release@main', 1],
  ["uses: 'ecs-ship/ecs-ship-old@v1'", 1],
  ['see https://github.com/acme/ecs-ship/issues', 1],
  ['uses: ecs-ship/ecs-ship/actions/smoke-test@v1 and uses: ecs-ship/ecs-ship@v1', 0],
  ['uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1', 0],
])('the scan finds %j %i time(s)', (text, count) => {
  expect(foreignReferences(text)).toHaveLength(count);
});

test.each(ACTION_NAMES.map((name) => [name]))('%s declares the suite as its author', (name) => {
  expect(readActionMetadata(name).author).toBe('ecs-ship');
});
