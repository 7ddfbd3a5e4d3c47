// Bad inputs, and inputs that do not match the world: one clear error each, and nothing changed in AWS.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { inputErrors } from '@ecs-ship/testing/input-check';
import { DEPLOY_DEFAULTS, deploy, scenario } from './helpers.js';

/** An AppSpec for a Lambda function: no ECS service resource in it. */
const LAMBDA_APPSPEC = join(mkdtempSync(join(tmpdir(), 'appspec-')), 'appspec.yaml');
writeFileSync(LAMBDA_APPSPEC, 'version: 0.0\nResources:\n  - fn:\n      Type: AWS::Lambda::Function\n');

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: scenario('shop') });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.load(scenario('shop')));

const base = { cluster: 'shop', services: 'web', image: 'registry.example/web:2' };

/** Refused while reading the inputs, before anything is loaded or called. */
const inputCases: [string, Record<string, string>, RegExp][] = [
  ['cluster missing', { cluster: '' }, /^Input "cluster": it is required/],
  ['services missing', { services: '' }, /^Input "services": it is required/],
  ['cluster name with a space', { cluster: 'shop prod' }, /^Input "cluster": "shop prod" is not a cluster name/],
  ['a service listed twice', { services: 'web,web' }, /^Input "services": "web" is listed twice/],
  [
    'malformed image',
    { image: 'Registry/Web:latest!' },
    /^Input "image": "Registry\/Web:latest!" is not an image reference/,
  ],
  [
    'images line without =',
    { image: '', images: 'web registry.example/web:2' },
    /^Input "images": line "web registry.example\/web:2" is not key=value/,
  ],
  [
    'image and images together',
    { images: 'web=registry.example/web:3' },
    /^Input "image": it cannot be combined with "images"/,
  ],
  ['container without image', { image: '', container: 'web' }, /^Input "container": it is set but "image" is not/],
  [
    'force-new-deployment yes',
    { 'force-new-deployment': 'yes' },
    /^Input "force-new-deployment": "yes" is not a boolean/,
  ],
  [
    'circuit-breaker on',
    { 'circuit-breaker': 'on' },
    /^Input "circuit-breaker": "on" is not one of rollback, fail-only/,
  ],
  [
    'strategy misspelt',
    { strategy: 'bluegreen' },
    /^Input "strategy": "bluegreen" is not a deployment strategy \(rolling, blue-green, linear or canary\)\. Use rolling, blue-green, linear or canary/,
  ],
  [
    'a canary parameter without the canary strategy',
    { strategy: 'linear', 'canary-percent': '10' },
    /^Input "canary-percent": it applies only to the canary strategy\. Set "strategy" to canary, or remove "canary-percent"/,
  ],
  [
    'a canary share ECS would refuse',
    { strategy: 'canary', 'canary-percent': '12.34' },
    /^Input "canary-percent": 12\.34 is not a multiple of 0\.1\. Use a multiple of 0\.1 from 0\.1 to 100/,
  ],
  ['timeout-minutes soon', { 'timeout-minutes': 'soon' }, /^Input "timeout-minutes": "soon" is not a duration/],
  [
    'poll interval too short',
    { 'poll-interval-seconds': '0.01' },
    /^Input "poll-interval-seconds": 0.01 seconds is below the minimum 0.1 seconds\. Use at least 0\.1 seconds\.$/,
  ],
  [
    'poll interval longer than the timeout',
    { 'timeout-minutes': '0.5', 'poll-interval-seconds': '120' },
    /^Input "poll-interval-seconds": .*120.*30/,
  ],
  ['mode apply', { mode: 'apply' }, /^Input "mode": "apply" is not one of deploy, plan, rollback/],
  [
    'rollback-to outside rollback mode',
    { 'rollback-to': 'web=web:1' },
    /^Input "rollback-to": it only applies when "mode" is rollback/,
  ],
  ['rollback mode with an image', { mode: 'rollback' }, /^Input "mode": a rollback redeploys earlier revisions/],
  [
    'environment name not a variable name',
    { environment: 'web:1BAD=x' },
    /^Input "environment": "web:1BAD" is not container:NAME/,
  ],
  [
    'task-definition file missing',
    { 'task-definition': 'nowhere/web.json' },
    /^Input "task-definition": the file "nowhere\/web.json" cannot be read/,
  ],
  ['negative desired count', { 'desired-count': '-1' }, /^Input "desired-count": -1 is below the minimum 0/],
  ['wait maybe', { wait: 'maybe' }, /^Input "wait": "maybe" is not a boolean/],
  [
    'codedeploy-appspec file missing',
    { 'codedeploy-appspec': 'nowhere/appspec.yaml' },
    /^Input "codedeploy-appspec": nowhere\/appspec.yaml cannot be read \(ENOENT\)/,
  ],
  [
    'codedeploy-test-listener-url without checks',
    { 'codedeploy-test-listener-url': 'https://test.shop.example:8443' },
    /^Input "codedeploy-test-listener-url": it is set but "codedeploy-smoke-checks" is not/,
  ],
  [
    'codedeploy-application not a CodeDeploy name',
    { 'codedeploy-application': 'my app' },
    /^Input "codedeploy-application": "my app" is not a CodeDeploy name/,
  ],
  [
    'rollback-to JSON that is not an object of strings',
    { image: '', mode: 'rollback', 'rollback-to': '{"web": 7}' },
    /^Input "rollback-to": the JSON is not an object of task definitions by service/,
  ],
];

/** Refused once the action has loaded (the AppSpec and the smoke checks are parsed then), before any AWS call. */
const loadedCases: [string, Record<string, string>, RegExp][] = [
  [
    'codedeploy-appspec without an ECS service resource',
    { 'codedeploy-appspec': LAMBDA_APPSPEC },
    /^Input "codedeploy-appspec": .*appspec.yaml: it has no resource of Type AWS::ECS::Service/,
  ],
  [
    'codedeploy-smoke-checks not a list',
    { 'codedeploy-smoke-checks': 'url: /health' },
    /^Input "codedeploy-smoke-checks": it must be a YAML list of checks/,
  ],
];

/** Valid inputs that do not match the cluster: found by read-only calls before any change. */
const worldCases: [string, Record<string, string>, RegExp][] = [
  ['unknown cluster', { cluster: 'nope' }, /^Input "cluster": cluster "nope" does not exist in eu-west-1/],
  ['unknown service', { services: 'web,ghost' }, /^Service "ghost" does not exist in cluster "shop"/],
  [
    'CODE_DEPLOY service listed with others',
    { services: 'web,legacy' },
    /^Service "legacy" is deployed by CodeDeploy: deploy it in a step of its own/,
  ],
  [
    'CODE_DEPLOY service without its CodeDeploy application',
    { services: 'legacy' },
    /^Input "codedeploy-application": CodeDeploy application "AppECS-shop-legacy" does not exist/,
  ],
  [
    'CODE_DEPLOY service in rollback mode',
    { services: 'legacy', image: '', mode: 'rollback' },
    /^Service "legacy" is deployed by CodeDeploy, which rolls back on its own/,
  ],
  [
    'unknown container in images',
    { image: '', images: 'api=registry.example/api:1' },
    /^Container "api" \(in images\) is in no service's task definition: web has "web", "log-router"/,
  ],
  [
    'unknown container in environment',
    { environment: 'worker:X=1' },
    /^Container "worker" \(in environment\) is in no service's task definition: web has "web", "log-router"/,
  ],
  ['service in another cluster', { cluster: 'other' }, /^Service "web" does not exist in cluster "other"/],
];

// Each row goes through the action's own input check, in this process; the last test below spawns the action to
// prove that its entry runs that check first, reports every problem and calls nothing.
test.each(inputCases)('%s: refused by the input check', (_name, inputs, message) => {
  const errors = inputErrors('ecs-deploy-with-circuit-breaker', { inputs: { ...DEPLOY_DEFAULTS, ...base, ...inputs } });
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(message);
});

test.each(loadedCases)('%s: refused before any AWS call', async (_name, inputs, message) => {
  const run = await deploy(sandbox, { ...base, ...inputs });
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toMatch(message);
  expect(sandbox.recorder.calls()).toEqual([]);
});

test.each(worldCases)('%s: refused after reading only', async (_name, inputs, message) => {
  const run = await deploy(sandbox, { ...base, ...inputs });
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toMatch(message);
  expect(run.errors[0]).toMatch(/nothing was changed\.$|Check the name and the AWS region\.$/);
  expect(run.outputs.result).toBe('failed');
  expect(sandbox.recorder.calls().length).toBeGreaterThan(0);
  expect(sandbox.recorder.mutatingCalls()).toEqual([]);
});

test('every input problem is reported together', async () => {
  const run = await deploy(sandbox, { ...base, wait: 'maybe', mode: 'apply', 'desired-count': 'many' });
  expect(run.exitCode).toBe(1);
  expect(run.errors.map((e) => /^Input "([^"]+)"/.exec(e)?.[1])).toEqual(['desired-count', 'wait', 'mode']);
  expect(sandbox.recorder.calls()).toEqual([]);
});
