// `images` with service:container lines: each service gets its own image; container=image lines go to every service
// that has the container; mode rollback puts each service back on its own previous image.
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { deploy, explain, scenario, withApiService } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: scenario('shop') });
});
afterAll(() => sandbox.stop());

/** The shop with an api service whose only container is "app". */
const world = () => withApiService(scenario('shop'));
beforeEach(() => sandbox.load(world()));

function image(service: string, container: string): string | undefined {
  const ecs = sandbox.state('ecs');
  const arn = ecs.service('eu-west-1', 'shop', service)!.taskDefinitionArn;
  return ecs.taskDefinition('eu-west-1', arn)!.body.containerDefinitions.find((c) => c.name === container)?.image;
}

test('each service gets its own image, and a rollback restores each its own', async () => {
  const run = await deploy(sandbox, {
    cluster: 'shop',
    services: 'web, api',
    images: 'web=registry.example/web:2\nlog-router=registry.example/fluent-bit:4\napi:app=registry.example/api:2',
  });
  expect(explain(run)).toMatch(/^exit 0/);
  expect(image('web', 'web')).toBe('registry.example/web:2');
  expect(image('web', 'log-router')).toBe('registry.example/fluent-bit:4');
  expect(image('api', 'app')).toBe('registry.example/api:2');
  const apiRow = run.summary.split('\n').find((line) => line.startsWith('| [api]('));
  expect(apiRow).toContain('| app: registry.example/api:2 |');
  expect(apiRow).toMatch(/\[api:1\]\([^)]+\) → \[api:2\]\(/);

  const back = await deploy(sandbox, { cluster: 'shop', services: 'web, api', mode: 'rollback' });
  expect(explain(back)).toMatch(/^exit 0/);
  expect(image('web', 'web')).toBe('registry.example/web:1');
  expect(image('web', 'log-router')).toBe('registry.example/fluent-bit:3');
  expect(image('api', 'app')).toBe('registry.example/api:1');
});

test('a service line wins over a line for every service', async () => {
  const run = await deploy(sandbox, {
    cluster: 'shop',
    services: 'web',
    images: 'web=registry.example/web:errors\nweb:web=registry.example/web:2',
  });
  expect(explain(run)).toMatch(/^exit 0/);
  expect(image('web', 'web')).toBe('registry.example/web:2');
});

test.each([
  [
    'a service that is not deployed',
    'worker:app=registry.example/api:2',
    /^Input "images": "worker" \(in "worker:app"\) is not one of the services being deployed\./,
  ],
  [
    'a container the named service lacks',
    'api:web=registry.example/web:2',
    /^Service "api": container "web" \(in images\) is not in task definition "api"; it has "app"\./,
  ],
  [
    'a container no service has',
    'worker=registry.example/web:2',
    /^Container "worker" \(in images\) is in no service's task definition: web has "web", "log-router"; api has "app"\./,
  ],
  ['a key that is neither', 'api:app:x=registry.example/web:2', /^Input "images": "api:app:x" is not/],
])('%s is refused before anything changes', async (_name, images, message) => {
  const run = await deploy(sandbox, { cluster: 'shop', services: 'web, api', images });
  expect(run.exitCode).toBe(1);
  expect(run.errors[0]).toMatch(message);
  expect(sandbox.recorder.mutatingCalls()).toEqual([]);
});
