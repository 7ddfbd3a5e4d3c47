// The documented ECS scenario files load, and behave as their comments say.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, services } from '../src/index.js';
import { ManualClock } from '../src/ecs/manual-clock.js';
import { ecsSectionSchema, type EcsSection } from '../src/ecs/scenario.js';
import { EcsWorld } from '../src/ecs/world.js';

const dir = join(import.meta.dirname, '..', 'scenarios');
const files = readdirSync(dir).filter((f) => /^ecs-.*\.ya?ml$/.test(f));

test('there are ECS scenario files', () => {
  expect(files.length).toBeGreaterThanOrEqual(2);
});

test.each(files)('%s is a valid scenario', (file) => {
  const loaded = loadScenario(join(dir, file), services);
  expect(ecsSectionSchema.safeParse(loaded.sections.ecs).success).toBe(true);
});

function world(file: string) {
  const loaded = loadScenario(join(dir, file), services);
  const clock = new ManualClock();
  const w = new EcsWorld({
    clock,
    accountId: loaded.accountId,
    defaultRegion: loaded.region,
    section: loaded.sections.ecs as EcsSection,
  });
  return { w, clock, region: loaded.region };
}

test('ecs-rollouts.yaml: web:3 trips the breaker and rolls back; web:4 on api is failed by HighErrors', () => {
  const { w, clock, region } = world('ecs-rollouts.yaml');
  w.services.update(region, { cluster: 'prod', service: 'web', taskDefinition: 'web:3' });
  w.services.update(region, { cluster: 'prod', service: 'api', taskDefinition: 'web:4' });
  clock.advance(120);
  const web = w.service(region, 'prod', 'web')!;
  const api = w.service(region, 'prod', 'api')!;
  expect(web.records[0]!.status).toBe('ROLLBACK_SUCCESSFUL');
  expect(api.records[0]!.status).toBe('ROLLBACK_SUCCESSFUL');
  expect(api.records[0]!.alarms.triggeredAlarmNames).toEqual(['HighErrors']);
  expect(() =>
    w.services.update(region, { cluster: 'prod', service: 'legacy-bluegreen', taskDefinition: 'web:2' }),
  ).toThrow(/CODE_DEPLOY/);
});

test('ecs-migrations.yaml: the memory hog fails placement; the ok migration exits 0', () => {
  const { w, clock, region } = world('ecs-migrations.yaml');
  const hog = w.tasks.run(region, { cluster: 'prod', taskDefinition: 'migrate-memory-hog' }) as any;
  expect(hog.failures[0].reason).toBe('RESOURCE:MEMORY');
  const ok = w.tasks.run(region, {
    cluster: 'prod',
    taskDefinition: 'migrate',
    networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
  }) as any;
  clock.advance(30);
  const task = w.task(region, 'prod', ok.tasks[0].taskArn)!;
  expect([task.lastStatus, task.containers[0]!.exitCode]).toEqual(['STOPPED', 0]);
});
