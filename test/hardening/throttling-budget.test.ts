/**
 * Throttling that lasts the whole run: the deploy action's AWS calls retry throttling until the step's deadline (not
 * for five attempts), no call is starved by another, and a storm that outlasts the deadline ends with an error that
 * names the operation and what had already changed, every output set.
 */
import { jest } from '@jest/globals';
import type { FaultInput, Sandbox } from '@ecs-ship/sandbox';
import { runAction, sandboxPerTest, type ActionRun } from '@ecs-ship/testing';
import { scenario } from '../ecs-deploy/helpers.js';
import { successes } from './fault-storms.js';

jest.setTimeout(120_000);

const sandboxes = sandboxPerTest();

const SERVICES = Array.from({ length: 12 }, (_, index) => `svc${index + 1}`);
const OUTPUTS = [
  'result',
  'failure-reason',
  'task-definition-arns',
  'previous-task-definition-arns',
  'deployment-ids',
  'changed',
];

/** The shop world with twelve services on the web task definition. */
async function twelveServices(): Promise<Sandbox> {
  const world = scenario('shop');
  world.ecs.services = SERVICES.map((serviceName) => ({
    cluster: 'shop',
    serviceName,
    taskDefinition: 'web',
    desiredCount: 1,
  }));
  return sandboxes.start(world);
}

function deploy(sandbox: Sandbox, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runAction('ecs-deploy-with-circuit-breaker', {
    inputs: {
      cluster: 'shop',
      services: SERVICES.join(','),
      image: 'registry.example/web:2',
      'poll-interval-seconds': '0.5',
      ...inputs,
    },
    env: sandbox.env(),
    timeoutMs: 110_000,
  });
}

function explain(run: ActionRun): string {
  return `exit ${run.exitCode}\n${run.stdout}\n${run.stderr}`;
}

function throttled(sandbox: Sandbox): number {
  return sandbox.recorder.calls().filter((call) => call.errorCode === 'ThrottlingException').length;
}

describe.each<[string, FaultInput]>([
  ['every second ECS call throttled', { kind: 'throttle', service: 'ecs', every: 2 }],
  ['half the ECS calls throttled at random', { kind: 'throttle', service: 'ecs', probability: 0.5, seed: 7 }],
])('%s for the whole run', (_, fault) => {
  test.concurrent('a 12-service deploy succeeds with one registration and one update per service', async () => {
    const sandbox = await twelveServices();
    sandbox.faults.inject(fault);
    const run = await deploy(sandbox);
    if (run.exitCode !== 0) throw new Error(`The deploy failed under the storm:\n${explain(run)}`);
    expect(run.outputs.result).toBe('succeeded');
    // More throttled answers than the SDK's five attempts per call could ever have ridden out.
    expect(throttled(sandbox)).toBeGreaterThan(SERVICES.length);
    expect(successes(sandbox, 'ecs', 'RegisterTaskDefinition')).toBe(SERVICES.length);
    expect(successes(sandbox, 'ecs', 'UpdateService')).toBe(SERVICES.length);
    expect(Object.keys(JSON.parse(run.outputs['task-definition-arns']!) as object).sort()).toEqual(
      [...SERVICES].sort(),
    );
  });
});

test('a storm that outlasts the deadline ends naming the operation and what had changed, every output set', async () => {
  const sandbox = await twelveServices();
  // Registrations get through; every UpdateService is throttled for as long as the run lasts.
  sandbox.faults.inject({ kind: 'throttle', service: 'ecs', operation: 'UpdateService', every: 1 });
  const started = Date.now();
  const run = await deploy(sandbox, { 'timeout-minutes': '5s' });
  const took = Date.now() - started;
  expect(run.exitCode).toBe(1);
  for (const output of OUTPUTS) expect(run.outputs).toHaveProperty([output]);
  expect(run.outputs.result).toBe('failed');
  expect(run.outputs.changed).toBe('false');
  const reason = run.outputs['failure-reason']!;
  expect(reason).toMatch(/UpdateService/);
  expect(reason).toMatch(/Throttl|Rate exceeded/i);
  // What had changed: the revision registered for the first service, named.
  expect(reason).toMatch(/registered.*web:2/);
  expect(run.errors.join('\n')).not.toMatch(/Unexpected error/);
  expect(run.errors.join('\n')).toMatch(/UpdateService/);
  // The throttled call kept trying (well beyond five attempts) until the deadline, and then stopped.
  expect(sandbox.recorder.calls({ service: 'ecs', operation: 'UpdateService' }).length).toBeGreaterThan(5);
  expect(successes(sandbox, 'ecs', 'UpdateService')).toBe(0);
  expect(took).toBeLessThan(5000 + 10_000);
});
