/**
 * The root action end to end: its bundle, run as the runner runs it, against the sandbox with the demo's world and
 * release config. What each release changed is read back from the sandbox (ECS, GitHub, Slack, RDS, the recorder).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { repoRoot, runAction, type ActionRun } from '@ecs-ship/testing';

const GOOD = '8f2b6c41d3e5a7b9c0d2e4f6a8b0c1d3e5f7a9b2';
const BAD = 'd4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3';

let sandbox: Sandbox;
let workspace: string;

function writeConfig(edit: (text: string) => string = (text) => text): void {
  const text = edit(readFileSync(join(repoRoot, 'demo', 'ecs-release.yml'), 'utf8'));
  writeFileSync(join(workspace, '.github', 'ecs-release.yml'), text.replaceAll('${SANDBOX_URL}', sandbox.url));
}

function release(environment: string, sha: string, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runAction('release', {
    inputs: { environment, sha, ...inputs },
    env: { ...sandbox.env(), GITHUB_SHA: sha },
    cwd: workspace,
    timeoutMs: 120_000,
  });
}

function revision(cluster: string, service: string): string {
  const arn = sandbox.state('ecs').service('eu-west-1', cluster, service)!.taskDefinitionArn;
  return arn.replace(/^.*task-definition\//, '');
}

function calls(operation: string): number {
  return sandbox.recorder.calls().filter((call) => call.operation === operation && call.status < 300).length;
}

beforeEach(async () => {
  sandbox = await startSandbox({ scenario: join(repoRoot, 'demo', 'scenario.yaml') });
  workspace = mkdtempSync(join(tmpdir(), 'release-test-'));
  mkdirSync(join(workspace, '.github'));
  writeConfig();
});

afterEach(async () => {
  rmSync(workspace, { recursive: true, force: true });
  await sandbox.stop();
});

test('staging then production: promoted image, migration, deploy, smoke, tag, records and messages', async () => {
  const staging = await release('staging', GOOD);
  expect(staging.exitCode).toBe(0);
  expect(staging.outputs.result).toBe('succeeded');
  expect(revision('shop-staging', 'web')).toBe('shop-staging-web:2');
  expect(revision('shop-production', 'web')).toBe('shop-production-web:1');

  const production = await release('production', GOOD);
  expect(production.exitCode).toBe(0);
  expect(production.outputs).toMatchObject({
    result: 'succeeded',
    'failed-stage': '',
    tag: expect.stringMatching(/^production-\d{4}-\d\d-\d\d-8f2b6c4$/),
  });
  expect(production.outputs['image-ref']).toMatch(/\/shop@sha256:[0-9a-f]{64}$/);
  expect(JSON.parse(production.outputs['task-definition-arns']!)).toEqual({
    web: expect.stringMatching(/shop-production-web:2$/),
    worker: expect.stringMatching(/shop-production-worker:2$/),
    api: expect.stringMatching(/shop-production-api:2$/),
  });
  for (const service of ['web', 'worker', 'api'])
    expect(revision('shop-production', service)).toBe(`shop-production-${service}:2`);
  // The snapshot came before the migration task, and no image was rebuilt: promotion is one PutImage per new tag.
  const order = sandbox.recorder.calls().map((call) => call.operation);
  expect(order.indexOf('CreateDBSnapshot')).toBeGreaterThan(-1);
  expect(order.indexOf('CreateDBSnapshot')).toBeLessThan(order.lastIndexOf('RunTask'));
  expect(calls('PutImage')).toBe(2);
  expect(calls('git.createTag')).toBe(1);
  expect(calls('repos.createRelease')).toBe(1);
  expect(production.summary).toContain('Release of `8f2b6c4` to production: succeeded');
  expect(production.summary).toMatch(
    /\| Snapshot \| ✅ succeeded \| .* \| pre-migration-production-\d{4}-\d\d-\d\d-\d{6}-8f2b6c4 of instance shop-production available \|/,
  );
  expect(production.summary).toMatch(/\| Migration \| ✅ succeeded \|/);
  // The deployment record keeps the snapshot, for a rollback.
  const record = sandbox.state('github').deployments.find((d) => d.environment === 'production' && d.sha === GOOD)!;
  expect(record.payload).toMatchObject({
    snapshot: {
      id: expect.stringMatching(/^pre-migration-production-/),
      kind: 'instance',
      database: 'shop-production',
      arn: expect.stringMatching(/^arn:aws:rds:eu-west-1:123456789012:snapshot:pre-migration-production-/),
    },
  });
  const texts = sandbox
    .state('slack')
    .delivered()
    .map((message) => message.text ?? '');
  expect(texts).toHaveLength(4);
  expect(texts[3]).toContain('succeeded');
  // The outcome message links the migration's snapshot, task and logs to their consoles, as the summary does.
  const outcome = JSON.stringify(sandbox.state('slack').delivered()[3]!.blocks);
  expect(outcome).toContain('*Migration* — exit code 0');
  expect(outcome).toMatch(
    /• snapshot <https:\/\/eu-west-1\.console\.aws\.amazon\.com\/rds\/home\?region=eu-west-1#db-snapshot:id=pre-migration-production-[^|]+\|pre-migration-production-/,
  );
  expect(outcome).toContain('#logsV2:log-groups/log-group/');
});

test('an image that fails its health checks: reported with ECS reason, rolled back, not tagged, notified', async () => {
  const run = await release('production', BAD);
  expect(run.exitCode).toBe(1);
  expect(run.outputs.result).toBe('rolled-back');
  expect(run.outputs['failed-stage']).toBe('deploy');
  expect(run.outputs['failure-reason']).toContain('ECS deployment circuit breaker');
  expect(run.errors.some((error) => error.includes('rolled-back at the deploy stage'))).toBe(true);
  for (const service of ['web', 'worker', 'api']) {
    await sandbox.waitFor(() => revision('shop-production', service) === `shop-production-${service}:1`, {
      timeoutMs: 20_000,
      description: `${service} back on its previous revision`,
    });
  }
  expect(calls('git.createTag')).toBe(0);
  expect(calls('git.createRef')).toBe(0);
  const last = sandbox.state('slack').delivered().at(-1);
  expect(last?.text).toMatch(/rolled back/i);
  // The failure message says why in the tasks' own words: the newest failed task of the new deployment.
  expect(run.outputs['failure-reason']).toMatch(/stopped task [0-9a-f]{8}: Task failed container health checks/);
  expect(JSON.stringify(last?.blocks)).toMatch(/stopped task [0-9a-f]{8}: Task failed container health checks/);
  expect(run.summary).toContain('Stopped tasks of the failed deployments');
  // The summary gives the reason first, whole, then the stages, whose rows are cut at a word boundary.
  const [top, table] = run.summary.split('| Stage |');
  expect(top).toMatch(/^> .*ECS deployment circuit breaker/m);
  const cell = /^\| Deploy \| ❌ failed \| [^|]+ \| (.*) \|$/m.exec(table!)?.[1] ?? '';
  expect(cell).toMatch(/^\w+: .*circuit breaker.*\S…$/);
  expect(cell.replace(/\\\|/g, '|').length).toBeLessThanOrEqual(200);
  // Not tagged, but recorded as a failed deployment with the snapshot the release took before it migrated.
  const record = sandbox.state('github').deployments.find((d) => d.environment === 'production' && d.sha === BAD)!;
  expect(record.statuses.map((status) => status.state)).toEqual(['failure']);
  const snapshotId = (record.payload as { snapshot: { id: string } }).snapshot.id;
  expect(record.payload).toMatchObject({
    tag: '',
    result: 'rolled-back',
    'failed-stage': 'deploy',
    'failure-reason': expect.stringContaining('ECS deployment circuit breaker'),
    snapshot: { kind: 'instance', database: 'shop-production' },
  });
  expect(sandbox.state('rds').snapshot('instance', 'eu-west-1', snapshotId)).toBeDefined();
  expect(run.summary).toMatch(
    /\| Tag and record \| ✅ succeeded \| .* \| an earlier stage failed: nothing tagged; deployment \d+ recorded as failed with snapshot pre-migration-production-/,
  );
});

test('a snapshot stage without a migration: the database is snapshotted before the deploy, and recorded', async () => {
  writeFileSync(
    join(workspace, '.github', 'ecs-release.yml'),
    [
      'environments:',
      '  production:',
      '    region: eu-west-1',
      '    cluster: shop-production',
      '    services: [{ name: web, containers: [app] }]',
      "    image: { repository: shop, source: promote, from: '{sha}', tags: ['production-{sha7}'] }",
      "    snapshot: { db-instance: shop-production, id: 'pre-release-{env}-{sha7}' }",
      '    deploy: { poll-interval-seconds: 1, timeout-minutes: 5 }',
      '    deployment-record: {}',
      '',
    ].join('\n'),
  );
  const run = await release('production', GOOD, { stages: 'image, snapshot, deploy, tag' });
  expect([run.exitCode, run.errors]).toEqual([0, []]);
  const order = sandbox.recorder.calls().map((call) => call.operation);
  expect(order).not.toContain('RunTask');
  expect(order.indexOf('CreateDBSnapshot')).toBeGreaterThan(-1);
  expect(order.lastIndexOf('DescribeDBSnapshots')).toBeLessThan(order.indexOf('UpdateService'));
  expect(run.summary).toMatch(
    /\| Snapshot \| ✅ succeeded \| .* \| pre-release-production-8f2b6c4 of instance shop-production available \|/,
  );
  expect(run.summary).toContain('| Migration | ⏭️ skipped | — | no migration in the config |');
  const snapshot = sandbox.state('rds').snapshot('instance', 'eu-west-1', 'pre-release-production-8f2b6c4')!;
  expect(Object.fromEntries(snapshot.tags.map((t) => [t.Key, t.Value]))).toMatchObject({
    'ecs-ship:created-by': 'release',
    'ecs-ship:environment': 'production',
    'ecs-ship:sha': GOOD,
  });
  const record = sandbox.state('github').deployments.find((d) => d.environment === 'production' && d.sha === GOOD)!;
  expect(record.payload).toMatchObject({ snapshot: { id: 'pre-release-production-8f2b6c4' } });
});

test('Slack hears of a failed deploy within one poll of FAILED, then of the rollback once it is confirmed', async () => {
  const run = await release('production', BAD);
  expect(run.outputs.result).toBe('rolled-back');
  // When ECS marked the first deployment FAILED and started rolling it back.
  const failedAt = Math.min(
    ...['web', 'worker', 'api'].flatMap((service) =>
      sandbox
        .state('ecs')
        .service('eu-west-1', 'shop-production', service)!
        .records.flatMap((record) => (record.rollback ? [record.rollback.startedAt] : [])),
    ),
  );
  expect(failedAt).toBeLessThan(Infinity);
  const posts = sandbox.state('slack').posts.filter((post) => post.status === 200);
  const text = (post: (typeof posts)[number]) => String(post.payload?.text ?? '');
  const notices = posts.filter((post) => /failed, ECS is rolling back/.test(text(post)));
  expect(notices).toHaveLength(1);
  // The demo config polls every second: the notice follows FAILED by at most that, plus a little for the post.
  expect(notices[0]!.at - failedAt).toBeLessThan(1000 + 1000);
  const outcome = posts.at(-1)!;
  expect(text(outcome)).toMatch(/rolled back/i);
  expect(outcome.at).toBeGreaterThan(notices[0]!.at);
  expect(run.summary).toMatch(/\| Notify failure \| ✅ succeeded \|/);
});

test('promote refuses to move a tag to another image unless the config allows it', async () => {
  const RUNNING = '3c1d9e7a5b2f4c6d8e0a1b3c5d7e9f1a2b4c6d8e';
  const digest = (tag: string) => sandbox.state('ecr').repository('eu-west-1', 'shop').tags.get(tag);
  const before = digest(RUNNING);
  // The tag of the image production runs today, asked for the new image as well.
  writeConfig((text) => text.replace("tags: ['production-{sha7}']", `tags: ['production-{sha7}', '${RUNNING}']`));
  const refused = await release('production', GOOD, { stages: 'image' });
  expect(refused.exitCode).toBe(1);
  expect(refused.outputs).toMatchObject({ result: 'failed', 'failed-stage': 'image' });
  expect(refused.outputs['failure-reason']).toMatch(
    new RegExp(`^Tag "${RUNNING}" already points at sha256:\\w+ in "shop".* set image\\.allow-tag-move: true`),
  );
  expect(calls('PutImage')).toBe(0);
  expect(digest(RUNNING)).toBe(before);

  writeConfig((text) =>
    text.replace(
      "tags: ['production-{sha7}']",
      `tags: ['production-{sha7}', '${RUNNING}']\n      allow-tag-move: true`,
    ),
  );
  const moved = await release('production', GOOD, { stages: 'image' });
  expect(moved.exitCode).toBe(0);
  expect(digest(RUNNING)).toBe(digest(GOOD));
  expect(moved.warnings).toEqual([
    expect.stringMatching(new RegExp(`^Moved tag ${RUNNING} from ${before} to sha256:`)),
  ]);
  expect(moved.summary).toMatch(new RegExp(`moved ${RUNNING} from sha256:`));
});

test('failing smoke tests roll the services back to their previous revisions', async () => {
  writeConfig((text) =>
    text
      .replace('/apps/shop-staging/web/health', '/apps/shop-staging/no-such-service/health')
      .replace('wait-for-healthy-seconds: 20', 'wait-for-healthy-seconds: 1'),
  );
  const run = await release('staging', GOOD);
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ result: 'rolled-back', 'failed-stage': 'smoke' });
  expect(run.summary).toMatch(/\| Rollback \| ✅ succeeded \|/);
  expect(revision('shop-staging', 'web')).toBe('shop-staging-web:1');
  expect(revision('shop-staging', 'worker')).toBe('shop-staging-worker:1');
});

test('a dry run changes nothing and says what would happen', async () => {
  const run = await release('production', GOOD, { 'dry-run': 'true' });
  expect(run.exitCode).toBe(0);
  expect(run.outputs.result).toBe('planned');
  expect(sandbox.recorder.mutatingCalls()).toEqual([]);
  expect(sandbox.state('slack').delivered()).toEqual([]);
});

test.each([
  ['an unknown environment', (t: string) => t, 'qa', /Environment "qa" is not in the release config/],
  [
    'a config with an unknown key',
    (t: string) => t.replace('    cluster: shop-staging', '    cluster: shop-staging\n    colour: blue'),
    'staging',
    /not a valid release config: .*colour/,
  ],
  [
    'smoke checks with a bad URL',
    (t: string) => t.replace('url: ${SANDBOX_URL}/apps/shop-staging/web/health', 'url: not a url'),
    'staging',
    /smoke checks in the config are not valid/,
  ],
])('%s is refused before anything changes', async (_, edit, environment, message) => {
  writeConfig(edit);
  const run = await release(environment, GOOD);
  expect(run.exitCode).toBe(1);
  expect(run.errors.join('\n')).toMatch(message);
  expect(sandbox.recorder.mutatingCalls()).toEqual([]);
  expect(sandbox.state('slack').delivered()).toEqual([]);
});

test('a missing config file names the input', async () => {
  const run = await release('staging', GOOD, { config: '.github/nowhere.yml' });
  expect(run.exitCode).toBe(1);
  expect(run.errors[0]).toMatch(/^Input "config": the file ".github\/nowhere.yml" does not exist/);
  expect(sandbox.recorder.calls()).toEqual([]);
});

test("the environment's deploy strategy is applied to its services and followed stage by stage", async () => {
  // Production deploys only api (the canary service behind the load balancer), now as a linear deployment.
  writeConfig((text) =>
    text
      .replace(
        '      - { name: web, containers: [app] }\n      - { name: worker, containers: [app] }\n      - { name: api, containers: [app] }',
        '      - { name: api, containers: [app] }',
      )
      .replace(
        '    deploy:\n      poll-interval-seconds: 1\n      timeout-minutes: 5\n    smoke:\n      version-header: X-App-Version\n      wait-for-healthy-seconds: 20\n      consecutive-successes: 3',
        '    deploy:\n      poll-interval-seconds: 0.2\n      timeout-minutes: 5\n      strategy: linear\n      linear-step-percent: 50\n      linear-step-bake-minutes: 1\n    smoke:\n      version-header: X-App-Version\n      wait-for-healthy-seconds: 20\n      consecutive-successes: 3',
      ),
  );
  const run = await release('production', GOOD, { stages: 'image,deploy' });
  expect(run.exitCode).toBe(0);
  const update = sandbox.recorder.calls({ operation: 'UpdateService' })[0]!.params as any;
  expect(update.deploymentConfiguration).toMatchObject({
    strategy: 'LINEAR',
    bakeTimeInMinutes: 1,
    linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 1 },
  });
  expect(update.deploymentConfiguration.canaryConfiguration).toBeUndefined();
  const stages = run.lines.flatMap((line) => /api: stage ([A-Z_]+)/.exec(line)?.[1] ?? []);
  expect(stages.at(0)).toBe('PRE_SCALE_UP');
  expect(stages.at(-1)).toBe('CLEAN_UP');
  expect(new Set(stages).size).toBe(stages.length);
  expect(run.lines).toContainEqual(expect.stringMatching(/api: .*production traffic 50% to shop-production-api:2/));
  expect(revision('shop-production', 'api')).toBe('shop-production-api:2');
});
