/**
 * For every permission an example job declares, the same workflow with that permission removed: the job must fail
 * with GitHub's own 403 (or, for id-token, configure-aws-credentials' own error), as GitHub enforces it. A job late
 * in a workflow starts after the jobs it needs, taken from a whole run of the workflow: so each example's
 * permissions are tested in the file that already makes its whole runs (examples-release.test.ts,
 * examples-rollback.test.ts, and examples-permissions.test.ts for the rest), which reuses them.
 */
import { SCOPES, grantedScopes, parsePermissions } from '../workflow-runner/permissions.js';
import {
  needsOf,
  readWorkflow,
  runWorkflow,
  type Workflow,
  type WorkflowRunOptions,
} from '../workflow-runner/runner.js';
import { FAILED_PRODUCTION, GOOD, STARTS, example, options, wholeRunJobs } from './examples-world.js';

/** Where each example's permissions are tested: the file that makes its whole runs. */
export const PERMISSIONS_TESTED_IN: Record<string, 'examples-release' | 'examples-rollback' | 'examples-permissions'> =
  {
    'deploy-staging.yml': 'examples-release',
    'deploy-production.yml': 'examples-release',
    'pr-checks.yml': 'examples-release',
    'rollback.yml': 'examples-rollback',
    'preview.yml': 'examples-permissions',
  };

/** Jobs that run only when something failed start from the run that makes them run. */
const JOB_STARTS: Record<string, Partial<WorkflowRunOptions>> = {
  'deploy-production.yml/record-failure': FAILED_PRODUCTION,
  'preview.yml/remove': { event: 'pull_request', sha: GOOD, pullRequestAction: 'closed' },
};
const startOf = (file: string, job: string) => JOB_STARTS[`${file}/${job}`] ?? STARTS[file]!;

/** Every (workflow, job, permission) an example declares: the job-level block, or the workflow's when it has none. */
export function declaredPermissions(files: string[]) {
  return files.flatMap((file) => {
    const workflow = readWorkflow(example(file));
    return Object.entries(workflow.jobs).flatMap(([job, definition]) => {
      const level = definition.permissions !== undefined ? 'job' : 'workflow';
      const block = (level === 'job' ? definition.permissions : workflow.permissions) as Record<string, string>;
      const scopes = grantedScopes(parsePermissions(block, job)!);
      return scopes.map((scope) => [file, job, scope, level] as const);
    });
  });
}

export const isKnownScope = (scope: string) => (SCOPES as readonly string[]).includes(scope);

/** The workflow with one permission taken out of the block that declared it (an empty block is `{}`). */
function without(file: string, job: string, scope: string, level: 'job' | 'workflow'): Workflow {
  const workflow = readWorkflow(example(file));
  const holder = level === 'job' ? workflow.jobs[job]! : workflow;
  const { [scope]: _removed, ...rest } = holder.permissions as Record<string, string>;
  holder.permissions = rest;
  return workflow;
}

/** The jobs `job` needs, directly or through others. */
function ancestors(workflow: Workflow, job: string): string[] {
  return [...new Set(needsOf(workflow.jobs[job]!).flatMap((need) => [need, ...ancestors(workflow, need)]))];
}

/** Runs `job` of the edited workflow, after the jobs it needs as a whole run left them. */
async function runFrom(file: string, job: string, edited: Workflow) {
  const start = startOf(file, job);
  const before = ancestors(edited, job);
  if (before.length === 0) return runWorkflow(edited, options(start));
  const whole = await wholeRunJobs(file, start);
  // The whole run must have reached the job, or the test would prove nothing about its permissions.
  expect(whole[job]!.result).not.toBe('skipped');
  const completedJobs = Object.fromEntries(before.map((id) => [id, whole[id]!]));
  return runWorkflow(edited, options({ ...start, completedJobs }));
}

/** One test per permission that `files` declare; call it after the file's tests of whole runs, so it reuses them. */
export function testEveryPermission(files: string[]): void {
  test.each(declaredPermissions(files))(
    '%s: job "%s" without %s (declared at %s level) fails as GitHub fails it',
    async (file, job, scope, level) => {
      const run = await runFrom(file, job, without(file, job, scope, level));
      expect(run.jobs[job]!.result).toBe('failure');
      const log = run.jobs[job]!.steps.map((s) => s.stdout).join('\n');
      if (scope === 'id-token') {
        expect(log).toContain('Credentials could not be loaded, please check your action inputs');
      } else {
        expect(log).toContain('Resource not accessible by integration');
      }
    },
  );
}

/** The examples whose permissions `testFile` tests. */
export const permissionsOf = (testFile: (typeof PERMISSIONS_TESTED_IN)[string]) =>
  Object.keys(PERMISSIONS_TESTED_IN).filter((file) => PERMISSIONS_TESTED_IN[file] === testFile);
