// A multi-service deploy where one service fails: every service's final state is stated, in the summary and in the
// service-states output, with or without rolling the others back; and long quiet stretches get heartbeats.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { runAction, type ActionRun } from '@ecs-ship/testing';
import { calls, scenario } from './helpers.js';

let sandbox: Sandbox;
let workspace: string;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: scenario('shop') });
  workspace = mkdtempSync(join(tmpdir(), 'services-fate-'));
});
afterAll(async () => {
  rmSync(workspace, { recursive: true, force: true });
  await sandbox.stop();
});

/** The shop with two more services, api and worker, each of its own family and container. */
function shopOfThree(): Record<string, any> {
  const world = scenario('shop');
  const web = world.ecs.taskDefinitions[0];
  for (const name of ['api', 'worker']) {
    world.ecs.taskDefinitions.push({
      ...web,
      family: name,
      containerDefinitions: [{ ...web.containerDefinitions[0], name, image: `registry.example/${name}:1` }],
    });
    world.ecs.services.push({ cluster: 'shop', serviceName: name, taskDefinition: name, desiredCount: 2 });
  }
  world.ecs.images['registry.example/api:1'] = { behaviour: 'healthy', startDelay: 1, healthyAfter: 1 };
  world.ecs.images['registry.example/worker:1'] = { behaviour: 'healthy', startDelay: 1, healthyAfter: 1 };
  // Healthy, but well after api's failure is seen (20 s at this scenario's time scale).
  world.ecs.images['registry.example/worker:late'] = { behaviour: 'healthy', startDelay: 400, healthyAfter: 1 };
  return world;
}

/** web gets a good image, api one whose tasks fail to start, worker one that takes longer than the others. */
function templates(worker: string): string {
  const image = { web: 'registry.example/web:2', api: 'registry.example/web:bad', worker };
  return Object.entries(image)
    .map(([service, ref]) => {
      const definition = {
        family: service,
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: service, image: ref, essential: true, portMappings: [{ containerPort: 8080 }] }],
      };
      writeFileSync(join(workspace, `${service}.json`), JSON.stringify(definition));
      return `${service}=${service}.json`;
    })
    .join('\n');
}

function deployThree(inputs: Record<string, string> = {}, worker = 'registry.example/web:slow'): Promise<ActionRun> {
  return runAction('ecs-deploy-with-circuit-breaker', {
    inputs: {
      cluster: 'shop',
      services: 'web,api,worker',
      'task-definition': templates(worker),
      'poll-interval-seconds': '0.2',
      ...inputs,
    },
    env: sandbox.env(),
    cwd: workspace,
    timeoutMs: 90_000,
  });
}

const states = (run: ActionRun) => JSON.parse(run.outputs['service-states'] ?? '{}') as Record<string, any>;

test('one of three fails: the others are accounted for, each watched to its own outcome', async () => {
  sandbox.load(shopOfThree());
  const run = await deployThree({}, 'registry.example/worker:late');
  expect(run.exitCode).toBe(1);
  expect(run.outputs.result).toBe('rolled-back');
  expect(states(run)).toEqual({
    web: expect.objectContaining({
      result: 'succeeded',
      state: 'healthy',
      'task-definition': expect.stringMatching(/:task-definition\/web:2$/),
    }),
    api: expect.objectContaining({
      result: 'rolled-back',
      state: 'healthy',
      'rolled-back-by': 'ecs',
      'task-definition': expect.stringMatching(/:task-definition\/api:1$/),
    }),
    worker: expect.objectContaining({
      result: 'succeeded',
      state: 'healthy',
      'task-definition': expect.stringMatching(/:task-definition\/worker:2$/),
    }),
  });
  for (const service of ['web', 'api', 'worker']) {
    expect(states(run)[service]['service-arn']).toBe(`arn:aws:ecs:eu-west-1:123456789012:service/shop/${service}`);
  }
  // Only the service that failed is the failure's reason; the summary says it first, then where each one stands.
  expect(run.outputs['failure-reason']).toMatch(/^api: /);
  const summary = run.summary;
  expect(summary.indexOf('> api: ')).toBeLessThan(summary.indexOf('| Service |'));
  const row = (service: string) => summary.split('\n').find((line) => line.startsWith(`| [${service}](`)) ?? '';
  expect(row('web')).toContain('| ✅ succeeded | ✅ healthy on web:2 |');
  expect(row('api')).toContain('| ⏪ rolled-back | ✅ healthy on api:1 again, rolled back by ECS |');
  expect(row('worker')).toContain('| ✅ succeeded | ✅ healthy on worker:2 |');
  expect(row('web')).toContain(
    '(https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/shop/services/web/health?region=eu-west-1)',
  );
  // worker was still watched after api failed, until its own outcome.
  const apiFailed = run.lines.findIndex((line) => line.includes('title=api::'));
  const workerDone = run.lines.findIndex((line) => /^worker: deployed worker:2 in /.test(line));
  expect(apiFailed).toBeGreaterThanOrEqual(0);
  expect(workerDone).toBeGreaterThan(apiFailed);
  // Nothing was put back by the step: only ECS rolled api back.
  expect(calls(sandbox, 'UpdateService')).toHaveLength(3);
}, 120_000);

test('rollback-others-on-failure puts every other service this step changed back, and says so', async () => {
  sandbox.load(shopOfThree());
  const run = await deployThree({ 'rollback-others-on-failure': 'true' });
  expect(run.exitCode).toBe(1);
  expect(states(run)).toEqual({
    web: expect.objectContaining({
      result: 'rolled-back',
      state: 'healthy',
      'rolled-back-by': 'step',
      'task-definition': expect.stringMatching(/web:1$/),
    }),
    api: expect.objectContaining({
      result: 'rolled-back',
      state: 'healthy',
      'rolled-back-by': 'ecs',
      'task-definition': expect.stringMatching(/api:1$/),
    }),
    worker: expect.objectContaining({
      result: 'rolled-back',
      state: 'healthy',
      'rolled-back-by': 'step',
      'task-definition': expect.stringMatching(/worker:1$/),
    }),
  });
  // The failure is api's alone; web and worker went back because of it.
  expect(run.outputs['failure-reason']).toMatch(/^api: /);
  expect(run.outputs['failure-reason']).not.toMatch(/web:|worker:/);
  expect(run.lines).toContainEqual('web: putting web:1 back because api failed (rollback-others-on-failure).');
  const revisions = (service: string) => sandbox.state('ecs').service('eu-west-1', 'shop', service)!.taskDefinitionArn;
  for (const service of ['web', 'api', 'worker']) expect(revisions(service)).toMatch(new RegExp(`${service}:1$`));
  const updates = calls(sandbox, 'UpdateService').map((call) => (call.params as any).taskDefinition as string);
  expect(updates.filter((td) => /:1$/.test(td)).sort()).toEqual([
    expect.stringMatching(/web:1$/),
    expect.stringMatching(/worker:1$/),
  ]);
}, 120_000);

test('a long drain: a heartbeat line whenever the log was quiet for progress-interval-seconds', async () => {
  const world = scenario('shop');
  // The old tasks take 120 s (6 s at this scenario's time scale) to drain.
  world.ecs.timings.deactivating = 120;
  sandbox.load(world);
  const run = await runAction('ecs-deploy-with-circuit-breaker', {
    inputs: {
      cluster: 'shop',
      services: 'web',
      image: 'registry.example/web:2',
      'progress-interval-seconds': '1',
      'poll-interval-seconds': '0.2',
    },
    env: sandbox.env(),
    timeoutMs: 60_000,
  });
  expect(run.exitCode).toBe(0);
  const heartbeats = run.lines.filter((line) => / · \d+ s elapsed, \d+ min \d+ s left$/.test(line));
  expect(heartbeats.length).toBeGreaterThanOrEqual(3);
  for (const line of heartbeats)
    expect(line).toMatch(/^web: deploying: \d\/2 new tasks running.* · \d+ s elapsed, (29|30) min \d+ s left$/);
}, 90_000);
