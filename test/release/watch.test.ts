/**
 * The release's watch after the deploy (deploy.watch-minutes and deploy.watch-metrics in the config): three services,
 * each with its own image; a 5xx rate that rises while the new web image runs rolls every service back to what it ran
 * before, fails the release naming the metric, and the Slack message says so. Run through the root action's bundle
 * against the sandbox with the demo's world.
 */
import { SERVICES, serviceImagesRelease, serviceImagesWorld } from './helpers.js';

const OLD = '8f2b6c41d3e5a7b9c0d2e4f6a8b0c1d3e5f7a9b2';
const NEW = 'd4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3';
const LB = 'app/shop-production/7f3c2a1b0e9d8c6a';
const ALARMS = { alarmNames: ['shop-production-5xx'], enable: true, rollback: true };

function world(): Record<string, any> {
  const scenario = serviceImagesWorld([OLD, NEW], () => ({ behaviour: 'healthy', startDelay: 4, healthyAfter: 6 }));
  const alb = { namespace: 'AWS/ApplicationELB', dimensions: { LoadBalancer: LB } };
  scenario.cloudwatch = {
    metrics: [
      { ...alb, name: 'RequestCount', value: 800 },
      // Set by the test to the new web image, as the deploy names it (by digest).
      { ...alb, name: 'HTTPCode_Target_5XX_Count', value: 0, whileImageRuns: { image: '?', after: 20, value: 120 } },
    ],
  };
  // web's and worker's own deployments monitor an alarm: the release's rollback pauses it and puts it back.
  scenario.ecs.alarms = [{ name: 'shop-production-5xx' }];
  for (const service of scenario.ecs.services) {
    if (service.cluster === 'shop-production' && service.serviceName !== 'api') {
      service.deploymentConfiguration.alarms = ALARMS;
    }
  }
  return scenario;
}

const shop = serviceImagesRelease(world, (production) => {
  production.deploy['watch-minutes'] = 0.05;
  production.deploy['watch-metrics'] = [`target-5xx-rate > 5% LoadBalancer=${LB}`];
});

test('a 5xx rate rising after the deploy rolls every service back and fails the release; Slack says why', async () => {
  const before = Object.fromEntries(SERVICES.map((s) => [s, shop.runningImage(s)]));
  const digest = shop.sandbox.state('ecr').repository('eu-west-1', 'shop-web').tags.get(NEW)!;
  shop.sandbox.state('cloudwatch').series[1]!.section.whileImageRuns!.image = `shop-web@${digest}`;

  const run = await shop.release(NEW, 'image,deploy,notify');
  expect(run.exitCode).toBe(1);
  expect(run.outputs.result).toBe('rolled-back');
  expect(run.summary).toContain('### Watch after the deploy');
  expect(run.visibleText).toContain('ALB target 5xx rate was 15%, above the threshold of 5%');
  expect(Object.fromEntries(SERVICES.map((s) => [s, shop.runningImage(s)]))).toEqual(before);
  expect(run.visibleText).toContain('Alarm monitoring of web, worker was paused for the rollback and restored.');
  for (const service of ['web', 'worker']) {
    const s = shop.sandbox.state('ecs').service('eu-west-1', 'shop-production', service)!;
    expect(s.deploymentConfiguration.alarms).toEqual(ALARMS);
  }
  const slack = JSON.stringify(shop.sandbox.state('slack').delivered());
  expect(slack).toContain('ALB target 5xx rate was 15%');
  expect(slack).toContain('rolled back by this step');
});
