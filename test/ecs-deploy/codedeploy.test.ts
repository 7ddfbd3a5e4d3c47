// Services under the CODE_DEPLOY deployment controller: the action run as the runner runs it, against the sandbox's
// CodeDeploy, ECS and ELBv2 (packages/sandbox/scenarios/codedeploy.yaml: web with a canary configuration and
// auto-rollback, api with a ready wait; time runs 100 times faster), under the documented IAM policy, every exchange
// checked against botocore's models.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { repoRoot } from '@ecs-ship/testing';
import { deploy, explain, json, startDeploy } from './helpers.js';

function world(): Record<string, any> {
  return parse(readFileSync(join(repoRoot, 'packages/sandbox/scenarios/codedeploy.yaml'), 'utf8'));
}

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: world(), checkModels: true });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(world()));
afterEach(() => expect(sandbox.takeViolations()).toEqual([]));

const EVENTS = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
];

/** An AppSpec file with a validation hook after the test traffic moved (its TaskDefinition is a placeholder). */
function appSpecFile(): string {
  const folder = mkdtempSync(join(tmpdir(), 'appspec-'));
  const path = join(folder, 'appspec.yaml');
  writeFileSync(
    path,
    [
      'version: 0.0',
      'Resources:',
      '  - TargetService:',
      '      Type: AWS::ECS::Service',
      '      Properties:',
      '        TaskDefinition: <TASK_DEFINITION>',
      '        LoadBalancerInfo: { ContainerName: app, ContainerPort: 8080 }',
      'Hooks:',
      '  - AfterAllowTestTraffic: arn:aws:lambda:eu-west-1:123456789012:function:smoke',
      '',
    ].join('\n'),
  );
  return path;
}

function weights(rule: string): Record<string, number> {
  const found = [...sandbox.state('elbv2').rules.values()].find((r) => r.name === rule)!;
  return Object.fromEntries(found.forward!.map((t) => [t.targetGroupArn.split('/').at(-2)!, t.weight]));
}

/** The lifecycle events the step logged for `service` as they ended, in order. */
function eventsLogged(lines: string[], service: string, status = 'Succeeded'): string[] {
  return lines.flatMap((line) => {
    const match = new RegExp(`^${service}: ([A-Za-z]+): ${status}`).exec(line);
    return match ? [match[1]!] : [];
  });
}

function codedeployCalls(operation: string) {
  return sandbox.recorder.calls().filter((c) => c.service === 'codedeploy' && c.operation === operation);
}

test('a canary deployment succeeds, each lifecycle event reported once and in order', async () => {
  const run = await deploy(sandbox, { cluster: 'shop', services: 'web', image: 'registry.example/shop:2' });
  expect(run.exitCode).toBe(0);
  expect(eventsLogged(run.lines, 'web')).toEqual(EVENTS);
  expect(run.outputs.result).toBe('succeeded');
  const id = json(run, 'deployment-ids').web!;
  expect(id).toMatch(/^d-[A-Z0-9]{9}$/);
  expect(json(run, 'strategies')).toEqual({ web: 'CODE_DEPLOY' });
  expect(json(run, 'lifecycle-stages')).toEqual({ web: 'AfterAllowTraffic' });
  expect(json(run, 'task-definition-arns').web).toMatch(/:task-definition\/shop:2$/);
  // The deployment CodeDeploy ran: the default application and group, an AppSpec naming the registered revision.
  const create = codedeployCalls('CreateDeployment')[0]!.params as any;
  expect([create.applicationName, create.deploymentGroupName]).toEqual(['AppECS-shop-web', 'DgpECS-shop-web']);
  const spec = JSON.parse(create.revision.appSpecContent.content);
  expect(spec.Resources[0].TargetService.Properties).toEqual({
    TaskDefinition: json(run, 'task-definition-arns').web,
    LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 },
  });
  // No UpdateService changed the task definition: CodeDeploy moved the task sets and the traffic (10%, then all).
  expect(sandbox.recorder.calls().filter((c) => c.operation === 'UpdateService')).toEqual([]);
  expect(weights('web-production')).toEqual({ 'web-blue': 0, 'web-green': 100 });
  expect(run.lines).toContainEqual(expect.stringMatching(/^web: deployed shop:2 with CodeDeploy in /));
  expect(run.summary).toMatch(/AllowTestTraffic :/);
  expect(run.summary).toMatch(/AllowTraffic :/);
});

test('a failing AfterAllowTestTraffic hook fails the step within one poll, with the reason; the rollback is confirmed', async () => {
  // Every GetDeployment answer, noting whether the step had printed its error by then.
  const answers: { failed: boolean; errorPrinted: boolean }[] = [];
  const running = startDeploy(sandbox, {
    cluster: 'shop',
    services: 'web',
    image: 'registry.example/shop:broken',
    'codedeploy-appspec': appSpecFile(),
  });
  const stop = sandbox.observe((exchange) => {
    if (exchange.call.operation !== 'GetDeployment' || !exchange.answer) return;
    const info = JSON.parse(String(exchange.answer.body)).deploymentInfo;
    answers.push({
      failed: info?.creator === 'user' && info.status === 'Failed',
      errorPrinted: running.lines.some((line) => line.startsWith('::error title=web::')),
    });
  });
  const run = await running.result;
  stop();
  expect(run.exitCode).toBe(1);
  const first = answers.findIndex((a) => a.failed);
  expect(first).toBeGreaterThanOrEqual(0);
  // Reported from the answer that first showed the failure: the error is out before the step's next look.
  expect(answers.length).toBeGreaterThan(first + 1);
  expect(answers[first]!.errorPrinted).toBe(false);
  expect(answers.slice(first + 1).every((a) => a.errorPrinted)).toBe(true);
  expect(run.outputs.result).toBe('rolled-back');
  expect(run.outputs['failure-reason']).toMatch(
    /^web: CodeDeploy deployment d-[A-Z0-9]{9} failed at AfterAllowTestTraffic \(HOOK_EXECUTION_FAILURE\): .*smoke tests failed: GET \/health answered 500/,
  );
  expect(run.outputs['failure-reason']).toContain('put shop:1 back');
  expect(JSON.parse(run.outputs['service-states']!).web).toMatchObject({
    result: 'rolled-back',
    state: 'healthy',
    'rolled-back-by': 'codedeploy',
  });
  // The production traffic never left blue; the test traffic went back to it.
  expect(weights('web-production')).toEqual({ 'web-blue': 100, 'web-green': 0 });
  expect(weights('web-test')).toEqual({ 'web-blue': 100, 'web-green': 0 });
  expect(explain(run)).toContain('web: AfterAllowTestTraffic: Failed: smoke tests failed');
});

test('SIGTERM during the deployment stops it with auto-rollback before the step exits', async () => {
  const running = startDeploy(sandbox, { cluster: 'shop', services: 'web', image: 'registry.example/shop:2' });
  await running.waitForLine(/^web: AllowTestTraffic: Succeeded/, 30_000);
  running.kill('SIGTERM');
  const run = await running.result;
  expect(run.exitCode).not.toBe(0);
  const stops = codedeployCalls('StopDeployment');
  expect(stops.map((c) => c.params)).toEqual([
    { deploymentId: expect.stringMatching(/^d-/), autoRollbackEnabled: true },
  ]);
  expect(run.outputs.result).toBe('cancelled');
  expect(run.lines).toContainEqual(
    expect.stringMatching(/^Cancelled: web: CodeDeploy deployment d-\w+ stopped with auto-rollback/),
  );
  const deployments = sandbox.state('codedeploy').deployments;
  expect(deployments[0]!.status).toBe('Stopped');
  expect(deployments[1]!.creator).toBe('codeDeployRollback');
});

describe('a deployment group that waits for a go-ahead', () => {
  // The test listener (port 8443) as a load balancer routes it: by the weights CodeDeploy set on its rules.
  const VERSION_CHECK = '- name: version\n  url: health\n  expect: { status: 200, headers: { X-App-Version: "2" } }\n';
  const inputs = (image: string) => ({
    cluster: 'shop',
    services: 'api',
    image,
    'codedeploy-test-listener-url': `${sandbox.url}/listeners/shop/8443/api/`,
    'codedeploy-smoke-checks': VERSION_CHECK,
    'codedeploy-smoke-wait-seconds': '1',
  });

  test('passing smoke checks on the test listener continue the deployment', async () => {
    const run = await deploy(sandbox, inputs('registry.example/shop:2'));
    expect(run.exitCode).toBe(0);
    expect(codedeployCalls('ContinueDeployment').map((c) => c.params)).toEqual([
      { deploymentId: json(run, 'deployment-ids').api, deploymentWaitType: 'READY_WAIT' },
    ]);
    expect(codedeployCalls('StopDeployment')).toEqual([]);
    expect(weights('api-production')).toEqual({ 'api-blue': 0, 'api-green': 100 });
    expect(run.summary).toMatch(/smoke checks \(test traffic\) :/);
  });

  test('failing ones stop it with rollback before any production traffic moves', async () => {
    const run = await deploy(sandbox, inputs('registry.example/shop:broken'));
    expect(run.exitCode).toBe(1);
    expect(codedeployCalls('ContinueDeployment')).toEqual([]);
    expect(codedeployCalls('StopDeployment').map((c) => c.params)).toEqual([
      { deploymentId: json(run, 'deployment-ids').api, autoRollbackEnabled: true },
    ]);
    expect(run.outputs['failure-reason']).toMatch(
      /^api: smoke checks failed on the test listener: version \(.*response header X-App-Version is "broken", expected "2"\)/,
    );
    expect(run.outputs.result).toBe('rolled-back');
    const production = sandbox.state('elbv2').rule('eu-west-1', 'api-production')!.arn;
    expect(sandbox.state('elbv2').history.filter((c) => c.ruleArn === production)).toEqual([]);
    expect(weights('api-production')).toEqual({ 'api-blue': 100, 'api-green': 0 });
  });

  test('mode: rollback with rollback-to goes back by a new CodeDeploy deployment, given the go-ahead at once', async () => {
    const deployed = await deploy(sandbox, inputs('registry.example/shop:2'));
    expect(deployed.exitCode).toBe(0);
    const run = await deploy(sandbox, {
      cluster: 'shop',
      services: 'api',
      mode: 'rollback',
      'rollback-to': 'api=shop:1',
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe('succeeded');
    const creates = codedeployCalls('CreateDeployment').map((c) => (c.params as any).revision.appSpecContent.content);
    expect(JSON.parse(creates[1]).Resources[0].TargetService.Properties.TaskDefinition).toMatch(
      /:task-definition\/shop:1$/,
    );
    expect(codedeployCalls('ContinueDeployment')).toHaveLength(2);
    expect(run.lines).toContainEqual(
      expect.stringMatching(/^api: shop:1 is the revision being put back; ContinueDeployment/),
    );
    expect(weights('api-production')).toEqual({ 'api-blue': 100, 'api-green': 0 });
  });

  test('smoke checks for a group that does not wait are refused before anything changes', async () => {
    const run = await deploy(sandbox, {
      ...inputs('registry.example/shop:2'),
      services: 'web',
    });
    expect(run.exitCode).toBe(1);
    expect(run.visibleText).toContain(
      'Input "codedeploy-smoke-checks": deployment group "DgpECS-shop-web" does not wait',
    );
    expect(sandbox.recorder.mutatingCalls()).toEqual([]);
  });
});

test('an alarm stops the deployment during the canary: reported with ALARM_ACTIVE, the rollback confirmed', async () => {
  // web-5xx enters ALARM once shop:5xx has run 90 s (0.9 s here), inside the canary's 5 minutes (3 s here).
  const run = await deploy(sandbox, { cluster: 'shop', services: 'web', image: 'registry.example/shop:5xx' });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.result).toBe('rolled-back');
  expect(run.outputs['failure-reason']).toMatch(
    /^web: CodeDeploy deployment d-[A-Z0-9]{9} was stopped at AllowTraffic \(ALARM_ACTIVE\): .*Activated alarms: <web-5xx>/,
  );
  expect(run.outputs['failure-reason']).toContain('put shop:1 back');
  expect(weights('web-production')).toEqual({ 'web-blue': 100, 'web-green': 0 });
});

test('out of time: the step stops the deployment with rollback (on-timeout) and says so', async () => {
  // api waits for a go-ahead that never comes (no smoke checks): the step's 3 s run out first.
  const run = await deploy(sandbox, {
    cluster: 'shop',
    services: 'api',
    image: 'registry.example/shop:2',
    'timeout-minutes': '3s',
  });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.result).toBe('timed-out');
  expect(run.lines).toContainEqual(
    expect.stringMatching(/^api: CodeDeploy waits for a go-ahead \(ContinueDeployment\)/),
  );
  expect(codedeployCalls('StopDeployment').map((c) => c.params)).toEqual([
    { deploymentId: json(run, 'deployment-ids').api, autoRollbackEnabled: true },
  ]);
  expect(run.outputs['failure-reason']).toMatch(
    /^api: not finished after 3.0 s \(ready, test traffic on the replacement task set.*\); CodeDeploy deployment d-\w+ stopped with auto-rollback/,
  );
});

test('a plan says the service deploys through CodeDeploy, and changes nothing', async () => {
  const run = await deploy(sandbox, {
    cluster: 'shop',
    services: 'web',
    image: 'registry.example/shop:2',
    mode: 'plan',
  });
  expect(run.exitCode).toBe(0);
  expect(run.outputs.result).toBe('planned');
  expect(json(run, 'strategies')).toEqual({ web: 'CODE_DEPLOY' });
  expect(run.lines).toContainEqual(
    "CodeDeploy blue/green through AppECS-shop-web/DgpECS-shop-web: the new revision is installed beside shop:1 as a replacement task set, then the deployment group's configuration moves the test and production traffic to it.",
  );
  expect(run.lines.some((line) => line.includes('Circuit breaker'))).toBe(false);
  expect(sandbox.recorder.mutatingCalls()).toEqual([]);
});
