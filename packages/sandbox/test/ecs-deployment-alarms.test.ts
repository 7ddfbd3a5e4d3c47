// Which UpdateService calls start a deployment when they touch the deployment alarms, and which alarm configuration a
// deployment follows, through the real AWS SDK over HTTP on a clock that only moves when told to. What AWS documents:
// botocore's UpdateService model says of `deploymentConfiguration` "This parameter doesn't trigger a new service
// deployment" (and of `taskDefinition` that it does); a service deployment records its own `deploymentConfiguration`
// and `alarms` (status DISABLED when ECS does not use alarms for it). So alarms switched off in the UpdateService
// that sets a task definition are off for that deployment, and switching them back on alone starts nothing.
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
} from '@aws-sdk/client-ecs';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { ManualClock, startSandbox, type Sandbox } from '../src/index.js';

const REGION = 'eu-west-1';
const ALARMS = { alarmNames: ['web-5xx'], enable: true, rollback: true };

const world = {
  region: REGION,
  ecs: {
    clusters: [{ name: 'prod', containerInstances: 4 }],
    images: { 'app:v1': { startDelay: 1 }, 'app:v2': { startDelay: 2 } },
    taskDefinitions: [
      { family: 'web', containerDefinitions: [{ name: 'app', image: 'app:v1', essential: true }] },
      { family: 'web', containerDefinitions: [{ name: 'app', image: 'app:v2', essential: true }] },
    ],
    services: [
      {
        cluster: 'prod',
        serviceName: 'web',
        taskDefinition: 'web:1',
        desiredCount: 2,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, alarms: ALARMS },
      },
    ],
    alarms: [{ name: 'web-5xx' }],
  },
};

const clock = new ManualClock();
let sandbox: Sandbox;
let ecs: ECSClient;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: world, clock, checkModels: true });
  ecs = new ECSClient({
    region: REGION,
    endpoint: sandbox.url,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
});
afterAll(async () => {
  ecs.destroy();
  await sandbox.stop();
});
beforeEach(() => sandbox.load(world));
afterEach(() => expect(sandbox.takeViolations()).toEqual([]));

async function service() {
  const answer = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
  return answer.services![0]!;
}

async function serviceDeployments() {
  const list = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web' }));
  const arns = (list.serviceDeployments ?? []).map((d) => d.serviceDeploymentArn!);
  const answer = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns }));
  return answer.serviceDeployments ?? [];
}

/** The service's deployment configuration with its alarm monitoring on or off, everything else as it is. */
async function withAlarms(enable: boolean): Promise<DeploymentConfiguration> {
  return { ...(await service()).deploymentConfiguration, alarms: { ...ALARMS, enable } };
}

/** web:2 with alarm monitoring switched off in the same UpdateService. */
async function deployWithAlarmsOff() {
  const deploymentConfiguration = await withAlarms(false);
  await ecs.send(
    new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2', deploymentConfiguration }),
  );
}

/** Moves the clock until the newest service deployment has finished; returns it. */
async function settle() {
  for (let i = 0; i < 120; i++) {
    const [newest] = await serviceDeployments();
    if (newest && !['PENDING', 'IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS'].includes(newest.status!)) {
      return newest;
    }
    clock.advance(1);
  }
  throw new Error('the deployment did not finish in 120 scenario seconds');
}

test('an UpdateService that changes only the deployment alarms starts no deployment; the service keeps the change', async () => {
  const before = await service();
  const recordsBefore = await serviceDeployments();
  expect(recordsBefore).toHaveLength(1);

  for (const enable of [false, true]) {
    const answer = await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', deploymentConfiguration: await withAlarms(enable) }),
    );
    // The same single deployment, still COMPLETED: no new one, no new service deployment.
    expect(answer.service!.deployments!.map((d) => [d.id, d.rolloutState])).toEqual([
      [before.deployments![0]!.id, 'COMPLETED'],
    ]);
    expect((await service()).deploymentConfiguration!.alarms).toEqual({ ...ALARMS, enable });
    const records = await serviceDeployments();
    expect(records.map((r) => [r.serviceDeploymentArn, r.status])).toEqual(
      recordsBefore.map((r) => [r.serviceDeploymentArn, 'SUCCESSFUL']),
    );
  }
  // The tasks were left alone.
  clock.advance(30);
  expect((await service()).runningCount).toBe(2);
  expect((await serviceDeployments()).length).toBe(1);
});

test('with an alarm in ALARM, a new revision with alarms on fails and is rolled back; with them off in the same call it completes', async () => {
  sandbox.state('ecs').setAlarm('web-5xx', 'ALARM');

  await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }));
  const monitored = await settle();
  expect(monitored).toMatchObject({
    status: 'ROLLBACK_SUCCESSFUL',
    alarms: { status: 'TRIGGERED', triggeredAlarmNames: ['web-5xx'] },
  });
  expect((await service()).taskDefinition).toMatch(/web:1$/);

  await deployWithAlarmsOff();
  const paused = await settle();
  expect(paused).toMatchObject({
    status: 'SUCCESSFUL',
    alarms: { status: 'DISABLED' },
    deploymentConfiguration: { alarms: { ...ALARMS, enable: false }, deploymentCircuitBreaker: { enable: true } },
  });
  expect((await service()).deployments!.map((d) => [d.taskDefinition!.split('/').at(-1), d.rolloutState])).toEqual([
    ['web:2', 'COMPLETED'],
  ]);

  // Monitoring back on, alone: no deployment, and the completed one stays completed although the alarm still fires.
  const before = (await serviceDeployments()).map((r) => r.serviceDeploymentArn);
  expect(before.slice(0, 2)).toEqual([paused, monitored].map((r) => r.serviceDeploymentArn));
  await ecs.send(
    new UpdateServiceCommand({ cluster: 'prod', service: 'web', deploymentConfiguration: await withAlarms(true) }),
  );
  clock.advance(30);
  const after = await serviceDeployments();
  expect(after.map((r) => r.serviceDeploymentArn)).toEqual(before);
  expect(after[0]).toMatchObject({ status: 'SUCCESSFUL', alarms: { status: 'DISABLED' } });
  const web = await service();
  expect([web.taskDefinition!.split('/').at(-1), web.runningCount, web.deploymentConfiguration!.alarms]).toEqual([
    'web:2',
    2,
    ALARMS,
  ]);
});

test('a deployment follows the alarm configuration it started with: turning alarms on during it does not fail it, the next deployment follows them', async () => {
  sandbox.state('ecs').setAlarm('web-5xx', 'ALARM');
  await deployWithAlarmsOff();
  await ecs.send(
    new UpdateServiceCommand({ cluster: 'prod', service: 'web', deploymentConfiguration: await withAlarms(true) }),
  );
  expect(await settle()).toMatchObject({ status: 'SUCCESSFUL', alarms: { status: 'DISABLED' } });

  await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', forceNewDeployment: true }));
  expect(await settle()).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', alarms: { status: 'TRIGGERED' } });
});
