/**
 * A small local workflow runner for the example workflows. It runs a workflow's jobs in `needs` order, evaluates
 * `${{ }}` with GitHub's expression library, honours `if:`, job and step outputs and `env`, runs this suite's actions
 * through their real bundles (the contract harness), treats third-party actions as declared no-ops with declared
 * outputs, and runs `run:` steps with bash as the hosted runner does (`bash --noprofile --norc -eo pipefail`).
 * It is stricter than GitHub where a mistake would otherwise slip through: an undeclared input, a missing required
 * input, or a reference to an output that the step or job does not declare fails the run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readActionMetadata, runAction, type ActionRun } from '@ecs-ship/testing';
import { parseEnvironmentFile } from '@ecs-ship/testing';
import { condition, interpolate, type ExpressionContext, type JobStatus } from './expressions.js';

/** How this suite's actions are referenced from a workflow: `<owner>/ecs-ship/actions/<name>@<ref>` or the root. */
export const SUITE_REPOSITORY = 'ecs-ship/ecs-ship';

export interface ThirdPartyAction {
  /** Outputs the no-op declares, by name. */
  outputs?: Record<string, string>;
  /** Inputs the real action requires: a missing one fails the run. */
  requiredInputs?: string[];
}

export interface WorkflowRunOptions {
  event: 'push' | 'workflow_dispatch' | 'pull_request';
  inputs?: Record<string, string>;
  sha?: string;
  ref?: string;
  /** Environment every step gets (the sandbox's variables, for example). */
  env?: Record<string, string>;
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  thirdParty: Record<string, ThirdPartyAction>;
  /** Values that replace the workflow's own top-level `env:` entries (what an adopter edits). */
  envOverrides?: Record<string, string>;
  /** Fills each job's workspace, as actions/checkout would (the checkout step itself is a no-op). */
  seedWorkspace?: (directory: string) => void;
  /** Per step, whatever a test needs to see. */
  onStep?: (job: string, step: StepRecord) => void;
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
  result: 'success' | 'failure' | 'skipped';
  outputs: Record<string, string>;
  steps: StepRecord[];
  environment?: string;
}

export interface WorkflowRun {
  jobs: Record<string, JobRecord>;
  /** Jobs in the order they ran. */
  order: string[];
}

interface StepDefinition {
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

interface JobDefinition {
  name?: string;
  needs?: string | string[];
  if?: string | boolean;
  environment?: string | { name: string; url?: string };
  env?: Record<string, unknown>;
  outputs?: Record<string, string>;
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

export async function runWorkflow(path: string, options: WorkflowRunOptions): Promise<WorkflowRun> {
  const workflow = readWorkflow(path);
  checkOutputReferences(workflow, options);
  const sha = options.sha ?? '4f6a0e1c9b2d8a7f3e5c1b0d9a8f7e6d5c4b3a21';
  const github = {
    event_name: options.event,
    event: options.event === 'workflow_dispatch' ? { inputs: options.inputs ?? {} } : {},
    sha,
    ref: options.ref ?? 'refs/heads/main',
    ref_name: (options.ref ?? 'refs/heads/main').replace(/^refs\/heads\//, ''),
    repository: 'acme/shop',
    repository_owner: 'acme',
    run_id: '7001234567',
    run_number: '42',
    run_attempt: '1',
    actor: 'octocat',
    server_url: 'https://github.com',
    api_url: options.env?.GITHUB_API_URL ?? 'https://api.github.com',
    workflow: workflow.name ?? path,
    token: options.env?.GITHUB_TOKEN ?? 'ghs_workflow_token',
  };
  const run: WorkflowRun = { jobs: {}, order: [] };
  const pending = new Set(Object.keys(workflow.jobs));
  while (pending.size > 0) {
    const ready = [...pending].find((id) => needsOf(workflow.jobs[id]!).every((need) => run.jobs[need]));
    if (!ready) throw new Error(`Jobs ${[...pending].join(', ')} wait on each other or on unknown jobs`);
    pending.delete(ready);
    run.order.push(ready);
    run.jobs[ready] = await runJob(ready, workflow, github, run, options);
  }
  return run;
}

function needsOf(job: JobDefinition): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

async function runJob(
  id: string,
  workflow: Workflow,
  github: Record<string, unknown>,
  run: WorkflowRun,
  options: WorkflowRunOptions,
): Promise<JobRecord> {
  const job = workflow.jobs[id]!;
  const needs = Object.fromEntries(
    needsOf(job).map((need) => [need, { result: run.jobs[need]!.result, outputs: run.jobs[need]!.outputs }]),
  );
  const upstreamFailed = Object.values(needs).some((need) => need.result !== 'success');
  const context: ExpressionContext = {
    github,
    env: {},
    vars: options.vars ?? {},
    secrets: options.secrets ?? {},
    inputs: options.inputs ?? {},
    needs,
    steps: {},
    job: { status: upstreamFailed ? 'failure' : 'success' },
    runner: { os: 'Linux', arch: 'X64', temp: tmpdir() },
    matrix: {},
    strategy: {},
  };
  context.env = { ...evaluateMap(workflow.env, context), ...options.envOverrides };
  context.env = { ...context.env, ...evaluateMap(job.env, context) };
  if (!condition(job.if, context)) return { result: 'skipped', outputs: {}, steps: [] };
  context.job.status = 'success';

  const environment = typeof job.environment === 'string' ? job.environment : job.environment?.name;
  const record: JobRecord = { result: 'success', outputs: {}, steps: [], environment };
  const workspace = mkdtempSync(join(tmpdir(), `workflow-${id}-`));
  options.seedWorkspace?.(workspace);
  const posts: { name: string; state: Record<string, string>; env: Record<string, string> }[] = [];
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
        const stepEnv = {
          ...options.env,
          ...context.env,
          ...exported,
          ...evaluateMap(step.env, { ...context, env: { ...context.env, ...exported } }),
        };
        const result = step.uses
          ? await runUses(step, stepEnv, context, github, workspace, options)
          : await runScript(step, stepEnv, context, github, workspace);
        Object.assign(stepRecord, result.record);
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

interface StepResult {
  record: Partial<StepRecord>;
  exported: Record<string, string>;
  post?: { name: string; state: Record<string, string>; env: Record<string, string> };
}

/** Maps `uses:` to one of this suite's actions, or undefined for a third-party action. */
export function suiteAction(uses: string): string | undefined {
  const local = /^\.\/actions\/([a-z-]+)$/.exec(uses) ?? /^\.\/?$/.exec(uses);
  if (local) return local[1] ?? 'release';
  const remote = new RegExp(`^${SUITE_REPOSITORY}(?:/actions/([a-z-]+))?@.+$`).exec(uses);
  if (remote) return remote[1] ?? 'release';
  return undefined;
}

async function runUses(
  step: StepDefinition,
  env: Record<string, string>,
  context: ExpressionContext,
  github: Record<string, unknown>,
  workspace: string,
  options: WorkflowRunOptions,
): Promise<StepResult> {
  const uses = step.uses!;
  const withValues = evaluateMap(step.with, { ...context, env });
  const name = suiteAction(uses);
  if (name === undefined) {
    const key = uses.replace(/@.*$/, '');
    const declared = options.thirdParty[key];
    if (!declared) throw new Error(`Third-party action ${uses} is not declared to the workflow runner`);
    if (!/@[0-9a-f]{40}$/.test(uses)) throw new Error(`Third-party action ${uses} is not pinned to a full commit SHA`);
    for (const input of declared.requiredInputs ?? []) {
      if (!withValues[input]) throw new Error(`${uses} needs the input "${input}"`);
    }
    return { record: { outcome: 'success', outputs: { ...declared.outputs } }, exported: {} };
  }
  const metadata = readActionMetadata(name);
  for (const [input, spec] of Object.entries(metadata.inputs ?? {})) {
    if (spec.required && spec.default === undefined && !withValues[input]) {
      throw new Error(`Step "${step.name ?? step.id ?? uses}" does not give the required input "${input}" of ${name}`);
    }
  }
  const action = await runAction(name, {
    inputs: withValues,
    cwd: workspace,
    env: { ...env, ...runnerEnvironment(github) },
    timeoutMs: 120_000,
  });
  const post = metadata.runs.post
    ? { name, state: action.state, env: { ...env, ...runnerEnvironment(github) } }
    : undefined;
  return {
    record: {
      outcome: action.exitCode === 0 ? 'success' : 'failure',
      outputs: action.outputs,
      action,
      stdout: action.stdout,
    },
    exported: action.exportedEnv,
    post,
  };
}

/**
 * Runs a `run:` step with bash, asynchronously: the sandbox serving the step's requests may live in this very process.
 */
async function runScript(
  step: StepDefinition,
  env: Record<string, string>,
  context: ExpressionContext,
  github: Record<string, unknown>,
  workspace: string,
): Promise<StepResult> {
  const temp = mkdtempSync(join(tmpdir(), 'run-step-'));
  const files = {
    GITHUB_OUTPUT: join(temp, 'output'),
    GITHUB_ENV: join(temp, 'env'),
    GITHUB_STEP_SUMMARY: join(temp, 'summary'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const script = join(temp, 'script.sh');
  writeFileSync(script, interpolate(step.run!, { ...context, env }));
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    cwd: workspace,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, ...runnerEnvironment(github), ...files },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  clearTimeout(timer);
  const outputs = parseEnvironmentFile(readFileSync(files.GITHUB_OUTPUT, 'utf8'));
  const exported = parseEnvironmentFile(readFileSync(files.GITHUB_ENV, 'utf8'));
  rmSync(temp, { recursive: true, force: true });
  return { record: { outcome: status === 0 ? 'success' : 'failure', outputs, stdout: output }, exported };
}

function runnerEnvironment(github: Record<string, unknown>): Record<string, string> {
  return {
    GITHUB_SHA: String(github.sha),
    GITHUB_REF: String(github.ref),
    GITHUB_REF_NAME: String(github.ref_name),
    GITHUB_EVENT_NAME: String(github.event_name),
    GITHUB_REPOSITORY: String(github.repository),
    GITHUB_RUN_ID: String(github.run_id),
    GITHUB_ACTOR: String(github.actor),
    GITHUB_WORKFLOW: String(github.workflow),
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
 * declaration), and every `needs.<job>.outputs.<name>` an output that job declares.
 */
function checkOutputReferences(workflow: Workflow, options: WorkflowRunOptions): void {
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
          : Object.keys(options.thirdParty[step.uses.replace(/@.*$/, '')]?.outputs ?? {});
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
