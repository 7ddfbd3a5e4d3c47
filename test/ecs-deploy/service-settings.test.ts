// Service settings named as the official ECS deploy action names them: managed tags and tag propagation ride on the
// UpdateService (a change of them alone starts no deployment), the service-managed EBS volume is checked against the
// rendered task definition before anything changes, and a bad value is refused naming its input.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { calls, deploy, explain, scenario } from './helpers.js';

const ROLE = 'arn:aws:iam::123456789012:role/ecsInfrastructureRole';
let sandbox: Sandbox;
let folder: string;

/** The web template, with a volume `data` that is (or is not) configured at launch. */
function template(configuredAtLaunch: boolean): string {
  const path = join(folder, `web-${configuredAtLaunch}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      family: 'web',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      volumes: [{ name: 'data', configuredAtLaunch }],
      containerDefinitions: [
        {
          name: 'web',
          image: 'registry.example/web:2',
          essential: true,
          mountPoints: [{ sourceVolume: 'data', containerPath: '/data' }],
        },
      ],
    }),
  );
  return path;
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'service-settings-'));
  sandbox = await startSandbox({ scenario: scenario('shop') });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(scenario('shop')));

const volume = JSON.stringify({ roleArn: ROLE, sizeInGiB: 20, volumeType: 'gp3' });

test('tags and the EBS volume reach the service with the deployment', async () => {
  const run = await deploy(sandbox, {
    cluster: 'shop',
    services: 'web',
    'task-definition': template(true),
    'enable-ecs-managed-tags': 'true',
    'propagate-tags': 'SERVICE',
    'service-managed-ebs-volume-name': 'data',
    'service-managed-ebs-volume': volume,
  });
  expect(explain(run)).toMatch(/^exit 0/);
  const [update] = calls(sandbox, 'UpdateService').map((call) => call.params as Record<string, unknown>);
  expect(update).toMatchObject({
    enableECSManagedTags: true,
    propagateTags: 'SERVICE',
    volumeConfigurations: [{ name: 'data', managedEBSVolume: { roleArn: ROLE, sizeInGiB: 20, volumeType: 'gp3' } }],
  });
  const web = sandbox.state('ecs').clusters.get('eu-west-1', 'shop').services.get('web')!;
  expect(web.extra).toMatchObject({ enableECSManagedTags: true, propagateTags: 'SERVICE' });
  expect(web.primary.placement.volumeConfigurations?.[0]?.name).toBe('data');

  // The same inputs again: nothing to change, nothing registered, no UpdateService.
  sandbox.recorder.clear();
  const again = await deploy(sandbox, {
    cluster: 'shop',
    services: 'web',
    'task-definition': template(true),
    'enable-ecs-managed-tags': 'true',
    'propagate-tags': 'SERVICE',
    'service-managed-ebs-volume-name': 'data',
    'service-managed-ebs-volume': volume,
  });
  expect(again.outputs.result).toBe('unchanged');
  expect(calls(sandbox, 'UpdateService')).toEqual([]);
});

test('a change of tag propagation alone updates the service without registering or rolling out', async () => {
  const deploymentsBefore = sandbox.state('ecs').clusters.get('eu-west-1', 'shop').services.get('web')!.deployments;
  const run = await deploy(sandbox, { cluster: 'shop', services: 'web', 'propagate-tags': 'TASK_DEFINITION' });
  expect(explain(run)).toMatch(/^exit 0/);
  expect(run.stdout).toContain('web: service settings changed: propagateTags "NONE" → "TASK_DEFINITION".');
  expect(calls(sandbox, 'RegisterTaskDefinition')).toEqual([]);
  const web = sandbox.state('ecs').clusters.get('eu-west-1', 'shop').services.get('web')!;
  expect(web.extra.propagateTags).toBe('TASK_DEFINITION');
  expect(web.deployments.map((d) => d.id)).toEqual(deploymentsBefore.map((d) => d.id));
});

test('a volume the task definition does not configure at launch is refused before any change', async () => {
  const run = await deploy(sandbox, {
    cluster: 'shop',
    services: 'web',
    'task-definition': template(false),
    'service-managed-ebs-volume-name': 'data',
    'service-managed-ebs-volume': volume,
  });
  expect(run.exitCode).toBe(1);
  expect(run.errors.join('\n')).toMatch(
    /volume "data" of the task definition is not marked "configuredAtLaunch": true.*\(service-managed-ebs-volume-name\)/,
  );
  expect(calls(sandbox, 'RegisterTaskDefinition')).toEqual([]);
  expect(calls(sandbox, 'UpdateService')).toEqual([]);
});

test.each([
  [
    'an unknown key (a typo)',
    {
      'service-managed-ebs-volume-name': 'data',
      'service-managed-ebs-volume': `{"roleArn": "${ROLE}", "sizeInGb": 20}`,
    },
    /^Input "service-managed-ebs-volume": .*sizeInGb/,
  ],
  [
    'no roleArn',
    { 'service-managed-ebs-volume-name': 'data', 'service-managed-ebs-volume': '{"sizeInGiB": 20}' },
    /^Input "service-managed-ebs-volume": roleArn is required/,
  ],
  [
    'neither a size nor a snapshot',
    { 'service-managed-ebs-volume-name': 'data', 'service-managed-ebs-volume': `{"roleArn": "${ROLE}"}` },
    /^Input "service-managed-ebs-volume": it gives neither sizeInGiB nor snapshotId/,
  ],
  [
    'a volume that is not a JSON object',
    { 'service-managed-ebs-volume-name': 'data', 'service-managed-ebs-volume': '[20]' },
    /^Input "service-managed-ebs-volume": it is not a JSON object\. Give a ServiceManagedEBSVolumeConfiguration object/,
  ],
  [
    'a volume without its name',
    { 'service-managed-ebs-volume': volume },
    /^Input "service-managed-ebs-volume": it is set but "service-managed-ebs-volume-name" is not/,
  ],
  ['an unknown propagation', { 'propagate-tags': 'TASK' }, /^Input "propagate-tags": /],
  [
    'settings on a rollback',
    { mode: 'rollback', 'enable-ecs-managed-tags': 'true' },
    /^Input "mode": a rollback puts earlier revisions back as they ran and changes no service settings/,
  ],
])('%s is refused before any AWS call', async (_, inputs, message) => {
  const run = await deploy(sandbox, { cluster: 'shop', services: 'web', ...inputs });
  expect(run.exitCode).toBe(1);
  expect(run.errors).toEqual([expect.stringMatching(message)]);
  expect(sandbox.recorder.calls()).toEqual([]);
});
