// A deploy of services under both controllers through the engine (as the release calls it, each CodeDeploy service
// with its own options), over real HTTP with the real AWS SDK clients against the sandbox's ECS and CodeDeploy. A
// CodeDeploy service's turn comes only after the ECS services succeeded, which a step with wait: false never learns:
// such a deploy is refused before anything changes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import { MemoryLogger } from '@ecs-ship/action-kit';
import { deployServices, type DeployOptions } from '@ecs-ship/ecs';
import { ManualClock, startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { repoRoot } from '@ecs-ship/testing';
import { sandboxClock } from '@ecs-ship/testing/clock';
import { parse } from 'yaml';
import { sdkConfig } from './helpers.js';

/** packages/sandbox/scenarios/codedeploy.yaml, plus a worker under the ECS controller. */
function world(): Record<string, any> {
  const scenario = parse(readFileSync(join(repoRoot, 'packages/sandbox/scenarios/codedeploy.yaml'), 'utf8'));
  scenario.ecs.services.push({ cluster: 'shop', serviceName: 'worker', taskDefinition: 'shop', desiredCount: 1 });
  return scenario;
}

const manual = new ManualClock(Date.UTC(2026, 10, 23, 12, 0, 0));
let sandbox: Sandbox;
let ecs: ECSClient;
let codedeploy: CodeDeployClient;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: world(), clock: manual, checkModels: true });
  ecs = new ECSClient(sdkConfig(sandbox));
  codedeploy = new CodeDeployClient(sdkConfig(sandbox));
});
afterAll(async () => {
  ecs.destroy();
  codedeploy.destroy();
  await sandbox.stop();
});
afterEach(() => expect(sandbox.takeViolations()).toEqual([]));

const options: DeployOptions = {
  cluster: 'shop',
  services: ['worker', 'web'],
  serviceCodeDeploy: new Map([['web', {}]]),
  images: new Map([['app', 'registry.example/shop:2']]),
  environment: new Map(),
  forceNewDeployment: false,
  circuitBreaker: 'rollback',
  alarms: [],
  wait: false,
  timeoutMs: 10 * 60_000,
  pollIntervalMs: 5_000,
  onTimeout: 'fail',
  waitForRollback: true,
  mode: 'deploy',
  rollbackTo: new Map(),
};

test('with wait: false a deploy that mixes the controllers is refused before anything changes', async () => {
  const logger = new MemoryLogger();
  const deploy = deployServices(options, {
    ecs,
    codedeploy: async () => codedeploy,
    logger,
    clock: sandboxClock(manual),
    signal: new AbortController().signal,
    progressIntervalMs: 30_000,
  });
  await expect(deploy).rejects.toThrow(
    'Service "web" is deployed by CodeDeploy after the other services succeed, which "wait: false" does not wait for: set wait to true, or deploy it in a step of its own.',
  );
  const changing = /^(Register|Update|Create|Delete|Continue|Stop)/;
  expect(sandbox.recorder.calls().filter((c) => changing.test(c.operation))).toEqual([]);
});
