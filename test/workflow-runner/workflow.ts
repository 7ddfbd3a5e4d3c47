/**
 * What the local workflow runner reads and returns: a workflow file's jobs and steps, the options a test runs it with,
 * and the record of each job and step.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { ActionRun } from '@ecs-ship/testing';
import type { Permissions } from './permissions.js';

export type WorkflowEvent = 'push' | 'workflow_dispatch' | 'pull_request' | 'pull_request_target' | 'release';

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
  /** pull_request and pull_request_target: the activity type, `github.event.action` (default synchronize). */
  pullRequestAction?: 'opened' | 'synchronize' | 'reopened' | 'closed';
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

export function needsOf(job: JobDefinition): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}
