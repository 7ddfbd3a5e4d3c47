// After a failed rollout the deploy says why in the tasks' own words: the stopped tasks' reasons, exit codes and
// last log lines, in the log, the summary and failure-reason; checked against what the AWS CLI shows of those tasks.
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { actUnder, documentedPolicy, withoutAction } from '@ecs-ship/testing/iam';
import { awsCli, calls, deploy, explain, scenario } from './helpers.js';

let sandbox: Sandbox;

/** The shop with awslogs on the web container and an image that crashes with a message after a second. */
function world(): Record<string, any> {
  const shop = scenario('shop');
  shop.ecs.images['registry.example/web:crash'] = {
    behaviour: 'crashes',
    startDelay: 1,
    after: 1,
    exitCode: 3,
    logLines: ['booting shop 2.0', '::error::not a workflow command', 'Error: DATABASE_URL is not set'],
  };
  shop.ecs.taskDefinitions[0].containerDefinitions[0].logConfiguration = {
    logDriver: 'awslogs',
    options: { 'awslogs-group': '/ecs/shop', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'web' },
  };
  return shop;
}

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: world() });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(world()));

test('a crashing image: the stopped tasks, exit codes and last log lines in the log, summary and failure-reason', async () => {
  const run = await deploy(sandbox, {
    cluster: 'shop',
    services: 'web',
    image: 'registry.example/web:crash',
    'diagnose-log-lines': '2',
  });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.result).toBe('rolled-back');
  const reason = run.outputs['failure-reason']!;
  expect(reason).toMatch(/^web: .*circuit breaker/);
  expect(reason).toMatch(
    / \| web: stopped task [0-9a-f]{8}: Essential container in task exited \(web: exit 3\) last log line: "Error: DATABASE_URL is not set"$/,
  );

  // At most three tasks, newest first, each its own group in the log and its own section in the summary.
  const groups = run.stdout.split('\n').filter((line) => line.startsWith('::group::web: stopped task '));
  expect(groups.length).toBeGreaterThanOrEqual(1);
  expect(groups.length).toBeLessThanOrEqual(3);
  const sections = run.summary.match(/<details><summary>web: task [0-9a-f]{8}: /g);
  expect(sections).toHaveLength(groups.length);
  expect(run.summary).toMatch(/<details><summary>web: task [0-9a-f]{8}: Essential container in task exited/);
  expect(run.summary).toContain('### Stopped tasks of the failed deployments');
  expect(run.summary).toContain('container web: exit 3');
  expect(run.summary).toContain('last 2 line(s) of /ecs/shop web/web/');
  expect(run.summary).toContain('  | Error: DATABASE_URL is not set');
  expect(run.summary).not.toContain('booting shop 2.0');
  // A container's line never acts as a workflow command.
  expect(run.errors.some((error) => error.includes('not a workflow command'))).toBe(false);

  // What the step reported is what the AWS CLI shows of the same tasks.
  const [, taskId] = /^::group::web: stopped task ([0-9a-f]{32}) /.exec(groups[0]!)!;
  const described = await awsCli(sandbox, 'ecs', 'describe-tasks', '--cluster', 'shop', '--tasks', taskId!);
  const task = described.tasks[0];
  expect(task.lastStatus).toBe('STOPPED');
  expect(task.stopCode).toBe('EssentialContainerExited');
  expect(run.summary).toContain(`stopCode: ${task.stopCode}`);
  expect(run.summary).toContain(`stoppedReason: ${task.stoppedReason}`);
  const web = task.containers.find((c: any) => c.name === 'web');
  expect(web.exitCode).toBe(3);
  const events = await awsCli(
    sandbox,
    'logs',
    'get-log-events',
    '--log-group-name',
    '/ecs/shop',
    '--log-stream-name',
    `web/web/${taskId}`,
  );
  expect(events.events.at(-1).message).toBe('Error: DATABASE_URL is not set');
  expect(task.startedBy).toBe(JSON.parse(run.outputs['deployment-ids']!).web);
});

test('an image that cannot be pulled: the reason of a container that never ran, without an exit code', async () => {
  const run = await deploy(sandbox, { cluster: 'shop', services: 'web', image: 'registry.example/web:bad' });
  expect(explain(run)).toMatch(/^exit 1/);
  expect(run.outputs['failure-reason']).toMatch(
    /\| web: stopped task [0-9a-f]{8}: CannotPullContainerError: pull image manifest has been retried 5 time\(s\) \(web: no exit code, CannotPullContainerError/,
  );
  expect(run.summary).toContain('stopCode: TaskFailedToStart');
  expect(run.summary).toMatch(/last 0 line\(s\) of \/ecs\/shop web\/web\/[0-9a-f]{32}:/);
});

test('diagnose-tasks 0 describes nothing', async () => {
  const run = await deploy(sandbox, {
    cluster: 'shop',
    services: 'web',
    image: 'registry.example/web:crash',
    'diagnose-tasks': '0',
  });
  expect(run.exitCode).toBe(1);
  expect(calls(sandbox, 'ListTasks')).toHaveLength(0);
  expect(run.outputs['failure-reason']).not.toContain('stopped task');
});

test('a successful deploy reads no task', async () => {
  const run = await deploy(sandbox, { cluster: 'shop', services: 'web', image: 'registry.example/web:2' });
  expect(run.exitCode).toBe(0);
  expect(calls(sandbox, 'ListTasks')).toHaveLength(0);
  expect(calls(sandbox, 'DescribeTasks')).toHaveLength(0);
});

test('without ecs:ListTasks in the policy the failure is still reported, with a warning instead of the tasks', async () => {
  const policy = documentedPolicy('ecs-deploy-with-circuit-breaker');
  actUnder(sandbox, 'ecs-deploy-with-circuit-breaker', withoutAction(policy, 'ecs:ListTasks'));
  const run = await deploy(sandbox, { cluster: 'shop', services: 'web', image: 'registry.example/web:crash' });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.result).toBe('rolled-back');
  expect(run.outputs['failure-reason']).toMatch(/^web: .*circuit breaker/);
  expect(run.outputs['failure-reason']).not.toContain('stopped task');
  expect(run.warnings).toContainEqual(
    expect.stringMatching(/^web: could not describe the stopped tasks \(.*AccessDenied.*ecs:ListTasks/),
  );
});
