/**
 * For every permission an example job declares, the same workflow with that permission removed: the job must fail
 * with GitHub's own 403 (or, for id-token, configure-aws-credentials' own error), as GitHub enforces it. A job late
 * in a workflow starts after the jobs it needs, taken from one full run of the workflow made once per start.
 */
import { jest } from '@jest/globals';
import { SCOPES, grantedScopes, parsePermissions } from '../workflow-runner/permissions.js';
import {
  needsOf,
  readWorkflow,
  runWorkflow,
  type JobRecord,
  type Workflow,
  type WorkflowRunOptions,
} from '../workflow-runner/runner.js';
import {
  FAILED_PRODUCTION,
  GOOD,
  STARTS,
  example,
  options,
  reloadScenario,
  useExamplesSandbox,
} from './examples-world.js';

jest.setTimeout(120_000);
useExamplesSandbox();

/** Jobs that run only when something failed start from the run that makes them run. */
const JOB_STARTS: Record<string, Partial<WorkflowRunOptions>> = {
  'deploy-production.yml/record-failure': FAILED_PRODUCTION,
  'preview.yml/remove': { event: 'pull_request', sha: GOOD, pullRequestAction: 'closed' },
};
const startOf = (file: string, job: string) => JOB_STARTS[`${file}/${job}`] ?? STARTS[file]!;

/** Every (workflow, job, permission) the examples declare: the job-level block, or the workflow's when it has none. */
const declared = Object.keys(STARTS).flatMap((file) => {
  const workflow = readWorkflow(example(file));
  return Object.entries(workflow.jobs).flatMap(([job, definition]) => {
    const level = definition.permissions !== undefined ? 'job' : 'workflow';
    const block = (level === 'job' ? definition.permissions : workflow.permissions) as Record<string, string>;
    const scopes = grantedScopes(parsePermissions(block, job)!);
    return scopes.map((scope) => [file, job, scope, level] as const);
  });
});

/** The workflow with one permission taken out of the block that declared it (an empty block is `{}`). */
function without(file: string, job: string, scope: string, level: 'job' | 'workflow'): Workflow {
  const workflow = readWorkflow(example(file));
  const holder = level === 'job' ? workflow.jobs[job]! : workflow;
  const { [scope]: _removed, ...rest } = holder.permissions as Record<string, string>;
  holder.permissions = rest;
  return workflow;
}

test('the permission table covers every job that declares something', () => {
  expect(declared.length).toBeGreaterThanOrEqual(10);
  expect(new Set(declared.map(([, , scope]) => scope))).toEqual(
    new Set(['contents', 'deployments', 'id-token', 'pull-requests']),
  );
  expect(declared.every(([, , scope]) => (SCOPES as readonly string[]).includes(scope))).toBe(true);
});

/** One full run per way of starting a workflow, with every permission as declared: the jobs the others need. */
const referenceRuns = new Map<string, Promise<Record<string, JobRecord>>>();

function referenceRun(file: string, start: Partial<WorkflowRunOptions>): Promise<Record<string, JobRecord>> {
  const key = `${file} ${JSON.stringify(start)}`;
  if (!referenceRuns.has(key)) {
    referenceRuns.set(
      key,
      runWorkflow(example(file), options(start)).then((run) => {
        reloadScenario();
        return run.jobs;
      }),
    );
  }
  return referenceRuns.get(key)!;
}

/** The jobs `job` needs, directly or through others. */
function ancestors(workflow: Workflow, job: string): string[] {
  return [...new Set(needsOf(workflow.jobs[job]!).flatMap((need) => [need, ...ancestors(workflow, need)]))];
}

/** Runs `job` of the edited workflow, after the jobs it needs as the reference run left them. */
async function runFrom(file: string, job: string, edited: Workflow) {
  const start = startOf(file, job);
  const before = ancestors(edited, job);
  if (before.length === 0) return runWorkflow(edited, options(start));
  const reference = await referenceRun(file, start);
  // The reference run must have reached the job, or the test would prove nothing about its permissions.
  expect(reference[job]!.result).not.toBe('skipped');
  const completedJobs = Object.fromEntries(before.map((id) => [id, reference[id]!]));
  return runWorkflow(edited, options({ ...start, completedJobs }));
}

test.each(declared)(
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
