// Blue/green, linear and canary deployments, watched stage by stage: the action run as the runner runs it, against
// the sandbox's ECS and ELBv2 (packages/sandbox/scenarios/traffic-shifting.yaml: web BLUE_GREEN with a smoke-test
// hook and an alarm, api LINEAR in three 34% steps, cart CANARY 10% first; time runs 100 times faster). Every
// exchange is checked against botocore's ECS and ELBv2 models.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { repoRoot } from '@ecs-ship/testing';
import { actUnder, documentedPolicy, withoutAction } from '@ecs-ship/testing/iam';
import { calls, deploy, json, startDeploy } from './helpers.js';

const STAGES = [
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
];

/** The scenario; `stageSeconds` long enough (0.3 s here) for every stage to be seen by a 0.2 s poll. */
function world(stageSeconds = 30): Record<string, any> {
  const scenario = parse(readFileSync(join(repoRoot, 'packages/sandbox/scenarios/traffic-shifting.yaml'), 'utf8'));
  scenario.ecs.stageSeconds = stageSeconds;
  return scenario;
}

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: world(), checkModels: true });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(world()));
afterEach(() => expect(sandbox.takeViolations()).toEqual([]));

/** The stages the step logged for `service`, in order. */
function stagesLogged(lines: string[], service: string): string[] {
  return lines.flatMap((line) => {
    const match = new RegExp(`^${service}: stage ([A-Z_]+)`).exec(line);
    return match ? [match[1]!] : [];
  });
}

/** The production traffic steps the step logged for `service` (green's share, percent). */
function productionShares(lines: string[], service: string): number[] {
  return lines.flatMap((line) => {
    const step =
      line.startsWith(`${service}: stage PRODUCTION_TRAFFIC_SHIFT:`) || line.startsWith(`${service}: production`);
    const match = /production traffic (\d+(?:\.\d+)?)% to/.exec(line);
    return step && match ? [Number(match[1])] : [];
  });
}

function rule(name: string) {
  return [...sandbox.state('elbv2').rules.values()].find((r) => r.name === name)!;
}

/** A listener rule's weights by target group name, as the sandbox's load balancer holds them. */
function weights(name: string): Record<string, number> {
  return Object.fromEntries(rule(name).forward!.map((t) => [t.targetGroupArn.split('/').at(-2)!, t.weight]));
}

/** The weights a target group got in a rule, change after change. */
function weightHistory(name: string, targetGroup: string): number[] {
  const arn = rule(name).arn;
  return sandbox
    .state('elbv2')
    .history.filter((change) => change.ruleArn === arn)
    .map((change) => Object.entries(change.weights).find(([group]) => group.includes(`/${targetGroup}/`))![1]);
}

describe('a deployment that succeeds reports every stage once and in order', () => {
  test('blue/green: all production traffic at once, the hook followed, a bar per stage', async () => {
    const run = await deploy(sandbox, { cluster: 'shop', services: 'web', image: 'registry.example/shop:2' });
    expect(run.exitCode).toBe(0);
    expect(stagesLogged(run.lines, 'web')).toEqual(STAGES);
    expect(productionShares(run.lines, 'web')).toEqual([100]);
    expect(run.lines).toContainEqual('web: lifecycle hook smoke-tests at POST_TEST_TRAFFIC_SHIFT: IN_PROGRESS');
    expect(run.lines).toContainEqual(
      'web: lifecycle hook smoke-tests at POST_TEST_TRAFFIC_SHIFT: done, the deployment went on',
    );
    expect(run.outputs.result).toBe('succeeded');
    expect(json(run, 'strategies')).toEqual({ web: 'BLUE_GREEN' });
    expect(json(run, 'lifecycle-stages')).toEqual({ web: 'CLEAN_UP' });
    expect(run.summary).toMatch(/scale up :p0_\d+.*\n.*test traffic :p0_\d+.*\n.*production 100% :p0_\d+/);
    expect(run.summary).toMatch(/bake :p0_\d+.*\n.*clean up :p0_\d+/);
    expect(weights('web-production')).toEqual({ 'web-blue': 0, 'web-green': 100 });
    // The service kept its strategy: the update sends it back as it was.
    const update = calls(sandbox, 'UpdateService')[0]!.params as any;
    expect(update.deploymentConfiguration.strategy).toBe('BLUE_GREEN');
  });

  test('linear: three production steps of 34%, each logged once', async () => {
    const run = await deploy(sandbox, { cluster: 'shop', services: 'api', image: 'registry.example/shop:2' });
    expect(run.exitCode).toBe(0);
    expect(stagesLogged(run.lines, 'api')).toEqual(STAGES);
    expect(productionShares(run.lines, 'api')).toEqual([34, 68, 100]);
    expect(run.summary).toMatch(/production 34% :.*\n.*production 68% :.*\n.*production 100% :/);
    expect(json(run, 'strategies')).toEqual({ api: 'LINEAR' });
    expect(weights('api-production')).toEqual({ 'api-blue': 0, 'api-green': 100 });
    // The sandbox's load balancer moved the weights in the same three steps.
    expect(weightHistory('api-production', 'api-green')).toEqual([34, 68, 100]);
  });

  test('canary: 10%, then the rest', async () => {
    const run = await deploy(sandbox, { cluster: 'shop', services: 'cart', image: 'registry.example/shop:2' });
    expect(run.exitCode).toBe(0);
    expect(stagesLogged(run.lines, 'cart')).toEqual(STAGES);
    expect(productionShares(run.lines, 'cart')).toEqual([10, 100]);
    expect(run.lines).toContainEqual(
      expect.stringMatching(
        /^cart: stage PRODUCTION_TRAFFIC_SHIFT: .*production traffic 10% to shop:2, 90% on shop:1$/,
      ),
    );
    expect(json(run, 'lifecycle-stages')).toEqual({ cart: 'CLEAN_UP' });
  });

  test('stages that pass between two polls are named as such, still once and in order', async () => {
    sandbox.load(world(2));
    const run = await deploy(sandbox, {
      cluster: 'shop',
      services: 'web',
      image: 'registry.example/shop:2',
      'poll-interval-seconds': '0.5',
    });
    expect(run.exitCode).toBe(0);
    expect(stagesLogged(run.lines, 'web')).toEqual(STAGES);
    expect(run.lines).toContainEqual(expect.stringMatching(/^web: stage [A-Z_]+ \(passed between two polls\)$/));
  });
});

/**
 * Runs the deploy and notes, at each DescribeServiceDeployments answer, whether the step had already printed its
 * error: so that a test can tell in which poll the failure was reported.
 */
async function deployWatchingPolls(inputs: Record<string, string>, failed: (record: any) => boolean) {
  const answers: { failed: boolean; errorPrinted: boolean }[] = [];
  // The step starts on the next turn of the event loop: the observer is in place before its first call.
  const running = startDeploy(sandbox, { cluster: 'shop', services: 'web', 'poll-interval-seconds': '0.5', ...inputs });
  const stop = sandbox.observe((exchange) => {
    if (exchange.call.operation !== 'DescribeServiceDeployments' || !exchange.answer) return;
    const record = JSON.parse(String(exchange.answer.body)).serviceDeployments?.[0];
    if (!record) return;
    answers.push({
      failed: failed(record),
      errorPrinted: running.lines.some((line) => line.startsWith('::error title=web::')),
    });
  });
  const run = await running.result;
  stop();
  return { run, answers };
}

/** The failure was seen in one answer, and the error was printed before the step's next poll. */
function reportedWithinOnePoll(answers: { failed: boolean; errorPrinted: boolean }[]) {
  const first = answers.findIndex((answer) => answer.failed);
  expect(first).toBeGreaterThanOrEqual(0);
  expect(answers[first]!.errorPrinted).toBe(false);
  expect(answers[first + 1]?.errorPrinted).toBe(true);
}

describe('a failure fails the step within one poll, names its cause, and the rollback is confirmed on blue', () => {
  test('the smoke-test hook fails after the test traffic shift', async () => {
    const { run, answers } = await deployWatchingPolls({ image: 'registry.example/shop:broken' }, (record) =>
      (record.lifecycleHookDetails ?? []).some((hook: any) => hook.status === 'FAILED'),
    );
    expect(run.exitCode).toBe(1);
    reportedWithinOnePoll(answers);
    expect(run.outputs.result).toBe('rolled-back');
    const error = run.annotations.find((a) => a.level === 'error')!;
    expect(error.message).toMatch(
      /Lifecycle hook smoke-tests \(arn:aws:lambda:eu-west-1:123456789012:function:smoke-tests\) failed at POST_TEST_TRAFFIC_SHIFT\./,
    );
    // Production traffic never left blue; the test traffic went back; the load balancer confirms it.
    expect(run.outputs['failure-reason']).toMatch(
      /Then: rolled back: production traffic 100% on shop:1, 2\/2 tasks running \(listener rule …\/[0-9a-f]+: 100% to web-blue\)\.$/,
    );
    expect(weights('web-production')).toEqual({ 'web-blue': 100, 'web-green': 0 });
    expect(weights('web-test')).toEqual({ 'web-blue': 100, 'web-green': 0 });
    expect(sandbox.recorder.calls({ operation: 'DescribeRules' })).toHaveLength(1);
    expect(run.lines).toContainEqual(expect.stringMatching(/^web: rolling back, stage /));
    expect(json(run, 'lifecycle-stages')).toEqual({ web: 'CLEAN_UP' });
  });

  test('the error-rate alarm goes off during the bake', async () => {
    // Errors start 3.5 s (here) after green's tasks run: in the 5 minute (3 s here) bake.
    const scenario = world();
    scenario.ecs.alarms[0].after = 350;
    sandbox.load(scenario);
    const { run, answers } = await deployWatchingPolls(
      { image: 'registry.example/shop:5xx', alarms: 'web-5xx' },
      (record) => record.status !== 'IN_PROGRESS' && record.status !== 'PENDING',
    );
    expect(run.exitCode).toBe(1);
    reportedWithinOnePoll(answers);
    expect(stagesLogged(run.lines, 'web').at(-1)).toBe('BAKE_TIME');
    const error = run.annotations.find((a) => a.level === 'error')!;
    expect(error.message).toMatch(/web-5xx/);
    // All production traffic had moved to green; the rollback moved it back, and the listener rule says so. The step
    // logs the rollback stages it sees: on a busy machine the shift back (0.3 s here) can pass between two polls, so
    // the line is not required; the failure reason and the rule's weights are the proof.
    expect(run.lines).toContainEqual(expect.stringMatching(/^web: rolling back, stage /));
    expect(run.outputs['failure-reason']).toMatch(
      /Then: rolled back: production traffic 100% on shop:1, .*100% to web-blue\)\.$/,
    );
    expect(weights('web-production')).toEqual({ 'web-blue': 100, 'web-green': 0 });
    expect(weightHistory('web-production', 'web-green')).toEqual([100, 0]);
  });
});

test('without elasticloadbalancing:DescribeRules the rollback stands on the record ECS keeps, and the step says so', async () => {
  const policy = documentedPolicy('ecs-deploy-with-circuit-breaker');
  actUnder(sandbox, 'ecs-deploy-with-circuit-breaker', withoutAction(policy, 'elasticloadbalancing:DescribeRules'));
  const run = await deploy(sandbox, { cluster: 'shop', services: 'web', image: 'registry.example/shop:broken' });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.result).toBe('rolled-back');
  expect(run.outputs['failure-reason']).toMatch(
    /Then: rolled back: production traffic 100% on shop:1, 2\/2 tasks running\.$/,
  );
  expect(run.annotations).toContainEqual(
    expect.objectContaining({
      level: 'warning',
      message: expect.stringMatching(
        /^web: could not read the production listener rule .*AccessDenied.*not authorized to perform: elasticloadbalancing:DescribeRules/,
      ),
    }),
  );
});

describe('a strategy chosen for the deploy', () => {
  test('is applied with the update that starts the deployment, and followed', async () => {
    // api is LINEAR; this deploy moves it to CANARY, 20% first.
    const run = await deploy(sandbox, {
      cluster: 'shop',
      services: 'api',
      image: 'registry.example/shop:2',
      strategy: 'canary',
      'canary-percent': '20',
      'canary-bake-minutes': '1',
    });
    expect(run.exitCode).toBe(0);
    const update = calls(sandbox, 'UpdateService')[0]!.params as any;
    expect(update.deploymentConfiguration).toMatchObject({
      strategy: 'CANARY',
      bakeTimeInMinutes: 2,
      canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: 1 },
    });
    expect(update.deploymentConfiguration.linearConfiguration).toBeUndefined();
    expect(productionShares(run.lines, 'api')).toEqual([20, 100]);
    expect(json(run, 'strategies')).toEqual({ api: 'CANARY' });
  });

  test('plan mode says what the deployment will do and changes nothing', async () => {
    const run = await deploy(sandbox, {
      cluster: 'shop',
      services: 'web\napi',
      image: 'registry.example/shop:2',
      mode: 'plan',
    });
    expect(run.exitCode).toBe(0);
    expect(sandbox.recorder.mutatingCalls()).toEqual([]);
    expect(run.summary).toContain(
      'Blue/green: the new revision scales up beside shop:1, takes the test traffic, then all production traffic at once; both run for the 5 min bake time, then shop:1 is removed. Lifecycle hooks: smoke-tests at POST_TEST_TRAFFIC_SHIFT. The waits alone take 5 min.',
    );
    expect(run.summary).toContain(
      'production traffic in 3 step(s) (34%, 68%, 100%) with 1 min after each but the last',
    );
    expect(json(run, 'strategies')).toEqual({ web: 'BLUE_GREEN', api: 'LINEAR' });
  });

  test('a timeout shorter than the bakes is refused before anything changes', async () => {
    const run = await deploy(sandbox, {
      cluster: 'shop',
      services: 'web',
      image: 'registry.example/shop:2',
      'timeout-minutes': '4',
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^Input "timeout-minutes": the BLUE_GREEN deployment of "web" \(as the service sets it\) waits 5 ?min.* longer than "timeout-minutes" \(4 ?min.*\)\. Give "timeout-minutes" more than 5, shorten the bake times, or set "wait: false"\. Nothing was changed\.$/,
      ),
    ]);
    expect(sandbox.recorder.mutatingCalls()).toEqual([]);
  });

  test('blue-green without a bake time, on a service without one, is refused naming the input', async () => {
    const run = await deploy(sandbox, {
      cluster: 'shop',
      services: 'api',
      image: 'registry.example/shop:2',
      strategy: 'blue-green',
    });
    // api has a bake time of its own (2 min): kept, so this deploys.
    expect(run.exitCode).toBe(0);
    const scenario = world();
    delete scenario.ecs.services[1].deploymentConfiguration.bakeTimeInMinutes;
    sandbox.load(scenario);
    const refused = await deploy(sandbox, {
      cluster: 'shop',
      services: 'api',
      image: 'registry.example/shop:2',
      strategy: 'blue-green',
    });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors.join('\n')).toMatch(
      /^Input "bake-time-minutes": service "api" would deploy BLUE_GREEN without a bake time/,
    );
    expect(sandbox.recorder.mutatingCalls()).toEqual([]);
  });
});
