/**
 * A small local workflow runner for the example workflows and the suite's own. It runs a workflow's jobs in `needs`
 * order, evaluates `${{ }}` with GitHub's expression library, honours `if:`, job and step outputs and `env`, runs
 * this suite's actions through their real bundles (the contract harness), runs modelled third-party actions
 * (third-party.ts), and runs `run:` steps with bash as the hosted runner does.
 *
 * It enforces `permissions:` as GitHub does (permissions.ts): each job gets its own GITHUB_TOKEN, issued by the
 * sandbox's GitHub with exactly the job's scopes (as `github.token` and `secrets.GITHUB_TOKEN`, never in the
 * environment of a step that does not ask for it), and the OIDC request variables only with `id-token: write`.
 *
 * It holds jobs at protected environments as GitHub does: a job whose environment has required reviewers runs only
 * once they approve (`reviews`); until then it waits, and so does every job that needs it; rejected, it fails without
 * running a step. A job skipped by its `if:` asks nobody.
 *
 * It is stricter than GitHub where a mistake would otherwise slip through: an undeclared input, a missing required
 * input, or a reference to an output that the step or job does not declare fails the run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readActionMetadata, runAction, type ActionRun } from '@ecs-ship/testing';
import { condition, interpolate, type ExpressionContext, type JobStatus } from './expressions.js';
import { issueJobToken, oidcVariables } from './job-token.js';
import { effectivePermissions, type Permissions } from './permissions.js';
import { runScript, runSuiteAction, suiteAction, type StepOutcome } from './steps.js';
import { modelled, runThirdParty } from './third-party.js';

export { SUITE_REPOSITORY, suiteAction } from './steps.js';

export type WorkflowEvent = 'push' | 'workflow_dispatch' | 'pull_request' | 'pull_request_target' | 'release';

/** The pull request of `pull_request` and `pull_request_target` runs when a test names none. */
const DEFAULT_PULL_REQUEST = 7;

export interface WorkflowRunOptions {
  event: WorkflowEvent;
  inputs?: Record<string, string>;
  sha?: string;
  ref?: string;
  /** Environment every step gets: the sandbox's variables. GITHUB_API_URL is required (it issues the job tokens). */
  env: Record<string, string>;
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  /**
   * pull_request and pull_request_target: the head is in a fork. A `pull_request` run then gets a read-only token, no
   * secrets and no OIDC; a `pull_request_target` run runs in the base repository's context and gets them all.
   */
  fromFork?: boolean;
  /** pull_request and pull_request_target: the pull request's number (default 7). */
  pullRequest?: number;
  /** release: the published release. */
  release?: { tag_name: string; prerelease?: boolean; draft?: boolean };
  /** Fills each job's workspace, as actions/checkout would. */
  seedWorkspace?: (directory: string) => void;
  /** Environments with protection rules: the required reviewers of each (as Settings → Environments sets them). */
  environments?: Record<string, { requiredReviewers: string[] }>;
  /** The reviewers' decision per protected environment; none yet: the job waits. */
  reviews?: Record<string, 'approved' | 'rejected'>;
  /** Per step, whatever a test needs to see. */
  onStep?: (job: string, step: StepRecord) => void;
  /**
   * Values for inputs a step leaves out, in place of action.yml's defaults, for every suite action that declares the
   * input: a sandbox that runs fifty times faster than real time is polled faster than the 5-second defaults, while
   * the workflow file stays exactly as an adopter copies it.
   */
  inputDefaults?: Record<string, string>;
  /**
   * Jobs taken as already run, with their records from an earlier run: the run starts with the jobs that need them,
   * so a test of one late job does not run the whole workflow again to reach it.
   */
  completedJobs?: Record<string, JobRecord>;
}

export interface StepRecord {
  id?: string;
  name: string;
  uses?: string;
  outcome: 'success' | 'failure' | 'skipped';
  outputs: Record<string, string>;
  /** The harness result when the step ran one of this suite's actions. */
  action?: ActionRun;
  stdout: string;
}

export interface JobRecord {
  /** `waiting`: held for its environment's reviewers, or behind a job that is. */
  result: 'success' | 'failure' | 'skipped' | 'waiting';
  outputs: Record<string, string>;
  steps: StepRecord[];
  environment?: string;
  /** The environment reviewers' decision, when the environment requires one. */
  review?: 'approved' | 'rejected' | 'pending';
  /** The scopes the job's token had. */
  permissions?: Permissions;
}

export interface WorkflowRun {
  jobs: Record<string, JobRecord>;
  /** Jobs in the order they ran. */
  order: string[];
}

export interface StepDefinition {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  if?: string | boolean;
  shell?: string;
  'continue-on-error'?: boolean;
  'working-directory'?: string;
}

export interface JobDefinition {
  name?: string;
  needs?: string | string[];
  if?: string | boolean;
  environment?: string | { name: string; url?: string };
  env?: Record<string, unknown>;
  outputs?: Record<string, string>;
  permissions?: unknown;
  concurrency?: unknown;
  'timeout-minutes'?: number;
  'runs-on'?: string;
  strategy?: unknown;
  steps: StepDefinition[];
}

export interface Workflow {
  name?: string;
  on: unknown;
  env?: Record<string, unknown>;
  permissions?: unknown;
  concurrency?: unknown;
  jobs: Record<string, JobDefinition>;
}

export function readWorkflow(path: string): Workflow {
  return parse(readFileSync(path, 'utf8')) as Workflow;
}

/** Runs a workflow file, or a workflow already read (a test's edited copy). */
export async function runWorkflow(source: string | Workflow, options: WorkflowRunOptions): Promise<WorkflowRun> {
  const workflow = typeof source === 'string' ? readWorkflow(source) : source;
  if (!options.env.GITHUB_API_URL) throw new Error('The workflow runner needs GITHUB_API_URL to issue job tokens');
  checkOutputReferences(workflow);
  const github = githubContext(workflow, typeof source === 'string' ? source : 'workflow', options);
  const eventFile = mkdtempSync(join(tmpdir(), 'workflow-event-'));
  const eventPath = join(eventFile, 'event.json');
  writeFileSync(eventPath, JSON.stringify(github.event));
  const run: WorkflowRun = { jobs: { ...options.completedJobs }, order: [] };
  try {
    const pending = new Set(Object.keys(workflow.jobs).filter((id) => !options.completedJobs?.[id]));
    while (pending.size > 0) {
      const ready = [...pending].find((id) => needsOf(workflow.jobs[id]!).every((need) => run.jobs[need]));
      if (!ready) throw new Error(`Jobs ${[...pending].join(', ')} wait on each other or on unknown jobs`);
      pending.delete(ready);
      run.order.push(ready);
      run.jobs[ready] = await runJob(ready, workflow, { ...github, eventPath }, run, options);
    }
  } finally {
    rmSync(eventFile, { recursive: true, force: true });
  }
  return run;
}

function githubContext(workflow: Workflow, path: string, options: WorkflowRunOptions) {
  const repository = options.env.GITHUB_REPOSITORY ?? 'acme/shop';
  const sha = options.sha ?? options.env.GITHUB_SHA ?? '4f6a0e1c9b2d8a7f3e5c1b0d9a8f7e6d5c4b3a21';
  const number = options.pullRequest ?? DEFAULT_PULL_REQUEST;
  const onPullRequest = options.event === 'pull_request' || options.event === 'pull_request_target';
  // A pull_request run checks out the test merge commit; a pull_request_target run the base branch.
  const ref =
    options.ref ??
    (options.release
      ? `refs/tags/${options.release.tag_name}`
      : options.event === 'pull_request'
        ? `refs/pull/${number}/merge`
        : 'refs/heads/main');
  const event: Record<string, unknown> = { repository: { full_name: repository } };
  if (options.event === 'workflow_dispatch') event.inputs = options.inputs ?? {};
  if (onPullRequest) {
    const head = options.fromFork ? `octo-fork/${repository.split('/')[1]}` : repository;
    const server = options.env.GITHUB_SERVER_URL ?? 'https://github.com';
    Object.assign(event, {
      action: 'synchronize',
      number,
      pull_request: {
        number,
        html_url: `${server}/${repository}/pull/${number}`,
        head: { sha, ref: 'feature', repo: { full_name: head, fork: Boolean(options.fromFork) } },
        base: { ref: 'main', repo: { full_name: repository } },
      },
    });
  }
  if (options.event === 'release') {
    event.action = 'published';
    event.release = { prerelease: false, draft: false, target_commitish: 'main', ...options.release };
  }
  return {
    event_name: options.event,
    event,
    sha,
    ref,
    head_ref: onPullRequest ? 'feature' : '',
    base_ref: onPullRequest ? 'main' : '',
    ref_name: ref.replace(/^refs\/(heads|tags)\//, ''),
    repository,
    repository_owner: repository.split('/')[0],
    run_id: '7001234567',
    run_number: '42',
    run_attempt: '1',
    actor: 'octocat',
    server_url: options.env.GITHUB_SERVER_URL ?? 'https://github.com',
    api_url: options.env.GITHUB_API_URL,
    workflow: workflow.name ?? path,
  };
}

function needsOf(job: JobDefinition): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

async function runJob(
  id: string,
  workflow: Workflow,
  baseGithub: ReturnType<typeof githubContext> & { eventPath: string },
  run: WorkflowRun,
  options: WorkflowRunOptions,
): Promise<JobRecord> {
  const job = workflow.jobs[id]!;
  if (!Array.isArray(job.steps))
    throw new Error(`Job "${id}" calls a reusable workflow, which this runner does not run`);
  const needs = Object.fromEntries(
    needsOf(job).map((need) => [need, { result: run.jobs[need]!.result, outputs: run.jobs[need]!.outputs }]),
  );
  if (Object.values(needs).some((need) => need.result === 'waiting'))
    return { result: 'waiting', outputs: {}, steps: [] };
  const upstreamFailed = Object.values(needs).some((need) => need.result !== 'success');
  // Only a pull_request run from a fork is held to a read-only token without secrets; pull_request_target is not.
  const fromFork = Boolean(options.fromFork) && options.event === 'pull_request';
  const permissions = effectivePermissions(workflow.permissions, job.permissions, id, { fromFork });
  const secrets = fromFork ? {} : (options.secrets ?? {});
  const context: ExpressionContext = {
    github: { ...baseGithub, job: id },
    env: {},
    // A fork's pull request gets neither the repository's secrets nor its variables.
    vars: fromFork ? {} : (options.vars ?? {}),
    secrets: { ...secrets },
    inputs: options.inputs ?? {},
    needs,
    steps: {},
    job: { status: upstreamFailed ? 'failure' : 'success' },
    runner: { os: 'Linux', arch: 'X64', temp: tmpdir() },
    matrix: {},
    strategy: {},
  };
  context.env = evaluateMap(workflow.env, context);
  context.env = { ...context.env, ...evaluateMap(job.env, context) };
  if (!condition(job.if, context)) return { result: 'skipped', outputs: {}, steps: [] };
  context.job.status = 'success';
  const named = typeof job.environment === 'string' ? job.environment : job.environment?.name;
  const environment = named === undefined ? undefined : interpolate(named, context);
  const held = environmentReview(environment, options);
  if (held === 'pending') return { result: 'waiting', outputs: {}, steps: [], environment, review: held };
  if (held === 'rejected') return { result: 'failure', outputs: {}, steps: [], environment, review: held };

  const apiUrl = options.env.GITHUB_API_URL!;
  const token = await issueJobToken(apiUrl, permissions);
  context.github.token = token;
  context.secrets.GITHUB_TOKEN = token;
  // The runner never puts a token in a step's environment: a step gets one only through `${{ github.token }}`.
  const { GITHUB_TOKEN: _sandboxToken, ...baseEnv } = options.env;
  const jobEnv = {
    ...baseEnv,
    ...runnerEnvironment(context.github, baseGithub.eventPath),
    ...oidcVariables(permissions, apiUrl),
  };

  const record: JobRecord = { result: 'success', outputs: {}, steps: [], environment, review: held, permissions };
  const workspace = mkdtempSync(join(tmpdir(), `workflow-${id}-`));
  options.seedWorkspace?.(workspace);
  const posts: NonNullable<StepOutcome['post']>[] = [];
  let exported: Record<string, string> = {};
  try {
    for (const [index, step] of job.steps.entries()) {
      const stepRecord: StepRecord = {
        id: step.id,
        name: step.name ?? step.uses ?? `step ${index + 1}`,
        uses: step.uses,
        outcome: 'skipped',
        outputs: {},
        stdout: '',
      };
      if (condition(step.if, context)) {
        const stepContext = { ...context, env: { ...context.env, ...exported } };
        stepContext.env = { ...stepContext.env, ...evaluateMap(step.env, stepContext) };
        const stepEnv = { ...jobEnv, ...stepContext.env };
        const result = await runStep(step, stepRecord.name, stepEnv, stepContext, workspace, options.inputDefaults);
        Object.assign(stepRecord, {
          outcome: result.outcome,
          outputs: result.outputs,
          stdout: result.stdout,
          action: result.action,
        });
        exported = { ...exported, ...result.exported };
        if (result.post) posts.push(result.post);
        if (stepRecord.outcome === 'failure' && !step['continue-on-error']) context.job.status = 'failure';
      }
      record.steps.push(stepRecord);
      if (step.id) {
        const conclusion =
          stepRecord.outcome === 'failure' && step['continue-on-error'] ? 'success' : stepRecord.outcome;
        context.steps[step.id] = { outputs: stepRecord.outputs, outcome: stepRecord.outcome, conclusion };
      }
      options.onStep?.(id, stepRecord);
    }
    for (const post of posts.reverse()) {
      const result = await runAction(post.name, { step: 'post', state: post.state, env: post.env, cwd: workspace });
      if (result.exitCode !== 0) context.job.status = 'failure';
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
  record.result = context.job.status === 'success' ? 'success' : 'failure';
  record.outputs = evaluateMap(job.outputs, context);
  return record;
}

/** The reviewers' decision for a job's environment; undefined when the environment requires none. */
function environmentReview(
  environment: string | undefined,
  options: WorkflowRunOptions,
): JobRecord['review'] | undefined {
  if (environment === undefined || !options.environments?.[environment]?.requiredReviewers.length) return undefined;
  return options.reviews?.[environment] ?? 'pending';
}

async function runStep(
  step: StepDefinition,
  name: string,
  env: Record<string, string>,
  context: ExpressionContext,
  workspace: string,
  inputDefaults: Record<string, string> = {},
): Promise<StepOutcome> {
  if (step.run !== undefined) return runScript(interpolate(step.run, context), env, workspace);
  const uses = step.uses!;
  const given = evaluateMap(step.with, context);
  const suite = suiteAction(uses);
  if (suite) return runSuiteAction(suite, name, { ...inputDefaults, ...given }, env, context, workspace);
  const github = context.github as { token: string; api_url: string; repository: string; sha: string };
  const result = await runThirdParty({
    uses,
    with: given,
    env,
    workspace,
    job: { token: github.token, apiUrl: github.api_url, repository: github.repository, sha: github.sha },
  });
  return {
    outcome: result.outcome,
    outputs: result.outputs,
    exported: result.exported ?? {},
    stdout: result.log.join('\n'),
  };
}

function runnerEnvironment(github: Record<string, unknown>, eventPath: string): Record<string, string> {
  return {
    GITHUB_SHA: String(github.sha),
    GITHUB_REF: String(github.ref),
    GITHUB_REF_NAME: String(github.ref_name),
    GITHUB_EVENT_NAME: String(github.event_name),
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: String(github.repository),
    GITHUB_REPOSITORY_OWNER: String(github.repository_owner),
    GITHUB_RUN_ID: String(github.run_id),
    GITHUB_RUN_NUMBER: String(github.run_number),
    GITHUB_RUN_ATTEMPT: String(github.run_attempt),
    GITHUB_HEAD_REF: String(github.head_ref),
    GITHUB_BASE_REF: String(github.base_ref),
    GITHUB_ACTOR: String(github.actor),
    GITHUB_WORKFLOW: String(github.workflow),
    GITHUB_JOB: String(github.job),
    GITHUB_API_URL: String(github.api_url),
    GITHUB_SERVER_URL: String(github.server_url),
  };
}

function evaluateMap(map: Record<string, unknown> | undefined, context: ExpressionContext): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(map ?? {})) {
    result[key] = interpolate(typeof value === 'string' ? value : String(value), context);
  }
  return result;
}

/**
 * Every `steps.<id>.outputs.<name>` must be an output the step declares (its action.yml, or the third-party
 * model), and every `needs.<job>.outputs.<name>` an output that job declares.
 */
function checkOutputReferences(workflow: Workflow): void {
  const problems: string[] = [];
  for (const [jobId, job] of Object.entries(workflow.jobs)) {
    const text = JSON.stringify(job);
    const declaredBySteps = new Map<string, Set<string> | undefined>();
    for (const step of job.steps) {
      if (!step.id) continue;
      if (!step.uses) declaredBySteps.set(step.id, undefined);
      else {
        const name = suiteAction(step.uses);
        const outputs = name
          ? Object.keys(readActionMetadata(name).outputs ?? {})
          : (modelled(step.uses)?.outputs ?? []);
        declaredBySteps.set(step.id, new Set(outputs));
      }
    }
    for (const match of text.matchAll(/steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
      const [, stepId, output] = match as unknown as [string, string, string];
      if (!declaredBySteps.has(stepId)) problems.push(`${jobId}: steps.${stepId} is not a step with an id`);
      else if (declaredBySteps.get(stepId) && !declaredBySteps.get(stepId)!.has(output)) {
        problems.push(`${jobId}: step "${stepId}" has no output "${output}"`);
      }
    }
    for (const match of text.matchAll(/needs\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
      const [, needed, output] = match as unknown as [string, string, string];
      const upstream = workflow.jobs[needed];
      if (!upstream || !needsOf(job).includes(needed)) problems.push(`${jobId}: needs.${needed} is not a job it needs`);
      else if (!(output in (upstream.outputs ?? {})))
        problems.push(`${jobId}: job "${needed}" has no output "${output}"`);
    }
  }
  if (problems.length > 0)
    throw new Error(`The workflow refers to outputs that do not exist:\n  ${problems.join('\n  ')}`);
}

export type { JobStatus };
