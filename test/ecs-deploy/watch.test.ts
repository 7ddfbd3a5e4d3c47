// watch-minutes and watch-metrics through the bundle, as the runner runs it, against the sandbox's CloudWatch over
// HTTP under the documented IAM policy: a rising 5xx rate rolls every service back and fails the step naming the
// metric; a quiet one holds; a bad threshold line is refused before anything changes. Short watches on a scaled
// scenario (the long ones run on scenario time in watch-engine.test.ts).
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { actUnder, documentedPolicy, withoutAction } from '@ecs-ship/testing/iam';
import { awsCli, calls, deploy, json, scenario } from './helpers.js';

const LB = 'app/shop/50dc6c495c0c9188';

/** The shop with the load balancer's metrics: 5xx answers once web:2 has run 40 scenario seconds (2 s here). */
function world(rises: boolean) {
  const shop = scenario('shop');
  const alb = { namespace: 'AWS/ApplicationELB', dimensions: { LoadBalancer: LB } };
  shop.cloudwatch = {
    metrics: [
      { ...alb, name: 'RequestCount', value: 500 },
      {
        ...alb,
        name: 'HTTPCode_Target_5XX_Count',
        value: 1,
        ...(rises ? { whileImageRuns: { image: 'registry.example/web:2', after: 40, value: 60 } } : {}),
      },
    ],
  };
  return shop;
}

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: world(true) });
});
afterAll(() => sandbox.stop());

const inputs = {
  cluster: 'shop',
  services: 'web',
  image: 'registry.example/web:2',
  'watch-minutes': '0.15',
  'watch-metrics': `target-5xx-rate > 5% LoadBalancer=${LB}`,
  'progress-interval-seconds': '1',
};

const WEB_5XX = { alarmNames: ['web-5xx-alarm'], enable: true, rollback: true };

test('a 5xx rate that rises after the deploy rolls the service back and fails the step naming the metric', async () => {
  // web's own deployments monitor the alarm of the same rise, which CloudWatch raises later than the watch's line
  // (64 scenario seconds of web:2): it goes into ALARM during the rollback, as web:1 takes 50 seconds to start. The
  // rollback runs with web's alarm monitoring paused, and the alarm is put back afterwards.
  const shop = world(true);
  shop.ecs.images['registry.example/web:1'] = { behaviour: 'healthy', startDelay: 50, healthyAfter: 1 };
  shop.ecs.alarms.push({ name: 'web-5xx-alarm', whenImageRuns: 'registry.example/web:2', after: 64, okAfter: 600 });
  shop.ecs.services[0].deploymentConfiguration = { alarms: WEB_5XX };
  sandbox.load(shop);
  const run = await deploy(sandbox, inputs);
  expect(run.exitCode).toBe(1);
  expect(run.outputs.result).toBe('rolled-back');
  expect(run.outputs['watch-result']).toBe('breached');
  expect(run.outputs['failure-reason']).toMatch(
    /^After the deploy, ALB target 5xx rate was 12%, above the threshold of 5% \(target-5xx-rate > 5% LoadBalancer=app\/shop\/50dc6c495c0c9188\); every service this deploy changed was rolled back \(web: web:1 is back and healthy\)\. Alarm monitoring of web was paused for the rollback and restored\.$/,
  );
  expect(json(run, 'service-states').web).toMatchObject({
    result: 'rolled-back',
    state: 'healthy',
    'rolled-back-by': 'step',
  });
  expect(run.annotations.some((a) => a.level === 'error' && a.properties.title === 'Watch after the deploy')).toBe(
    true,
  );
  expect(run.lines.some((l) => /^web: deployed web:2/.test(l))).toBe(true);
  expect(
    run.lines.some((l) => l.includes('watching after the deploy: 1/1 alarm(s) OK, ALB target 5xx rate 0.2% (> 5%)')),
  ).toBe(true);
  expect(run.summary).toContain('### Watch after the deploy');
  expect(run.summary).toContain('**ALB target 5xx rate**: 12% (threshold > 5%)');
  // The timeline: the watch ended in the breach, then the rollback's own phases.
  expect(run.summary).toContain('watch after the deploy :crit');
  expect(run.summary).toContain('rollback\u2236 ');
  // The previous revision is back, put there by UpdateService as mode: rollback does.
  expect(sandbox.state('ecs').service('eu-west-1', 'shop', 'web')!.taskDefinitionArn).toMatch(
    /task-definition\/web:1$/,
  );
  expect(sandbox.state('ecs').alarms.state('web-5xx-alarm')).toBe('ALARM');
  expect(run.summary).toContain('- Alarm monitoring of web was paused for the rollback and restored.');
  expect(run.summary).toContain('alarm monitoring paused :p0_');
  expect(run.lines).toContain('Alarm monitoring of web restored (no new deployment).');
  // The rollback's UpdateService paused the alarms; the restore changed only the deployment configuration.
  const updates = calls(sandbox, 'UpdateService').map((c) => c.params as any);
  expect(updates.map((u) => [u.taskDefinition?.split('/').at(-1), u.deploymentConfiguration?.alarms?.enable])).toEqual([
    ['web:2', true],
    ['web:1', false],
    [undefined, true],
  ]);
  // Read back with the AWS CLI: the alarms are web's own again, on web:1, with no deployment after the rollback's.
  const described = await awsCli(sandbox, 'ecs', 'describe-services', '--cluster', 'shop', '--services', 'web');
  expect(described.services[0].deploymentConfiguration.alarms).toEqual(WEB_5XX);
  expect(
    described.services[0].deployments.map((d: any) => [d.taskDefinition.split('/').at(-1), d.rolloutState]),
  ).toEqual([['web:1', 'COMPLETED']]);
  expect(sandbox.recorder.calls({ service: 'cloudwatch', operation: 'GetMetricData' }).length).toBeGreaterThan(0);
  expect(sandbox.recorder.calls({ service: 'cloudwatch', failed: true })).toEqual([]);
});

test('a rate that stays under its line holds for the whole watch and the deploy succeeds', async () => {
  sandbox.load(world(false));
  const run = await deploy(sandbox, { ...inputs, 'watch-minutes': '0.05' });
  expect([run.exitCode, run.outputs.result, run.outputs['watch-result']]).toEqual([0, 'succeeded', 'held']);
  expect(run.lines.some((l) => /^The watch after the deploy held for /.test(l))).toBe(true);
  expect(sandbox.state('ecs').service('eu-west-1', 'shop', 'web')!.taskDefinitionArn).toMatch(/web:2$/);
});

test('without cloudwatch:GetMetricData the watch says it could not read: the new revision stays, nothing is rolled back', async () => {
  sandbox.load(world(true));
  const policy = documentedPolicy('ecs-deploy-with-circuit-breaker');
  actUnder(sandbox, 'ecs-deploy-with-circuit-breaker', withoutAction(policy, 'cloudwatch:GetMetricData'));
  const run = await deploy(sandbox, inputs);
  expect([run.exitCode, run.outputs.result, run.outputs['watch-result']]).toEqual([1, 'failed', 'unread']);
  expect(run.outputs['failure-reason']).toMatch(
    /^Could not read CloudWatch to watch after the deploy \(.*not authorized to perform: cloudwatch:GetMetricData.*\): the deploy itself succeeded and nothing was rolled back\.$/,
  );
  expect(sandbox.state('ecs').service('eu-west-1', 'shop', 'web')!.taskDefinitionArn).toMatch(/web:2$/);
  expect(calls(sandbox, 'UpdateService')).toHaveLength(1);
});

test.each([
  [
    'a line without a comparison',
    { 'watch-metrics': `target-5xx-rate 5% LoadBalancer=${LB}` },
    /^Input "watch-metrics": "target-5xx-rate 5% LoadBalancer=app\/shop\/50dc6c495c0c9188" has no comparison/,
  ],
  [
    'a latency without its unit',
    { 'watch-metrics': `target-p95-latency > 800 LoadBalancer=${LB}` },
    /^Input "watch-metrics": "800" is not a latency such as 800ms or 1\.5s/,
  ],
  [
    'a rate without its load balancer',
    { 'watch-metrics': 'target-5xx-rate > 5%' },
    /^Input "watch-metrics": target-5xx-rate needs the load balancer: add LoadBalancer=app\/<name>\/<id>/,
  ],
  [
    'a statistic that is none',
    { 'watch-metrics': 'AWS/ApplicationELB RequestCount Median > 5' },
    /^Input "watch-metrics": "Median" is not a statistic/,
  ],
  [
    'thresholds without watch-minutes',
    { 'watch-minutes': '' },
    /^Input "watch-metrics": it is given without "watch-minutes", so nothing would watch the thresholds\. Set "watch-minutes", for example 15/,
  ],
  [
    'a watch without waiting',
    { wait: 'false' },
    /^Input "watch-minutes": it needs the step to watch the deployments, and "wait" is false/,
  ],
])('%s is refused in one line before anything changes', async (_, bad, message) => {
  sandbox.load(world(true));
  const run = await deploy(sandbox, { ...inputs, ...bad });
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toMatch(message);
  expect(sandbox.recorder.mutatingCalls()).toEqual([]);
});
