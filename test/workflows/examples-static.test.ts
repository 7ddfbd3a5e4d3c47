/**
 * Static checks of the example workflows: actionlint 1.7.7 finds nothing (shellcheck, a Debian package, checks their
 * `run:` scripts in the interop suite: test/interop/workflows-shellcheck.test.ts); third-party actions are
 * pinned to full commit SHAs with their version; every job has a timeout and permissions start read-only; every
 * repository-specific value comes from the env block at the top, fed by variables the README lists; the concurrency
 * groups do not let one dispatch silently cancel another; and no value from the event or the inputs is pasted into a
 * `run:` script (where it would be executed as shell), only passed through `env:`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@ecs-ship/testing';
import { readWorkflow, suiteAction, type Workflow } from '../workflow-runner/runner.js';
import { actionlint, unpinnedUses } from './lint.js';

const folder = join(repoRoot, 'workflows-examples');
const files = readdirSync(folder).filter((file) => file.endsWith('.yml'));
const readme = readFileSync(join(folder, 'README.md'), 'utf8');

/** Inputs whose values differ between repositories: they must come from `env`, never be written in a step. */
const REPOSITORY_SPECIFIC = [
  'role-to-assume',
  'aws-region',
  'repository',
  'cluster',
  'services',
  'service',
  'images',
  'task-definition',
  'subnets',
  'security-groups',
  'snapshot-db-instance',
  'base-url',
  'environment-url',
  'mention-on-failure',
];

/** Every `vars.NAME` a workflow reads. */
function variables(text: string): string[] {
  return [...new Set([...text.matchAll(/\bvars\.([A-Z0-9_]+)/g)].map((m) => m[1]!))];
}

test('the five example workflows are there', () => {
  expect(files.sort()).toEqual([
    'deploy-production.yml',
    'deploy-staging.yml',
    'pr-checks.yml',
    'preview.yml',
    'rollback.yml',
  ]);
});

test('the linter is actionlint 1.7.7', () => {
  const wasm = readFileSync(join(repoRoot, 'node_modules', '@tktco', 'node-actionlint', 'main.wasm'));
  expect(wasm.includes('rhysd/actionlint@v1.7.7/')).toBe(true);
});

describe.each(files.map((file) => [file]))('%s', (file) => {
  const path = join(folder, file);
  const text = readFileSync(path, 'utf8');
  const workflow = readWorkflow(path);
  const jobs = Object.entries(workflow.jobs);
  const steps = jobs.flatMap(([, job]) => job.steps);

  test('actionlint 1.7.7 finds nothing', async () => {
    expect(await actionlint(text, file)).toEqual([]);
  });

  test('third-party actions are pinned to a full commit SHA, with the version in a comment', () => {
    expect(text).toMatch(/uses: aws-actions\/configure-aws-credentials@/);
    expect(unpinnedUses(text, (uses) => suiteAction(uses) !== undefined)).toEqual([]);
  });

  test('permissions start read-only at the top, and every job has a timeout', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const [id, job] of jobs) expect([id, job['timeout-minutes']]).toEqual([id, expect.any(Number)]);
  });

  test('every repository-specific value comes from the env block, which reads only variables and inputs', () => {
    for (const [name, value] of Object.entries(workflow.env ?? {})) {
      expect([name, value]).toEqual([name, expect.stringMatching(/^\$\{\{.*\bvars\.[A-Z0-9_]+.*\}\}$/)]);
    }
    const written = steps.flatMap((step) =>
      Object.entries(step.with ?? {})
        .filter(([input]) => REPOSITORY_SPECIFIC.includes(input))
        .filter(
          ([, value]) =>
            String(value)
              .replace(/\$\{\{[\s\S]*?\}\}/g, '')
              .replace(/[=\s]/g, '') !== '',
        )
        .map(([input, value]) => `${step.name ?? step.uses}: ${input}: ${String(value)}`),
    );
    expect(written).toEqual([]);
  });

  test('every variable it reads is in the README checklist', () => {
    const checklist = readme.split('## Use these in your repository')[1] ?? '';
    expect(variables(text).filter((name) => !checklist.includes(`\`${name}\``))).toEqual([]);
  });

  test('no event or input value is pasted into a run: script', () => {
    const pasted = steps
      .filter((step) => step.run !== undefined)
      .flatMap((step) => [...step.run!.matchAll(/\$\{\{[^}]*\b(github\.event|inputs|github\.head_ref)\b[^}]*\}\}/g)])
      .map((match) => match[0]);
    expect(pasted).toEqual([]);
  });
});

describe('concurrency', () => {
  const group = (file: string) => (readWorkflow(join(folder, file)).concurrency as { group: string }).group;

  test('a production dispatch never shares a group with another commit’s, and never cancels one in progress', () => {
    const production = readWorkflow(join(folder, 'deploy-production.yml')).concurrency;
    expect(production).toEqual({ group: expect.stringContaining('${{ inputs.sha }}'), 'cancel-in-progress': false });
  });

  test('a rollback has its own group, keyed by environment and target, and still waits for the environment', () => {
    const rollback: Workflow = readWorkflow(join(folder, 'rollback.yml'));
    expect(group('rollback.yml')).toMatch(/^rollback-\$\{\{ inputs\.environment \}\}-\$\{\{ inputs\.sha/);
    expect(group('rollback.yml')).not.toBe(group('deploy-production.yml'));
    expect(rollback.jobs.rollback!.environment).toBe('${{ inputs.environment }}');
  });
});

test('the README checklist names no variable the examples do not read', () => {
  const checklist = readme.split('## Use these in your repository')[1]!.split('\n## ')[0]!;
  const read = new Set(files.flatMap((file) => variables(readFileSync(join(folder, file), 'utf8'))));
  const listed = [...checklist.matchAll(/^\s*\|\s*`([A-Z0-9_]+)`/gm)].map((m) => m[1]!);
  expect(listed.filter((name) => !read.has(name) && name !== 'SLACK_WEBHOOK_URL')).toEqual([]);
  expect(listed.length).toBeGreaterThan(10);
});

test('the scans catch what they look for', async () => {
  const run = 'echo "${{ inputs.sha }}"\necho "${{ github.event.pull_request.title }}"';
  expect([...run.matchAll(/\$\{\{[^}]*\b(github\.event|inputs|github\.head_ref)\b[^}]*\}\}/g)]).toHaveLength(2);
  expect(unpinnedUses('- uses: actions/checkout@v4\n- uses: a/b@' + 'f'.repeat(40) + '\n', () => false)).toHaveLength(
    2,
  );
  expect(
    await actionlint(
      'on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v1\n',
      'x.yml',
    ),
  ).not.toEqual([]);
});
