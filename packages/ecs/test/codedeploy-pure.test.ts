// What a look at a CodeDeploy deployment means, and the AppSpec the deploy sends: pure functions, tested on answers
// shaped as GetDeployment and GetDeploymentTarget give them (botocore's codedeploy model).
import type { DeploymentInfo, ECSTarget } from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import { appSpecFor, appSpecProblem, assessDeployment, controllerProblem } from '../src/codedeploy/index.js';

const events = (statuses: Record<string, string>): ECSTarget => ({
  lifecycleEvents: Object.entries(statuses).map(([lifecycleEventName, status]) => ({
    lifecycleEventName,
    status: status as never,
  })),
  taskSetsInfo: [
    { taskSetLabel: 'Blue', trafficWeight: 90 },
    { taskSetLabel: 'Green', trafficWeight: 10 },
  ],
});

describe('assessDeployment', () => {
  test.each<[string, DeploymentInfo, ECSTarget | undefined, unknown]>([
    [
      'in progress: the event under way and the traffic',
      { deploymentId: 'd-1', status: 'InProgress' },
      events({ BeforeInstall: 'Succeeded', Install: 'Succeeded', AllowTraffic: 'InProgress' }),
      { state: 'progressing', summary: 'AllowTraffic (2/3 lifecycle events done), production traffic 10% on it' },
    ],
    [
      'created, no target yet',
      { deploymentId: 'd-1', status: 'Created' },
      undefined,
      { state: 'progressing', summary: 'Created, 0/0 lifecycle events done' },
    ],
    [
      'ready for a go-ahead',
      { deploymentId: 'd-1', status: 'Ready' },
      events({}),
      { state: 'ready', summary: 'ready, test traffic on the replacement task set, production traffic 10% on it' },
    ],
    [
      'a failed hook: CodeDeploy reason, the event and its diagnostics',
      {
        deploymentId: 'd-1',
        status: 'Failed',
        errorInformation: { code: 'HOOK_EXECUTION_FAILURE', message: 'a lifecycle event hook failed' },
        rollbackInfo: { rollbackDeploymentId: 'd-2' },
      },
      {
        lifecycleEvents: [
          {
            lifecycleEventName: 'AfterAllowTestTraffic',
            status: 'Failed',
            diagnostics: { message: 'GET /health: 500' },
          },
        ],
      },
      {
        state: 'failed',
        stopped: false,
        rollbackDeploymentId: 'd-2',
        reason:
          'CodeDeploy deployment d-1 failed at AfterAllowTestTraffic (HOOK_EXECUTION_FAILURE): a lifecycle event hook failed; AfterAllowTestTraffic: GET /health: 500',
      },
    ],
    [
      'stopped by an alarm, no rollback',
      {
        deploymentId: 'd-1',
        status: 'Stopped',
        errorInformation: { code: 'ALARM_ACTIVE', message: 'Activated alarms: <web-5xx>' },
      },
      events({ AllowTraffic: 'Failed' }),
      {
        state: 'failed',
        stopped: true,
        rollbackDeploymentId: undefined,
        reason: 'CodeDeploy deployment d-1 was stopped at AllowTraffic (ALARM_ACTIVE): Activated alarms: <web-5xx>',
      },
    ],
    [
      'succeeded',
      { deploymentId: 'd-1', status: 'Succeeded' },
      events({ A: 'Succeeded', B: 'Succeeded' }),
      { state: 'succeeded', summary: 'all 2 lifecycle events succeeded' },
    ],
  ])('%s', (_name, info, target, expected) => {
    expect(assessDeployment(info, target)).toEqual(expected);
  });
});

describe('the AppSpec', () => {
  const service: Service = {
    serviceName: 'web',
    loadBalancers: [{ targetGroupArn: 'arn:tg', containerName: 'app', containerPort: 8080 }],
  };

  test('made from the service load balancer when no file is given', () => {
    expect(JSON.parse(appSpecFor(service, 'arn:td:2', undefined))).toEqual({
      version: 0,
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: { TaskDefinition: 'arn:td:2', LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 } },
          },
        },
      ],
    });
  });

  test("a file's TaskDefinition is replaced; its hooks and the rest stay", () => {
    const content = {
      version: 0.0,
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: {
              TaskDefinition: '<TASK_DEFINITION>',
              LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 },
              PlatformVersion: 'LATEST',
            },
          },
        },
      ],
      Hooks: [{ AfterAllowTestTraffic: 'smoke' }],
    };
    const sent = JSON.parse(appSpecFor(service, 'arn:td:2', { path: 'appspec.yaml', content }));
    expect(sent.Resources[0].TargetService.Properties).toEqual({
      TaskDefinition: 'arn:td:2',
      LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 },
      PlatformVersion: 'LATEST',
    });
    expect(sent.Hooks).toEqual([{ AfterAllowTestTraffic: 'smoke' }]);
    expect(content.Resources[0]!.TargetService.Properties.TaskDefinition).toBe('<TASK_DEFINITION>');
  });

  test.each([
    [[], 'it is not a JSON or YAML object'],
    [{ version: 0 }, 'it has no Resources list'],
    [{ Resources: [{ X: { Type: 'AWS::Lambda::Function' } }] }, 'it has no resource of Type AWS::ECS::Service'],
    [
      { Resources: [{ T: { Type: 'AWS::ECS::Service', Properties: {} } }] },
      'its ECS service resource has no LoadBalancerInfo with ContainerName and ContainerPort',
    ],
  ])('a file refused: %j', (content, problem) => {
    expect(appSpecProblem(content)).toBe(problem);
  });
});

test('which services a step can deploy, by deployment controller', () => {
  const of = (type?: 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL') => ({ deploymentController: type ? { type } : undefined });
  const none = new Map<string, string>();
  const one = { mode: 'deploy', services: ['web'], rollbackTo: none };
  expect(controllerProblem('web', of(), one)).toBeUndefined();
  expect(controllerProblem('web', of('CODE_DEPLOY'), one)).toBeUndefined();
  expect(controllerProblem('web', of('EXTERNAL'), one)).toMatch(/EXTERNAL deployment controller/);
  const rollback = { mode: 'rollback', services: ['web'] };
  expect(controllerProblem('web', of('CODE_DEPLOY'), { ...rollback, rollbackTo: none })).toMatch(
    /rolls back on its own/,
  );
  // A named earlier revision goes back as a new CodeDeploy deployment (the release's rollback stage).
  const named = new Map([['web', 'shop:1']]);
  expect(controllerProblem('web', of('CODE_DEPLOY'), { ...rollback, rollbackTo: named })).toBeUndefined();
  const two = { mode: 'deploy', services: ['web', 'api'], rollbackTo: none };
  expect(controllerProblem('web', of('CODE_DEPLOY'), two)).toMatch(/in a step of its own/);
  // Each service with its own CodeDeploy options (a release): several are deployed, each its own deployment.
  const own = new Map([['web', { names: {} }]]);
  expect(controllerProblem('web', of('CODE_DEPLOY'), { ...two, serviceCodeDeploy: own })).toBeUndefined();
  expect(controllerProblem('api', of('ECS'), { ...two, serviceCodeDeploy: own })).toBeUndefined();
  // Its turn comes after the others succeeded, which a step that does not wait never learns; alone, it may start.
  expect(controllerProblem('web', of('CODE_DEPLOY'), { ...two, serviceCodeDeploy: own, wait: false })).toMatch(
    /"wait: false" does not wait for: set wait to true/,
  );
  expect(controllerProblem('api', of('ECS'), { ...two, serviceCodeDeploy: own, wait: false })).toBeUndefined();
  expect(controllerProblem('web', of('CODE_DEPLOY'), { ...one, wait: false })).toBeUndefined();
  const given = new Map([['api', { application: 'AppECS-shop-api' }]]);
  expect(controllerProblem('api', of('ECS'), { ...two, serviceCodeDeploy: given })).toMatch(
    /uses the ECS deployment controller, but CodeDeploy options are given for it/,
  );
  expect(controllerProblem('web', of('CODE_DEPLOY'), { ...one, watchAfterMs: 60_000 })).toMatch(
    /"watch-minutes" does not watch it/,
  );
});
