// Shared helpers for the run-migration-task tests: the scenarios, running the bundle against a sandbox, and reading
// the sandbox's recorder.
import { join } from 'node:path';
import type { RecordedCall, Sandbox } from '@ecs-ship/sandbox';
import { repoRoot, runAction, startAction, type ActionRun, type RunOptions } from '@ecs-ship/testing';

export const CLUSTER = 'shop-production';

export function scenario(name: 'migrations' | 'no-capacity'): string {
  return join(repoRoot, 'test', 'run-migration', 'scenarios', `${name}.yaml`);
}

/** Inputs of a typical migration run; tests override what they are about. */
export function migrationInputs(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    cluster: CLUSTER,
    'task-definition': 'shop-migrate',
    image: 'shop/migrate:ok',
    'launch-type': 'FARGATE',
    subnets: 'subnet-0123456789abcdef0',
    'security-groups': 'sg-0123456789abcdef0',
    'poll-interval-seconds': '0.2',
    'timeout-minutes': '2',
    ...overrides,
  };
}

export function migrate(
  sandbox: Sandbox,
  inputs: Record<string, string>,
  options: Omit<RunOptions, 'inputs'> = {},
): Promise<ActionRun> {
  return runAction('run-migration-task', {
    timeoutMs: 60_000,
    ...options,
    inputs,
    env: { ...sandbox.env(), ...options.env },
  });
}

export function startMigration(sandbox: Sandbox, inputs: Record<string, string>) {
  return startAction('run-migration-task', { timeoutMs: 60_000, inputs, env: sandbox.env() });
}

export function calls(sandbox: Sandbox, operation: string): RecordedCall[] {
  return sandbox.recorder.calls({ operation });
}

/** Operation names in call order, without the read-only polling noise. */
export function operations(sandbox: Sandbox): string[] {
  return sandbox.recorder
    .calls()
    .map((c) => c.operation)
    .filter((op, i, all) => op !== all[i - 1]);
}

/** A failed run's story, printed when an expectation about it fails. */
export function explain(run: ActionRun): string {
  return `exit ${run.exitCode}\n${run.stdout}\n${run.stderr}`;
}
