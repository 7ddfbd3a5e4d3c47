/**
 * The token scopes a job gets, against GitHub's documented rules ("Controlling permissions for GITHUB_TOKEN"), and
 * the runner enforcing them end to end: a token without a scope meets GitHub's 403, a job without `id-token: write`
 * cannot assume a role through OIDC.
 */
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { parse } from 'yaml';
import { RESTRICTED_DEFAULT, SCOPES, effectivePermissions, grantedScopes } from './permissions.js';
import { runWorkflow, type Workflow } from './runner.js';

describe('effective permissions', () => {
  test('nothing declared anywhere: the restricted default (contents and packages read)', () => {
    expect(effectivePermissions(undefined, undefined, 'j')).toEqual(RESTRICTED_DEFAULT);
    expect(grantedScopes(RESTRICTED_DEFAULT)).toEqual(['contents', 'packages']);
  });

  test('a scope named at the workflow level: every other scope is none, for every job without its own block', () => {
    const permissions = effectivePermissions({ deployments: 'write' }, undefined, 'j');
    expect(grantedScopes(permissions)).toEqual(['deployments']);
    expect(permissions.contents).toBe('none');
  });

  test('a job-level block replaces the workflow-level one; the two are never merged', () => {
    const permissions = effectivePermissions({ contents: 'write', deployments: 'write' }, { 'id-token': 'write' }, 'j');
    expect(grantedScopes(permissions)).toEqual(['id-token']);
  });

  test('read-all, write-all and {}', () => {
    expect(new Set(Object.values(effectivePermissions('read-all', undefined, 'j')))).toEqual(new Set(['read']));
    expect(new Set(Object.values(effectivePermissions(undefined, 'write-all', 'j')))).toEqual(new Set(['write']));
    expect(grantedScopes(effectivePermissions('write-all', {}, 'j'))).toEqual([]);
    expect(Object.keys(effectivePermissions('read-all', undefined, 'j'))).toEqual([...SCOPES]);
  });

  test('a pull request from a fork: read-only, and no id-token', () => {
    const permissions = effectivePermissions({ contents: 'write', 'id-token': 'write' }, undefined, 'j', {
      fromFork: true,
    });
    expect(grantedScopes(permissions)).toEqual(['contents']);
    expect(permissions.contents).toBe('read');
  });

  test.each([
    [{ content: 'read' }, /unknown permission scope "content"/],
    [{ contents: 'admin' }, /must be none, read or write/],
    [{ 'id-token': 'read' }, /either write or none/],
    ['read', /must be read-all, write-all or a map/],
  ])('%j is refused', (block, message) => {
    expect(() => effectivePermissions(block, undefined, 'j')).toThrow(message);
  });
});

describe('the runner enforces them', () => {
  let sandbox: Sandbox;
  const head = 'c'.repeat(40);
  const scenario = { github: { repository: 'acme/shop', commits: [{ sha: head, message: 'head' }] } };
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario });
  });
  beforeEach(() => sandbox.load(scenario));
  afterAll(() => sandbox.stop());

  const workflow = (permissions: unknown): Workflow =>
    parse(
      `
      on: push
      jobs:
        release:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
            - id: tag
              uses: ecs-ship/ecs-ship/actions/tag-release@v1
              with:
                tag: v1.0.0
    `.replace(
        'runs-on: ubuntu-latest',
        `runs-on: ubuntu-latest\n          permissions: ${JSON.stringify(permissions)}`,
      ),
    ) as Workflow;

  test('contents: write creates the tag with the job’s own token', async () => {
    const run = await runWorkflow(workflow({ contents: 'write' }), { event: 'push', env: sandbox.env() });
    expect(run.jobs.release!.result).toBe('success');
    expect(run.jobs.release!.steps[1]!.outputs.tag).toBe('v1.0.0');
  });

  test('contents: read reads the commit but GitHub refuses the tag with 403', async () => {
    const run = await runWorkflow(workflow({ contents: 'read' }), { event: 'push', env: sandbox.env() });
    expect(run.jobs.release!.result).toBe('failure');
    expect(run.jobs.release!.steps[0]!.outcome).toBe('success');
    expect(run.jobs.release!.steps[1]!.stdout).toContain('Resource not accessible by integration');
  });

  test('{} cannot even check the repository out', async () => {
    const run = await runWorkflow(workflow({}), { event: 'push', env: sandbox.env() });
    expect(run.jobs.release!.steps.map((s) => s.outcome)).toEqual(['failure', 'skipped']);
    expect(run.jobs.release!.steps[0]!.stdout).toContain('403 Resource not accessible by integration');
  });

  test('the sandbox’s own token never reaches a step', async () => {
    const run = await runWorkflow(
      parse(`
        on: push
        jobs:
          look:
            runs-on: ubuntu-latest
            steps:
              - id: env
                run: echo "token=\${GITHUB_TOKEN:-none}" >> "$GITHUB_OUTPUT"
      `) as Workflow,
      { event: 'push', env: sandbox.env() },
    );
    expect(run.jobs.look!.steps[0]!.outputs.token).toBe('none');
  });

  test('configure-aws-credentials with role-to-assume needs id-token: write, and fails as the real action does', async () => {
    const oidc = (permissions: unknown) =>
      parse(`
        on: push
        jobs:
          aws:
            runs-on: ubuntu-latest
            permissions: ${JSON.stringify(permissions)}
            steps:
              - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3
                with:
                  role-to-assume: arn:aws:iam::123456789012:role/deploy
                  aws-region: us-east-1
      `) as Workflow;
    const granted = await runWorkflow(oidc({ 'id-token': 'write' }), { event: 'push', env: sandbox.env() });
    expect(granted.jobs.aws!.result).toBe('success');
    const refused = await runWorkflow(oidc({ contents: 'read' }), { event: 'push', env: sandbox.env() });
    expect(refused.jobs.aws!.result).toBe('failure');
    expect(refused.jobs.aws!.steps[0]!.stdout).toContain('Did you mean to set the `id-token` permission?');
    expect(refused.jobs.aws!.steps[0]!.stdout).toContain(
      '::error::Credentials could not be loaded, please check your action inputs: Could not load credentials from any providers',
    );
    const fork = await runWorkflow(oidc({ 'id-token': 'write' }), {
      event: 'pull_request',
      fromFork: true,
      env: sandbox.env(),
    });
    expect(fork.jobs.aws!.result).toBe('failure');
  });
});
