// Per-service task-definition templates: `service=path` lines render each service from its own file; one file for
// several services is refused before any call, since every service would get its family and containers.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { calls, deploy, explain, json, scenario } from './helpers.js';

let sandbox: Sandbox;
let folder: string;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: scenario('shop') });
  folder = mkdtempSync(join(tmpdir(), 'templates-'));
  const template = (family: string, cpu: string) => ({
    family,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu,
    memory: '1024',
    containerDefinitions: [{ name: 'web', image: 'registry.example/web:1', essential: true }],
  });
  writeFileSync(join(folder, 'web.json'), JSON.stringify(template('web', '512')));
  writeFileSync(join(folder, 'idle.json'), JSON.stringify(template('idle-worker', '256')));
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(scenario('shop')));

test('two services with two templates: each is rendered from its own', async () => {
  const run = await deploy(sandbox, {
    cluster: 'shop',
    services: 'web\nidle',
    'task-definition': `web=${join(folder, 'web.json')}\nidle=${join(folder, 'idle.json')}`,
    images: 'web=registry.example/web:2',
  });
  expect(explain(run)).toMatch(/^exit 0/);
  const registered = calls(sandbox, 'RegisterTaskDefinition').map((call) => call.params as Record<string, any>);
  expect(registered.map((body) => [body.family, body.cpu, body.containerDefinitions[0].image])).toEqual([
    ['web', '512', 'registry.example/web:2'],
    ['idle-worker', '256', 'registry.example/web:2'],
  ]);
  const deployed = json(run, 'task-definition-arns');
  expect(deployed.web).toMatch(/task-definition\/web:2$/);
  expect(deployed.idle).toMatch(/task-definition\/idle-worker:1$/);
});

test('a service without a line keeps rendering from its current definition', async () => {
  const run = await deploy(sandbox, {
    cluster: 'shop',
    services: 'web, idle',
    'task-definition': `idle=${join(folder, 'idle.json')}`,
    images: 'web=registry.example/web:2',
  });
  expect(explain(run)).toMatch(/^exit 0/);
  const families = calls(sandbox, 'RegisterTaskDefinition').map((call) => (call.params as { family: string }).family);
  expect(families).toEqual(['web', 'idle-worker']);
});

test.each([
  [
    'one template for two services',
    { services: 'web, idle', 'task-definition': '.aws/web.json' },
    /^Input "task-definition": one template \(".aws\/web.json"\) is given for 2 services \(web, idle\), so every service would be rendered from it\. Give one template per service as service=path lines, for example "web=.aws\/web.json"\.$/,
  ],
  [
    'two paths without services',
    { services: 'web, idle', 'task-definition': '.aws/web.json\n.aws/idle.json' },
    /^Input "task-definition": 2 paths are given without the services they belong to\. Write one service=path line per service/,
  ],
  [
    'a template for a service not deployed',
    { services: 'web', 'task-definition': 'worker=.aws/worker.json' },
    /^Input "task-definition": "worker" is not one of the services being deployed/,
  ],
])('%s is refused before any AWS call', async (_, inputs, message) => {
  const run = await deploy(sandbox, { cluster: 'shop', image: 'registry.example/web:2', ...inputs });
  expect(run.exitCode).toBe(1);
  expect(run.errors).toEqual([expect.stringMatching(message)]);
  expect(sandbox.recorder.calls()).toEqual([]);
});
