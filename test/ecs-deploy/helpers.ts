// Shared set-up for the deploy action's tests: the sandbox with a scenario file, and a run of the real bundle.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Sandbox } from '@ecs-ship/sandbox';
import { runAction, startAction, type ActionRun, type RunningAction } from '@ecs-ship/testing';
import { awsCli as cli } from '@ecs-ship/testing/aws-cli';

const here = dirname(fileURLToPath(import.meta.url));

/** A scenario from test/ecs-deploy/scenarios, as an object the test may adjust before loading. */
export function scenario(name: string): Record<string, any> {
  return parse(readFileSync(join(here, 'scenarios', `${name}.yaml`), 'utf8')) as Record<string, any>;
}

/** Settings for the engine's AWS SDK clients against `sandbox` (scenarios in eu-west-1; a key no policy binds). */
export function sdkConfig(sandbox: Sandbox) {
  return {
    region: 'eu-west-1',
    endpoint: sandbox.url,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  };
}

/** The shop with an api service (on api:1, one task) whose only container is `container`, and a healthy api:2. */
export function withApiService(shop: Record<string, any>, container = 'app'): Record<string, any> {
  shop.ecs.images['registry.example/api:2'] = { behaviour: 'healthy', startDelay: 1, healthyAfter: 1 };
  shop.ecs.taskDefinitions.push({
    family: 'api',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [{ name: container, image: 'registry.example/api:1', essential: true }],
  });
  shop.ecs.services.push({ cluster: 'shop', serviceName: 'api', taskDefinition: 'api', desiredCount: 1 });
  return shop;
}

/** The inputs every deploy here starts from: polls five times a second. */
export const DEPLOY_DEFAULTS = { 'poll-interval-seconds': '0.2' };

export function deploy(sandbox: Sandbox, inputs: Record<string, string>, timeoutMs = 60_000): Promise<ActionRun> {
  return runAction('ecs-deploy-with-circuit-breaker', {
    inputs: { ...DEPLOY_DEFAULTS, ...inputs },
    env: sandbox.env(),
    timeoutMs,
  });
}

export function startDeploy(sandbox: Sandbox, inputs: Record<string, string>): RunningAction {
  return startAction('ecs-deploy-with-circuit-breaker', {
    inputs: { ...DEPLOY_DEFAULTS, ...inputs },
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

/** The AWS CLI (a client the project did not write) against the sandbox, its JSON answer parsed. */
export function awsCli(sandbox: Sandbox, ...args: string[]): Promise<any> {
  return cli(sandbox.url, 'eu-west-1').json(...args);
}

/** The changes that succeeded, by operation, in order (of one service's API when `service` is given). */
export function changesMade(sandbox: Sandbox, service?: string): string[] {
  return sandbox.recorder
    .mutatingCalls()
    .filter((call) => call.status < 300 && (!service || call.service === service))
    .map((call) => call.operation);
}
