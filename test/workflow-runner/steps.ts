/**
 * Running one step: this suite's actions through their real bundles (the contract harness), `run:` scripts with bash
 * as the hosted runner does (`bash --noprofile --norc -eo pipefail {0}`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readActionMetadata, runAction, type ActionRun } from '@ecs-ship/testing';
import { parseEnvironmentFile } from '@ecs-ship/testing/runner-protocol';
import { interpolate, type ExpressionContext } from './expressions.js';

/** How this suite's actions are referenced from a workflow: `ecs-ship/ecs-ship/actions/<name>@<ref>` or the root. */
export const SUITE_REPOSITORY = 'ecs-ship/ecs-ship';

/** Maps `uses:` to one of this suite's actions, or undefined for a third-party action. */
export function suiteAction(uses: string): string | undefined {
  const local = /^\.\/actions\/([a-z-]+)$/.exec(uses) ?? /^\.\/?$/.exec(uses);
  if (local) return local[1] ?? 'release';
  const remote = new RegExp(`^${SUITE_REPOSITORY}(?:/actions/([a-z-]+))?@.+$`).exec(uses);
  if (remote) return remote[1] ?? 'release';
  return undefined;
}

export interface StepOutcome {
  outcome: 'success' | 'failure';
  outputs: Record<string, string>;
  exported: Record<string, string>;
  stdout: string;
  action?: ActionRun;
  post?: { name: string; state: Record<string, string>; env: Record<string, string> };
}

/**
 * Runs one of this suite's actions. The runner, not the action, fills in the inputs a step leaves out from
 * action.yml's `default:` values, evaluating expressions such as `${{ github.token }}` in the job's context.
 */
export async function runSuiteAction(
  name: string,
  stepName: string,
  given: Record<string, string>,
  env: Record<string, string>,
  context: ExpressionContext,
  workspace: string,
): Promise<StepOutcome> {
  const metadata = readActionMetadata(name);
  const inputs: Record<string, string> = {};
  for (const [input, spec] of Object.entries(metadata.inputs ?? {})) {
    const value = given[input] ?? (spec.default === undefined ? undefined : interpolate(String(spec.default), context));
    if (spec.required && !value)
      throw new Error(`Step "${stepName}" does not give the required input "${input}" of ${name}`);
    if (value !== undefined) inputs[input] = value;
  }
  const action = await runAction(name, { inputs, cwd: workspace, env, timeoutMs: 120_000 });
  return {
    outcome: action.exitCode === 0 ? 'success' : 'failure',
    outputs: action.outputs,
    exported: action.exportedEnv,
    stdout: action.stdout,
    action,
    post: metadata.runs.post ? { name, state: action.state, env } : undefined,
  };
}

/**
 * Runs a `run:` step with bash, asynchronously: the sandbox serving the step's requests may live in this very process.
 */
export async function runScript(script: string, env: Record<string, string>, workspace: string): Promise<StepOutcome> {
  const temp = mkdtempSync(join(tmpdir(), 'run-step-'));
  const files = {
    GITHUB_OUTPUT: join(temp, 'output'),
    GITHUB_ENV: join(temp, 'env'),
    GITHUB_STEP_SUMMARY: join(temp, 'summary'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const path = join(temp, 'script.sh');
  writeFileSync(path, script);
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', path], {
    cwd: workspace,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, ...files },
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
  return { outcome: status === 0 ? 'success' : 'failure', outputs, exported, stdout: output };
}
