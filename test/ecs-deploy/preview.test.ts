/**
 * Preview environments against the bundle and the sandbox: a service without its preview tag refused by name with
 * nothing changed, bad names and hosts refused by input before any call, and a failure and a cancellation part-way
 * that say what exists (a new run finishes the preview; `mode: delete` removes whatever was made). The AWS CLI reads
 * a whole create, deploy and delete in test/interop/preview-awscli.test.ts.
 */
import { jest } from '@jest/globals';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { changesMade, deploy, explain, scenario, startDeploy } from './helpers.js';

jest.setTimeout(90_000);

const HOST = 'shop-pr-7.preview.example.com';
const PREVIEW = { cluster: 'shop', services: 'shop-pr-7', 'create-from': 'shop-staging', 'preview-host': HOST };

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: scenario('preview') });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(scenario('preview')));

const operations = (service?: string) => changesMade(sandbox, service);

/** The listener rules that route a host. */
const hostRules = () => [...sandbox.state('elbv2').rules.values()].filter((rule) => rule.hostHeader);

test('mode: delete refuses a service without its preview tag by name, before anything changes', async () => {
  await deploy(sandbox, { ...PREVIEW, image: 'registry.example/web:2' });
  sandbox.recorder.clear();
  const run = await deploy(sandbox, { mode: 'delete', cluster: 'shop', services: 'shop-pr-7, shop-production' });
  expect(run.exitCode).toBe(1);
  expect(run.errors).toEqual([
    'mode: delete removes preview services only, and "shop-production" carries no ecs-ship:preview tag with its own name. Check "services". Nothing was changed.',
  ]);
  expect(sandbox.recorder.mutatingCalls()).toEqual([]);
  const ecs = sandbox.state('ecs');
  expect(['shop-production', 'shop-pr-7'].map((name) => ecs.service('eu-west-1', 'shop', name)!.status)).toEqual([
    'ACTIVE',
    'ACTIVE',
  ]);
});

test.each([
  [{ services: 'shop/pr-7' }, 'services', /"shop\/pr-7" is not a name a new ECS service can have.*shop-pr-42/],
  [{ services: 'shop-pr-7, shop-pr-8' }, 'services', /"create-from" creates one service, and 2 are listed/],
  [{ 'preview-host': `https://${HOST}` }, 'preview-host', /it starts with a scheme.*no https:\/\//],
  [{ 'preview-host': '*.preview.example.com' }, 'preview-host', /wildcard/],
  [{ 'create-from': '', 'preview-host': HOST }, 'preview-host', /it needs "create-from"/],
  [{ mode: 'plan' }, 'create-from', /only applies when "mode" is deploy/],
])('refused by input before any call: %j', async (inputs, input, message) => {
  const run = await deploy(sandbox, { ...PREVIEW, image: 'registry.example/web:2', ...inputs });
  expect(run.exitCode).toBe(1);
  expect(run.errors.join('\n')).toContain(`"${input}"`);
  expect(run.errors.join('\n')).toMatch(message);
  expect(sandbox.recorder.calls()).toEqual([]);
});

test('a failure part-way says what exists, and the next run finishes the preview with what it finds', async () => {
  sandbox.faults.inject({
    kind: 'error',
    service: 'ecs',
    operation: 'CreateService',
    status: 400,
    code: 'AccessDeniedException',
    message: 'not allowed',
    count: 1,
  });
  const failed = await deploy(sandbox, { ...PREVIEW, image: 'registry.example/web:2' });
  expect(failed.exitCode).toBe(1);
  expect(failed.outputs.result).toBe('failed');
  expect(failed.errors.join('\n')).toMatch(
    /Could not finish creating the service for the preview shop-pr-7 \(.*AccessDeniedException: not allowed\)\. It has now: target group shop-pr-7, listener rule for shop-pr-7\.preview\.example\.com \(priority 3\); run again/,
  );
  sandbox.recorder.clear();
  const again = await deploy(sandbox, { ...PREVIEW, image: 'registry.example/web:2' });
  expect([again.exitCode, again.outputs.result, again.exitCode === 0 ? '' : explain(again)]).toEqual([
    0,
    'succeeded',
    '',
  ]);
  // The target group is found (ELB answers an identical create with it), the rule is found: neither is duplicated.
  expect(operations('elbv2')).toEqual(['CreateTargetGroup']);
  expect(hostRules()).toHaveLength(1);
});

test('cancelled while creating the service: says what exists, and mode: delete removes all of it', async () => {
  sandbox.faults.inject({ kind: 'latency', service: 'ecs', operation: 'CreateService', ms: 3000, count: 1 });
  const running = startDeploy(sandbox, { ...PREVIEW, image: 'registry.example/web:2' });
  await sandbox.waitFor(() => sandbox.recorder.calls({ operation: 'CreateRule' }).length > 0, { timeoutMs: 30_000 });
  await new Promise((resolve) => setTimeout(resolve, 300));
  running.kill('SIGTERM');
  const run = await running.result;
  expect(run.exitCode).not.toBe(0);
  expect(run.outputs.result).toBe('cancelled');
  // Whether or not ECS made the service before the answer was cut off, the message says so, and names what exists.
  expect(run.errors.join('\n')).toMatch(
    /^The job was cancelled while creating the service for the preview shop-pr-7\. .*It has now: target group shop-pr-7, listener rule for shop-pr-7\.preview\.example\.com \(priority 3\)(, service shop-pr-7)?; run again to finish the preview, or delete it with "mode: delete"\.$/,
  );
  expect(sandbox.recorder.calls({ operation: 'UpdateService' })).toEqual([]);

  const removed = await deploy(sandbox, { mode: 'delete', cluster: 'shop', services: 'shop-pr-7' });
  expect([removed.exitCode, removed.outputs.result]).toEqual([0, 'deleted']);
  expect(hostRules()).toEqual([]);
  expect(sandbox.state('elbv2').targetGroup('eu-west-1', 'shop-pr-7')).toBeUndefined();
});

test('a service that exists without the preview tag is deployed as any service, with a warning saying so', async () => {
  const run = await deploy(sandbox, {
    cluster: 'shop',
    services: 'shop-production',
    'create-from': 'shop-staging',
    image: 'registry.example/web:2',
  });
  expect([run.exitCode, run.outputs.result]).toEqual([0, 'succeeded']);
  expect(run.warnings).toContainEqual(
    expect.stringMatching(
      /^shop-production carries no ecs-ship:preview=shop-production tag: create-from did not make it/,
    ),
  );
  expect(operations()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
});
