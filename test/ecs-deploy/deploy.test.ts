// The deploy action's main paths, run as the runner runs them against the sandbox over real HTTP.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { calls, deploy, explain, json, scenario } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: scenario('shop') });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(scenario('shop')));

/** The body of the one RegisterTaskDefinition call the run made. */
function registered(): any {
  const registrations = calls(sandbox, 'RegisterTaskDefinition');
  expect(registrations).toHaveLength(1);
  return registrations[0]!.params;
}

describe('a successful deployment', () => {
  test('rolls one service out to a new image and reports success', async () => {
    const run = await deploy(sandbox, { cluster: 'shop', services: 'web', image: 'registry.example/web:2' });
    expect(run.exitCode).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.outputs.result).toBe('succeeded');
    expect(run.outputs['failure-reason']).toBe('');
    expect(run.outputs.changed).toBe('true');
    expect(json(run, 'task-definition-arns').web).toMatch(/:task-definition\/web:2$/);
    expect(json(run, 'previous-task-definition-arns').web).toMatch(/:task-definition\/web:1$/);
    expect(json(run, 'deployment-ids').web).toMatch(/^ecs-svc\/\d{19}$/);

    const body = registered();
    expect(body.containerDefinitions.find((c: any) => c.name === 'web').image).toBe('registry.example/web:2');
    expect(body).not.toHaveProperty('taskDefinitionArn');
    expect(body).not.toHaveProperty('revision');
    expect(body).not.toHaveProperty('requiresAttributes');
    const update = calls(sandbox, 'UpdateService')[0]!.params as any;
    expect(update.taskDefinition).toMatch(/web:2$/);
    expect(update.deploymentConfiguration.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });

    expect(run.lines).toContainEqual(expect.stringMatching(/^web: deployed web:2 in .* \(2\/2 new tasks running\)\.$/));
    // Each service event once.
    const eventLines = run.lines.filter((line) => line.startsWith('web: (service web)'));
    expect(new Set(eventLines).size).toBe(eventLines.length);
    const row = run.summary.split('\n').find((line) => line.startsWith('| [web]('))!;
    expect(row).toContain(' | ✅ succeeded | ✅ healthy on web:2 | ');
    expect(row).toContain(' | web: registry.example/web:2<br>log-router: registry.example/fluent-bit:3 | ');
    expect(row).toContain('[web:1](https://eu-west-1.console.aws.amazon.com/ecs/v2/task-definitions/web/1/containers');
    expect(run.summary).toMatch(/```mermaid\ngantt\n {2}dateFormat x/);
    expect(run.summary).toContain('deployment completed.');
  });

  test('rolls twelve services out in one loop, one DescribeServices per ten services per poll', async () => {
    const world = scenario('shop');
    const names = Array.from({ length: 12 }, (_, i) => `svc-${String(i + 1).padStart(2, '0')}`);
    world.ecs.services.push(
      ...names.map((serviceName) => ({ cluster: 'shop', serviceName, taskDefinition: 'web', desiredCount: 1 })),
    );
    sandbox.load(world);

    const run = await deploy(sandbox, {
      cluster: 'shop',
      services: names.join(','),
      images: 'web=registry.example/web:2',
      environment: 'web:LOG_LEVEL=debug\nweb:FEATURE_X=on',
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe('succeeded');
    expect(Object.keys(json(run, 'deployment-ids')).sort()).toEqual(names);
    expect(calls(sandbox, 'RegisterTaskDefinition')).toHaveLength(12);
    expect(calls(sandbox, 'UpdateService')).toHaveLength(12);

    const describes = calls(sandbox, 'DescribeServices');
    for (const call of describes) expect((call.params as any).services.length).toBeLessThanOrEqual(10);
    // How the watch went is in the debug log (step debug logging is on in these runs), not in the summary.
    expect(run.summary).not.toMatch(/poll\(s\)/);
    const [, polls, describeCalls] = /(\d+) poll\(s\), (\d+) DescribeServices call\(s\)/.exec(
      run.annotations.find((a) => a.level === 'debug' && a.message.includes('poll(s)'))?.message ?? '',
    )!;
    // At most two calls a poll (services that finished are no longer asked about), at least one.
    expect(Number(describeCalls)).toBeLessThanOrEqual(2 * Number(polls));
    expect(Number(describeCalls)).toBeGreaterThanOrEqual(Number(polls));
    // The watch's calls plus the two made while checking the services before any change.
    expect(describes).toHaveLength(Number(describeCalls) + 2);

    const env = calls(sandbox, 'RegisterTaskDefinition')[0]!.params as any;
    expect(env.containerDefinitions.find((c: any) => c.name === 'web').environment).toEqual([
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'FEATURE_X', value: 'on' },
    ]);
  });

  test('a service scaled to zero completes without any task', async () => {
    const run = await deploy(sandbox, { cluster: 'shop', services: 'idle', image: 'registry.example/web:2' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe('succeeded');
    expect(run.summary).toContain('desired count is 0: no task runs');
  });

  test('desired-count 0 scales a running service down with the deployment', async () => {
    const run = await deploy(sandbox, {
      cluster: 'shop',
      services: 'web',
      image: 'registry.example/web:2',
      'desired-count': '0',
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe('succeeded');
    expect((calls(sandbox, 'UpdateService')[0]!.params as any).desiredCount).toBe(0);
  });

  test('desired-count alone scales the service and waits until the count is reached', async () => {
    const run = await deploy(sandbox, { cluster: 'shop', services: 'web', 'desired-count': '4' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe('succeeded');
    expect(calls(sandbox, 'RegisterTaskDefinition')).toHaveLength(0);
    expect(run.lines).toContainEqual(expect.stringMatching(/^web: deployed web:1 in .* \(4\/4 new tasks running\)\.$/));
  });

  test('a template file is rendered: read-only fields dropped, tags kept', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'taskdef-'));
    const file = join(folder, 'web.json');
    writeFileSync(
      file,
      JSON.stringify({
        taskDefinition: {
          taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:1',
          revision: 1,
          status: 'ACTIVE',
          compatibilities: ['EC2', 'FARGATE'],
          registeredAt: 1_700_000_000,
          family: 'web',
          networkMode: 'awsvpc',
          requiresCompatibilities: ['FARGATE'],
          cpu: '512',
          memory: '1024',
          containerDefinitions: [{ name: 'web', image: 'registry.example/web:1', essential: true }],
        },
        tags: [{ key: 'team', value: 'shop' }],
      }),
    );
    const run = await deploy(sandbox, {
      cluster: 'shop',
      services: 'web',
      'task-definition': file,
      images: 'web=registry.example/web:2',
    });
    expect(explain(run)).toMatch(/^exit 0/);
    const body = registered();
    expect(body.cpu).toBe('512');
    expect(body.tags).toEqual([{ key: 'team', value: 'shop' }]);
    for (const field of ['taskDefinitionArn', 'revision', 'status', 'compatibilities', 'registeredAt'])
      expect(body).not.toHaveProperty(field);
  });

  test('wait: false starts the deployments and says so', async () => {
    const run = await deploy(sandbox, {
      cluster: 'shop',
      services: 'web',
      image: 'registry.example/web:2',
      wait: 'false',
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe('started');
    expect(calls(sandbox, 'DescribeServiceDeployments')).toHaveLength(0);
  });
});

describe('changing nothing', () => {
  test('unchanged: the rendered definition equals the running one, so nothing is registered or updated', async () => {
    const run = await deploy(sandbox, {
      cluster: 'shop',
      services: 'web',
      images: 'web=registry.example/web:1',
      environment: 'web:LOG_LEVEL=info',
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe('unchanged');
    expect(run.outputs.changed).toBe('false');
    expect(sandbox.recorder.mutatingCalls()).toEqual([]);
  });

  test('force-new-deployment redeploys the same revision without registering one', async () => {
    const run = await deploy(sandbox, { cluster: 'shop', services: 'web', 'force-new-deployment': 'true' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe('succeeded');
    expect(calls(sandbox, 'RegisterTaskDefinition')).toHaveLength(0);
    expect((calls(sandbox, 'UpdateService')[0]!.params as any).forceNewDeployment).toBe(true);
  });

  test('plan shows what would change, names but not values of the environment, and makes no mutating call', async () => {
    const run = await deploy(sandbox, {
      cluster: 'shop',
      services: 'web,idle',
      images: 'web=registry.example/web:2',
      environment: 'web:LOG_LEVEL=debug-from-a-secret',
      mode: 'plan',
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe('planned');
    expect(sandbox.recorder.mutatingCalls()).toEqual([]);
    expect(run.summary).toContain('### `web`');
    expect(run.summary).toContain('| `web` image | `registry.example/web:1` | `registry.example/web:2` |');
    expect(run.summary).toContain('**Environment of `web` (values not shown)**: `LOG_LEVEL` changed');
    expect(run.outputs.plan!.trimEnd()).toBe(run.summary.trimEnd());
    expect(run.visibleText).not.toContain('debug-from-a-secret');
    expect(json(run, 'previous-task-definition-arns')).toEqual({
      web: expect.stringMatching(/web:1$/),
      idle: expect.stringMatching(/web:1$/),
    });
  });
});

describe('rollback mode', () => {
  test('redeploys the last completed revision', async () => {
    const first = await deploy(sandbox, { cluster: 'shop', services: 'web', image: 'registry.example/web:2' });
    expect(first.outputs.result).toBe('succeeded');
    sandbox.recorder.clear();

    const run = await deploy(sandbox, { cluster: 'shop', services: 'web', mode: 'rollback' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe('succeeded');
    expect(json(run, 'task-definition-arns').web).toMatch(/web:1$/);
    expect(json(run, 'previous-task-definition-arns').web).toMatch(/web:2$/);
    expect(calls(sandbox, 'RegisterTaskDefinition')).toHaveLength(0);
  });

  test('redeploys the revision named in rollback-to', async () => {
    const run = await deploy(sandbox, {
      cluster: 'shop',
      services: 'web',
      mode: 'rollback',
      'rollback-to': 'web=web:1',
      'force-new-deployment': 'true',
    });
    expect(run.exitCode).toBe(0);
    expect(json(run, 'task-definition-arns').web).toMatch(/web:1$/);
  });

  test("takes an earlier run's previous-task-definition-arns as rollback-to", async () => {
    const first = await deploy(sandbox, { cluster: 'shop', services: 'web', image: 'registry.example/web:2' });
    const run = await deploy(sandbox, {
      cluster: 'shop',
      services: 'web',
      mode: 'rollback',
      'rollback-to': first.outputs['previous-task-definition-arns']!,
    });
    expect(run.exitCode).toBe(0);
    expect(json(run, 'task-definition-arns')).toEqual(json(first, 'previous-task-definition-arns'));
  });

  test('without an earlier revision it asks for rollback-to and changes nothing', async () => {
    const run = await deploy(sandbox, { cluster: 'shop', services: 'web', mode: 'rollback' });
    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toMatch(/no earlier completed revision .* name one in "rollback-to"/);
    expect(sandbox.recorder.mutatingCalls()).toEqual([]);
    void explain;
  });
});
