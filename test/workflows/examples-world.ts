/**
 * The world the example workflows run in for the tests: the repository variables an adopter creates (pointing at the
 * sandbox), the repository a checkout leaves, and the run options every example run starts from.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sandbox } from '@ecs-ship/sandbox';
import { repoRoot } from '@ecs-ship/testing';
import { DOCKER_DOUBLE_DIR } from '@ecs-ship/testing/docker-double';
import type { WorkflowRunOptions } from '../workflow-runner/runner.js';

export const GOOD = '8f2b6c41d3e5a7b9c0d2e4f6a8b0c1d3e5f7a9b2';
export const BAD = 'd4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3';
export const SCENARIO = join(repoRoot, 'test', 'workflows', 'scenario.yaml');
export const example = (name: string) => join(repoRoot, 'workflows-examples', name);

/** The repository variables an adopter creates (workflows-examples/README.md), pointing at the sandbox's world. */
export function variables(sandboxUrl: string): Record<string, string> {
  const app = (cluster: string) => `${sandboxUrl}/apps/${cluster}/${cluster}-web`;
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

/** A run's options as the README's checklist sets the repository up; `scratch` collects folders to remove. */
export function runOptions(
  sandbox: Sandbox,
  scratch: string[],
  overrides: Partial<WorkflowRunOptions>,
): WorkflowRunOptions {
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
    vars: variables(sandbox.url),
    // As the README's checklist sets them up; the reviewers approve unless a test says otherwise.
    environments: { production: { requiredReviewers: ['release-managers'] }, 'database-restore': DATA_OWNERS },
    reviews: { production: 'approved', 'database-restore': 'approved' },
    seedWorkspace,
    ...overrides,
  };
}

export const DATA_OWNERS = { requiredReviewers: ['data-owners'] };
