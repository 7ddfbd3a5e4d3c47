// Shared set-up for the deploy action's tests: the sandbox with a scenario file, and a run of the real bundle.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Sandbox } from '@ecs-ship/sandbox';
import { runAction, startAction, type ActionRun, type RunningAction } from '@ecs-ship/testing';

const here = dirname(fileURLToPath(import.meta.url));

/** A scenario from test/ecs-deploy/scenarios, as an object the test may adjust before loading. */
export function scenario(name: string): Record<string, any> {
  return parse(readFileSync(join(here, 'scenarios', `${name}.yaml`), 'utf8')) as Record<string, any>;
}

export function deploy(sandbox: Sandbox, inputs: Record<string, string>, timeoutMs = 60_000): Promise<ActionRun> {
  return runAction('ecs-deploy-with-circuit-breaker', {
    inputs: { 'poll-interval-seconds': '0.2', ...inputs },
    env: sandbox.env(),
    timeoutMs,
  });
}

export function startDeploy(sandbox: Sandbox, inputs: Record<string, string>): RunningAction {
  return startAction('ecs-deploy-with-circuit-breaker', {
    inputs: { 'poll-interval-seconds': '0.2', ...inputs },
    env: sandbox.env(),
    timeoutMs: 60_000,
  });
}

/** The sandbox's recorded calls of one ECS operation. */
export function calls(sandbox: Sandbox, operation: string) {
  return sandbox.recorder.calls().filter((call) => call.service === 'ecs' && call.operation === operation);
}

export function json(run: ActionRun, output: string): Record<string, string> {
  return JSON.parse(run.outputs[output] ?? '{}') as Record<string, string>;
}

/** For failures: what the step printed, to read in the test report. */
export function explain(run: ActionRun): string {
  return `exit ${run.exitCode}\n${run.stdout}\n${run.stderr}`;
}

/**
 * The AWS CLI (a client the project did not write) against the sandbox, its JSON answer parsed. The CLI on these
 * machines predates AWS_ENDPOINT_URL, so the endpoint goes in --endpoint-url.
 */
export function awsCli(sandbox: Sandbox, ...args: string[]): Promise<any> {
  const home = mkdtempSync(join(tmpdir(), 'awscli-'));
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const argv = [...args, '--endpoint-url', sandbox.url, '--region', 'eu-west-1', '--output', 'json'];
  return new Promise((resolve, reject) => {
    execFile('aws', argv, { env, timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`aws ${args.join(' ')}: ${stderr}`)) : resolve(JSON.parse(stdout)),
    );
  });
}
