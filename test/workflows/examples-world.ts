/**
 * The world the example workflows run in for their tests (examples-*.test.ts): a sandbox loaded with
 * test/workflows/scenario.yaml, the repository variables an adopter creates, pointing at it, a workspace as
 * actions/checkout would leave it, and how each example is started. Each test file that uses it gets its own sandbox,
 * so the files run side by side.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { repoRoot } from '@ecs-ship/testing';
import { DOCKER_DOUBLE_DIR } from '@ecs-ship/testing/docker-double';
import { runWorkflow, type JobRecord, type WorkflowRun, type WorkflowRunOptions } from '../workflow-runner/runner.js';

export const GOOD = '8f2b6c41d3e5a7b9c0d2e4f6a8b0c1d3e5f7a9b2';
export const BAD = 'd4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3';
const SCENARIO = join(repoRoot, 'test', 'workflows', 'scenario.yaml');
export const example = (name: string) => join(repoRoot, 'workflows-examples', name);

/**
 * The scenario runs fifty times faster than real time (its timeScale), so the steps poll it every quarter second
 * instead of the actions' 5-second defaults; everything else runs as the workflow files say.
 */
const INPUT_DEFAULTS = { 'poll-interval-seconds': '250ms' };

export let sandbox: Sandbox;
const scratch: string[] = [];

/** Starts this file's sandbox before its tests and reloads the scenario before each. */
export function useExamplesSandbox(): void {
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: SCENARIO });
  });
  afterAll(async () => {
    for (const folder of scratch) rmSync(folder, { recursive: true, force: true });
    await sandbox?.stop();
  });
  beforeEach(() => reloadScenario());
}

/** The world as the scenario declares it, before any run. */
export function reloadScenario(): void {
  sandbox.load(SCENARIO);
}

/** The repository variables an adopter creates (workflows-examples/README.md), pointing at the sandbox's world. */
export function variables(): Record<string, string> {
  const app = (cluster: string) => `${sandbox.url}/apps/${cluster}/${cluster}-web`;
  return {
    AWS_REGION: 'us-east-1',
    ECR_REPOSITORY: 'shop',
    CONTAINER_NAME: 'app',
    STAGING_AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/shop-staging-deploy',
    STAGING_ECS_CLUSTER: 'shop-staging',
    STAGING_ECS_SERVICES: 'shop-staging-web, shop-staging-worker',
    STAGING_MIGRATION_TASK_DEFINITION: 'shop-staging-migrate',
    STAGING_SUBNETS: 'subnet-0a1b2c3d4e5f60718, subnet-0f1e2d3c4b5a69788',
    STAGING_SECURITY_GROUPS: 'sg-0a1b2c3d4e5f60718',
    STAGING_URL: app('shop-staging'),
    STAGING_TASK_DEFINITIONS: 'shop-staging-web=.aws/web.json\nshop-staging-worker=.aws/worker.json',
    PLAN_AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/shop-plan-readonly',
    PRODUCTION_AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/shop-production-deploy',
    PRODUCTION_ECS_CLUSTER: 'shop-production',
    PRODUCTION_ECS_SERVICES: 'shop-production-web, shop-production-worker',
    PRODUCTION_MIGRATION_TASK_DEFINITION: 'shop-production-migrate',
    PRODUCTION_SUBNETS: 'subnet-0b1c2d3e4f5a60718, subnet-0e1f2a3b4c5d69788',
    PRODUCTION_SECURITY_GROUPS: 'sg-0b1c2d3e4f5a60718',
    PRODUCTION_DB_INSTANCE: 'shop-production',
    PRODUCTION_URL: app('shop-production'),
    DATABASE_RESTORE_AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/shop-database-restore',
    SLACK_MENTION_ON_FAILURE: 'S0123ONCALL',
    PREVIEW_AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/shop-preview',
    PREVIEW_TEMPLATE_SERVICE: 'shop-staging-web',
    PREVIEW_PREFIX: 'shop',
    PREVIEW_DOMAIN: 'preview.shop.test',
  };
}

/** A task-definition template per service, as a repository keeps them. */
export function template(family: string, cpu: string) {
  return {
    family,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu,
    memory: '1024',
    containerDefinitions: [
      { name: 'app', image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:${GOOD}`, essential: true },
    ],
  };
}

/** A repository whose tests pass, as actions/checkout would leave it. */
export function seedWorkspace(directory: string): void {
  const manifest = { name: 'shop', version: '1.0.0', private: true, scripts: { test: 'node -e "console.log(1)"' } };
  writeFileSync(join(directory, 'package.json'), JSON.stringify(manifest));
  writeFileSync(
    join(directory, 'package-lock.json'),
    JSON.stringify({ name: 'shop', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': manifest } }),
  );
  mkdirSync(join(directory, '.aws'));
  writeFileSync(join(directory, '.aws', 'web.json'), JSON.stringify(template('shop-staging-web', '512')));
  writeFileSync(join(directory, '.aws', 'worker.json'), JSON.stringify(template('shop-staging-worker', '256')));
}

export function options(overrides: Partial<WorkflowRunOptions>): WorkflowRunOptions {
  const env = sandbox.env();
  // Each run gets its own Docker state (logins, the current builder, binfmt), as each job gets its own runner.
  const dockerConfig = mkdtempSync(join(tmpdir(), 'docker-config-'));
  scratch.push(dockerConfig);
  return {
    event: 'push',
    env: {
      ...env,
      // The docker stand-in: build-push-ecr reuses the image CI pushed, and never needs a Docker engine here.
      PATH: `${DOCKER_DOUBLE_DIR}:${process.env.PATH}`,
      DOCKER_CONFIG: dockerConfig,
    },
    secrets: { SLACK_WEBHOOK_URL: env.SLACK_WEBHOOK_URL! },
    vars: variables(),
    // As the README's checklist sets them up; the reviewers approve unless a test says otherwise.
    environments: { production: { requiredReviewers: ['release-managers'] }, 'database-restore': DATA_OWNERS },
    reviews: { production: 'approved', 'database-restore': 'approved' },
    seedWorkspace,
    inputDefaults: INPUT_DEFAULTS,
    ...overrides,
  };
}

const DATA_OWNERS = { requiredReviewers: ['data-owners'] };
export const RESTORE = {
  environment: 'staging',
  sha: GOOD,
  confirm: 'rollback',
  'restore-database': 'true',
  'restore-confirm': 'shop-staging-restored',
};

/** How each example is started in these tests (its successful run). */
export const STARTS: Record<string, Partial<WorkflowRunOptions>> = {
  'deploy-staging.yml': { event: 'push', sha: GOOD },
  'deploy-production.yml': { event: 'workflow_dispatch', inputs: { sha: GOOD, confirm: 'deploy' } },
  'pr-checks.yml': { event: 'pull_request', sha: GOOD },
  'rollback.yml': { event: 'workflow_dispatch', inputs: RESTORE },
  'preview.yml': { event: 'pull_request', sha: GOOD, pullRequestAction: 'opened' },
};

/** The production run of a commit whose tasks fail their health checks. */
export const FAILED_PRODUCTION: Partial<WorkflowRunOptions> = {
  event: 'workflow_dispatch',
  inputs: { sha: BAD, confirm: 'deploy' },
};

export function revision(cluster: string, service: string): string {
  return sandbox.state('ecs').service('us-east-1', cluster, service)!.taskDefinitionArn.replace(/^.*\//, '');
}

/** Calls that succeeded, without the ones the runner makes itself (job tokens, checkouts). */
export function operations(): string[] {
  return sandbox.recorder
    .calls()
    .filter((call) => call.status < 300)
    .map((call) => call.operation)
    .filter((operation) => !['apps.createInstallationAccessToken', 'repos.getCommit'].includes(operation));
}

export function step(run: WorkflowRun, job: string, id: string) {
  return run.jobs[job]!.steps.find((s) => s.id === id)!;
}

export function results(run: WorkflowRun): Record<string, string> {
  return Object.fromEntries(run.order.map((job) => [job, run.jobs[job]!.result]));
}

export function slackTexts(): string[] {
  const slack = sandbox.state('slack');
  return slack.delivered().map((message) => String(message.text ?? ''));
}

/** The RDS restores that reached the sandbox (refused or not). */
export function restores() {
  return sandbox.recorder.calls().filter((call) => call.operation === 'RestoreDBInstanceFromDBSnapshot');
}

/** The jobs of this file's whole runs of an example, by how each run was started. */
const wholeRuns = new Map<string, Promise<Record<string, JobRecord>>>();
const startKey = (file: string, start: Partial<WorkflowRunOptions>) => `${file} ${JSON.stringify(start)}`;

/**
 * Runs an example as `start` begins it and keeps its jobs, so that a later test of the file that needs them (the
 * jobs a late job depends on, in examples-permissions.ts) takes them from this run instead of making it again.
 */
export async function runExample(file: string, start: Partial<WorkflowRunOptions>): Promise<WorkflowRun> {
  const run = await runWorkflow(example(file), options(start));
  if (!wholeRuns.has(startKey(file, start))) wholeRuns.set(startKey(file, start), Promise.resolve(run.jobs));
  return run;
}

/**
 * The jobs of a whole run of an example as `start` begins it: the run a test of this file already made, or else a
 * new one, after which the world is reloaded as the scenario declares it.
 */
export function wholeRunJobs(file: string, start: Partial<WorkflowRunOptions>): Promise<Record<string, JobRecord>> {
  const key = startKey(file, start);
  if (!wholeRuns.has(key)) {
    wholeRuns.set(
      key,
      runWorkflow(example(file), options(start)).then((run) => {
        reloadScenario();
        return run.jobs;
      }),
    );
  }
  return wholeRuns.get(key)!;
}
