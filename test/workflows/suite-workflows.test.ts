/**
 * The suite's own workflows (.github/): linted with actionlint 1.7.7, pinned like the examples, doing what the
 * release process promises; and the release workflow run with the local workflow runner against the sandbox's GitHub,
 * under its declared permissions: publishing a release vX.Y.Z moves the major tag vX to the release's commit.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { repoRoot } from '@ecs-ship/testing';
import { readWorkflow, runWorkflow, type Workflow, type WorkflowRunOptions } from '../workflow-runner/runner.js';
import { actionlint, unpinnedUses } from './lint.js';

const folder = join(repoRoot, '.github', 'workflows');
const files = readdirSync(folder).filter((file) => file.endsWith('.yml'));
const workflow = (file: string) => readWorkflow(join(folder, file));
/** Every `run:` line of a workflow, one string per step. */
const runs = (file: string) =>
  Object.values(workflow(file).jobs).flatMap((job) =>
    (job.steps ?? []).flatMap((step) => (step.run ? [step.run] : [])),
  );

test('the workflows are there', () => {
  expect(files.sort()).toEqual(['check-dist.yml', 'ci.yml', 'codeql.yml', 'release.yml']);
});

describe.each(files.map((file) => [file]))('%s', (file) => {
  const text = readFileSync(join(folder, file), 'utf8');

  test('actionlint 1.7.7 finds nothing', async () => {
    expect(await actionlint(text, file)).toEqual([]);
  });

  test('actions are pinned to a full commit SHA with the version in a comment; every job has a timeout', () => {
    expect(unpinnedUses(text, () => false)).toEqual([]);
    for (const [id, job] of Object.entries(workflow(file).jobs)) {
      if ((job as { uses?: string }).uses) continue; // a call of a reusable workflow has the callee's timeouts
      expect([id, job['timeout-minutes']]).toEqual([id, expect.any(Number)]);
    }
    expect(workflow(file).permissions).toEqual({ contents: 'read' });
  });
});

test('CI: lint and type-check, the tests and the interop suite on Node 20 and 24, and the dist/ check', () => {
  const ci = workflow('ci.yml');
  expect(Object.keys((ci.on as Record<string, unknown>) ?? {})).toEqual(['push', 'pull_request']);
  expect((ci.jobs.test!.strategy as { matrix: { node: number[] } }).matrix.node).toEqual([20, 24]);
  expect(ci.jobs.test!.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with).toMatchObject({
    'node-version': '${{ matrix.node }}',
  });
  expect(runs('ci.yml')).toEqual(
    expect.arrayContaining([
      'npm ci --no-audit --no-fund',
      'npm run lint',
      'npm run typecheck',
      'npm test',
      'npm run test:interop',
    ]),
  );
  expect((ci.jobs['check-dist'] as unknown as { uses: string }).uses).toBe('./.github/workflows/check-dist.yml');
});

test('check-dist: fails on a stale dist/ and then uploads the dist/ the sources build to', () => {
  const job = workflow('check-dist.yml').jobs['check-dist']!;
  const check = job.steps.find((s) => s.run === 'npm run check-dist')!;
  const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
  expect(check.id).toBe('check');
  expect(upload.if).toBe("failure() && steps.check.outcome == 'failure'");
  expect(upload.with).toMatchObject({ name: 'dist', path: 'dist/' });
  expect(Object.keys(workflow('check-dist.yml').on as object)).toContain('workflow_call');
});

test('CodeQL analyses JavaScript and TypeScript; Dependabot updates npm (AWS SDK grouped) and the pinned actions', () => {
  const init = workflow('codeql.yml').jobs.analyze!.steps.find((s) => s.uses?.startsWith('github/codeql-action/init@'));
  expect(init?.with?.languages).toBe('javascript-typescript');
  const dependabot = parse(readFileSync(join(repoRoot, '.github', 'dependabot.yml'), 'utf8')) as {
    version: number;
    updates: { 'package-ecosystem': string; groups?: Record<string, { patterns?: string[] }> }[];
  };
  expect(dependabot.version).toBe(2);
  expect(dependabot.updates.map((u) => u['package-ecosystem'])).toEqual(['npm', 'github-actions']);
  expect(dependabot.updates[0]!.groups?.['aws-sdk']?.patterns).toContain('@aws-sdk/*');
});

describe('the release workflow, run against the sandbox’s GitHub', () => {
  const commit = (n: number) => String(n).repeat(40);
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.stop());

  /** A repository with commits 1 to 5, releases and tags as listed. */
  function load(tags: [string, number][], releases: [string, number][]) {
    sandbox.load({
      github: {
        repository: 'ecs-ship/ecs-ship',
        commits: [1, 2, 3, 4, 5].map((n) => ({ sha: commit(n), message: `change ${n}` })),
        tags: tags.map(([name, n]) => ({ name, sha: commit(n) })),
        releases: releases.map(([tag, n]) => ({ tag, sha: commit(n) })),
      },
    });
  }

  /** The checkout: the release script, and a package whose dist/ check passes (dist/ itself is checked in CI). */
  function seedWorkspace(directory: string) {
    const manifest = { name: 'ecs-ship', version: '1.3.0', private: true, scripts: { 'check-dist': 'node -e 0' } };
    writeFileSync(join(directory, 'package.json'), JSON.stringify(manifest));
    writeFileSync(
      join(directory, 'package-lock.json'),
      JSON.stringify({ ...manifest, lockfileVersion: 3, requires: true, packages: { '': manifest } }),
    );
    mkdirSync(join(directory, 'scripts'));
    copyFileSync(join(repoRoot, 'scripts', 'move-major-tag.mjs'), join(directory, 'scripts', 'move-major-tag.mjs'));
  }

  function publish(tag: string, at: number, extra: Partial<WorkflowRunOptions> = {}, source: string | Workflow = '') {
    return runWorkflow(source || join(folder, 'release.yml'), {
      event: 'release',
      release: { tag_name: tag, prerelease: /-/.test(tag) },
      sha: commit(at),
      env: sandbox.env(),
      seedWorkspace,
      ...extra,
    });
  }

  const tagged = async (name: string) => {
    const state = sandbox.state('github');
    const ref = state.refs.get(`refs/tags/${name}`);
    return ref ? state.peel(ref.sha) : undefined;
  };

  test('after a published release v1.3.0, tag v1 points at its commit', async () => {
    load(
      [['v1', 2]],
      [
        ['v1.2.0', 2],
        ['v1.3.0', 3],
      ],
    );
    const run = await publish('v1.3.0', 3);
    expect(Object.fromEntries(run.order.map((job) => [job, run.jobs[job]!.result]))).toEqual({
      verify: 'success',
      'major-tag': 'success',
    });
    expect(await tagged('v1')).toBe(commit(3));
    expect(run.jobs['major-tag']!.steps.at(-1)!.stdout).toContain(`v1 now points at v1.3.0 (${commit(3)})`);
  });

  test('the first release of a major creates its tag', async () => {
    load([], [['v2.0.0', 4]]);
    await publish('v2.0.0', 4);
    expect(await tagged('v2')).toBe(commit(4));
  });

  test('a fix of an older minor leaves the major tag on the newest release', async () => {
    load(
      [['v1', 3]],
      [
        ['v1.3.0', 3],
        ['v1.2.1', 4],
      ],
    );
    const run = await publish('v1.2.1', 4);
    expect(run.jobs['major-tag']!.result).toBe('success');
    expect(await tagged('v1')).toBe(commit(3));
    expect(run.jobs['major-tag']!.steps.at(-1)!.stdout).toContain('v1.3.0 is newer than v1.2.1: v1 stays');
  });

  test('a pre-release moves nothing', async () => {
    load([], [['v3.0.0-rc.1', 5]]);
    const run = await publish('v3.0.0-rc.1', 5);
    expect(run.jobs['major-tag']!.result).toBe('success');
    expect(await tagged('v3')).toBeUndefined();
  });

  test('without contents: write, GitHub refuses the move with 403', async () => {
    load([['v1', 2]], [['v1.3.0', 3]]);
    const edited = workflow('release.yml');
    edited.jobs['major-tag']!.permissions = { contents: 'read' };
    const run = await publish('v1.3.0', 3, {}, edited);
    expect(run.jobs['major-tag']!.result).toBe('failure');
    expect(run.jobs['major-tag']!.steps.at(-1)!.stdout).toContain('403 Resource not accessible by integration');
    expect(await tagged('v1')).toBe(commit(2));
  });
});
