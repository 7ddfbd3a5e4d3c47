// Shared helpers for the rds-snapshot and rds-restore tests: the scenario, running a bundle against a sandbox, and
// reading RDS through the real SDK client, as a person checking the result would.
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, jest } from '@jest/globals';
import { DescribeDBInstancesCommand, RDSClient, type DBInstance } from '@aws-sdk/client-rds';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { repoRoot, runAction, type ActionRun } from '@ecs-ship/testing';

export const SCENARIO = join(repoRoot, 'test', 'rds', 'scenario.yaml');
export const REGION = 'eu-west-1';
export const PRE_MIGRATION = 'pre-migration-production-20261123-150405-4f6a0e1';

/** One sandbox for a test file, with the scenario loaded afresh before each test. */
export function rdsWorld(): { readonly sandbox: Sandbox } {
  // Each test runs bundles against the sandbox; allow for a busy machine.
  jest.setTimeout(90_000);
  const world = {} as { sandbox: Sandbox };
  beforeAll(async () => {
    world.sandbox = await startSandbox({ scenario: SCENARIO });
  });
  afterAll(() => world.sandbox.stop());
  beforeEach(() => world.sandbox.load(SCENARIO));
  return world;
}

export function runRds(
  sandbox: Sandbox,
  action: 'rds-snapshot' | 'rds-restore',
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<ActionRun> {
  return runAction(action, { timeoutMs: 60_000, inputs, env: { ...sandbox.env(), ...env } });
}

export function rdsClient(sandbox: Sandbox): RDSClient {
  const env = sandbox.env();
  return new RDSClient({
    region: REGION,
    endpoint: sandbox.url,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
  });
}

export async function instance(sandbox: Sandbox, id: string): Promise<DBInstance | undefined> {
  try {
    const { DBInstances } = await rdsClient(sandbox).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
    return DBInstances?.[0];
  } catch (error) {
    if ((error as Error).name === 'DBInstanceNotFoundFault') return undefined;
    throw error;
  }
}

/** What the RDS calls of a run were, by operation, without repeats of the same one in a row. */
export function operations(sandbox: Sandbox): string[] {
  return sandbox.recorder
    .calls({ service: 'rds' })
    .map((c) => c.operation)
    .filter((op, i, all) => op !== all[i - 1]);
}
