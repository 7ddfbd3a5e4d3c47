// Secrets by reference: the deploy action writes `valueFrom` entries, never a value, and the registered revision is
// read back through the sandbox and through the AWS CLI (a client the project did not write).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { awsCli, calls, deploy, explain, scenario } from './helpers.js';

const DB_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db-AbCdEf';
const API_KEY = 'arn:aws:ssm:eu-west-1:123456789012:parameter/shop/api-key';
/** The password as a template once held it in clear; it must not travel any further. */
const PLAIN = 'hunter2-plain-password';

let sandbox: Sandbox;
let folder: string;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: scenario('shop') });
});
afterAll(() => sandbox.stop());
beforeEach(() => {
  sandbox.load(scenario('shop'));
  folder = mkdtempSync(join(tmpdir(), 'secrets-'));
});

function template(extra: Record<string, unknown> = {}): string {
  const file = join(folder, 'web.json');
  writeFileSync(
    file,
    JSON.stringify({
      family: 'web',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      executionRoleArn: 'arn:aws:iam::123456789012:role/shop-task-execution',
      containerDefinitions: [
        {
          name: 'web',
          image: 'registry.example/web:1',
          essential: true,
          environment: [
            { name: 'LOG_LEVEL', value: 'info' },
            { name: 'DB_PASSWORD', value: PLAIN },
          ],
        },
      ],
      ...extra,
    }),
  );
  return file;
}

test('a secret becomes valueFrom in the registered revision, and its plain value appears nowhere', async () => {
  const run = await deploy(sandbox, {
    cluster: 'shop',
    services: 'web',
    'task-definition': template(),
    images: 'web=registry.example/web:2',
    secrets: `web:DB_PASSWORD=${DB_SECRET}\nweb:API_KEY=${API_KEY}`,
  });
  expect(explain(run)).toMatch(/^exit 0/);
  expect(run.outputs.result).toBe('succeeded');

  const expected = [
    { name: 'DB_PASSWORD', valueFrom: DB_SECRET },
    { name: 'API_KEY', valueFrom: API_KEY },
  ];
  const sent = calls(sandbox, 'RegisterTaskDefinition')[0]!.params as any;
  expect(sent.containerDefinitions[0].secrets).toEqual(expected);
  expect(sent.containerDefinitions[0].environment).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);

  // Read back as a user would: the revision the service now runs, through the AWS CLI.
  const described = await awsCli(sandbox, 'ecs', 'describe-services', '--cluster', 'shop', '--services', 'web');
  const revision = described.services[0].taskDefinition as string;
  expect(revision).toMatch(/:task-definition\/web:2$/);
  const { taskDefinition } = await awsCli(sandbox, 'ecs', 'describe-task-definition', '--task-definition', revision);
  const web = taskDefinition.containerDefinitions.find((c: any) => c.name === 'web');
  expect(web.secrets).toEqual(expected);
  expect(web.environment).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
  expect(taskDefinition.executionRoleArn).toBe('arn:aws:iam::123456789012:role/shop-task-execution');

  const everything = [
    run.stdout,
    run.stderr,
    run.summary,
    JSON.stringify(run.outputs),
    JSON.stringify(taskDefinition),
    JSON.stringify(sandbox.recorder.calls().map((call) => call.params)),
  ];
  for (const text of everything) expect(text).not.toContain(PLAIN);
});

test('plan mode shows the secret references and hides the plain value they replace', async () => {
  // The running revision still holds the password in clear; the plan moves it to a secret.
  const world = scenario('shop');
  const running = world.ecs.taskDefinitions[0];
  running.executionRoleArn = 'arn:aws:iam::123456789012:role/shop-task-execution';
  running.containerDefinitions[0].environment.push({ name: 'DB_PASSWORD', value: PLAIN });
  sandbox.load(world);
  const run = await deploy(sandbox, {
    cluster: 'shop',
    services: 'web',
    secrets: `web:DB_PASSWORD=${DB_SECRET}`,
    mode: 'plan',
  });
  expect(explain(run)).toMatch(/^exit 0/);
  // The plan names variables and secrets, never their values or where a secret is read from.
  expect(run.summary).toContain('**Environment of `web` (values not shown)**: `DB_PASSWORD` removed');
  expect(run.summary).toContain('**Secrets of `web` (values not shown)**: `DB_PASSWORD` added');
  for (const text of [run.stdout, run.summary, run.outputs.plan ?? '']) {
    expect(text).not.toContain(PLAIN);
    expect(text).not.toContain(DB_SECRET);
  }
  expect(sandbox.recorder.mutatingCalls()).toEqual([]);
});

test.each([
  [
    'an environment value that is a secret ARN',
    { environment: `web:DB_PASSWORD=${DB_SECRET}` },
    /^Input "environment": web:DB_PASSWORD: ".*" is a secret reference: .*\. Give secret references in "secrets"/,
  ],
  [
    'a secret that is not an ARN (perhaps the secret itself: masked, never repeated)',
    { secrets: `web:DB_PASSWORD=${PLAIN}` },
    /^Input "secrets": the value of web:DB_PASSWORD is not a Secrets Manager secret ARN or an SSM parameter ARN\. Use arn:aws:secretsmanager:/,
  ],
  [
    'a secret also given as an environment variable',
    { secrets: `web:DB_PASSWORD=${DB_SECRET}`, environment: 'web:DB_PASSWORD=x' },
    /^Input "secrets": web:DB_PASSWORD is also set in "environment"\./,
  ],
])('%s is refused before any AWS call', async (_name, inputs, message) => {
  const run = await deploy(sandbox, { cluster: 'shop', services: 'web', ...inputs });
  expect(run.exitCode).toBe(1);
  expect(run.errors[0]).toMatch(message);
  expect(sandbox.recorder.calls()).toEqual([]);
});

test('secrets for a definition without an execution role are refused before anything changes', async () => {
  const run = await deploy(sandbox, {
    cluster: 'shop',
    services: 'web',
    secrets: `web:DB_PASSWORD=${DB_SECRET}`,
  });
  expect(run.exitCode).toBe(1);
  expect(run.errors[0]).toMatch(/task definition "web" has no executionRoleArn, .*; nothing was changed\.$/);
  expect(sandbox.recorder.mutatingCalls()).toEqual([]);
});

test('secrets for a container no service has are refused by name', async () => {
  const run = await deploy(sandbox, {
    cluster: 'shop',
    services: 'web',
    'task-definition': template(),
    secrets: `api:DB_PASSWORD=${DB_SECRET}`,
  });
  expect(run.exitCode).toBe(1);
  expect(run.errors[0]).toMatch(/^Container "api" \(in secrets\) is in no service's task definition: web has "web"\./);
  expect(sandbox.recorder.mutatingCalls()).toEqual([]);
});
