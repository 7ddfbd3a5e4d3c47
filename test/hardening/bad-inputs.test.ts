/**
 * The suite-wide bad-input table: malformed inputs for every action, and malformed release config files. Each row
 * must end with one-line `::error::`s naming the input (or the config file and key). The input rows go through each
 * action's own input check (@ecs-ship/testing/input-check), the config rows through the release's config check.
 * Each action's first input row, the first config row and every row that only a run refuses runs the action through
 * the harness against one sandbox that holds everything the actions could touch (ECR, ECS, Logs, RDS, GitHub,
 * Slack), and must end with exit 1 and not a single call to the sandbox: nothing changed, posted or read.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { ACTION_NAMES, runAction, type ActionName } from '@ecs-ship/testing';
import { inputErrors, releaseConfigErrors } from '@ecs-ship/testing/input-check';

const SCENARIO = fileURLToPath(new URL('../../demo/scenario.yaml', import.meta.url));
const OLD = '3c1d9e7a5b2f4c6d8e0a1b3c5d7e9f1a2b4c6d8e';
const NEW = '8f2b6c41d3e5a7b9c0d2e4f6a8b0c1d3e5f7a9b2';
const IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:${NEW}`;
const CONFIG = '.github/ecs-release.yml';

let sandbox: Sandbox;
let env: Record<string, string>;
let githubAtStart: number[];

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: SCENARIO });
  env = sandbox.env();
  const github = sandbox.state('github');
  githubAtStart = [github.refs.size, github.tagObjects.size, github.releases.length, github.deployments.length];
});
afterAll(() => sandbox.stop());

/** One row: an action, the inputs over its valid base, the input named, and the error expected after the name. */
interface Row {
  action: ActionName;
  inputs: Record<string, string>;
  input: string;
  error: RegExp;
  /** For the release action: the config file written to the workspace (a valid one by default). */
  config?: string;
  /** The config key at fault, for the row's name. */
  key?: string;
  /** Refused by the run itself once the action has loaded, not by its input check: such a row is always spawned. */
  byRun?: true;
}

/** Valid inputs per action, so that each row breaks exactly one thing. */
function base(action: ActionName): Record<string, string> {
  switch (action) {
    case 'build-push-ecr':
      return { repository: 'shop', 'source-tag': OLD, tags: 'staging' };
    case 'run-migration-task':
      return {
        cluster: 'shop-production',
        'task-definition': 'shop-production-migrate',
        image: IMAGE,
        command: 'npm run migrate',
        'launch-type': 'FARGATE',
        subnets: 'subnet-0a1b2c3d',
        'security-groups': 'sg-0a1b2c3d',
      };
    case 'ecs-deploy-with-circuit-breaker':
      return { cluster: 'shop-production', services: 'web', image: IMAGE };
    case 'smoke-test':
      return { checks: `- name: health\n  url: ${sandbox.url}/_never/health` };
    case 'tag-release':
      return { tag: 'production-{date}-{sha7}', 'deployment-environment': 'production' };
    case 'notify-slack':
      return { 'webhook-url': env.SLACK_WEBHOOK_URL!, status: 'succeeded', environment: 'production' };
    case 'rds-snapshot':
      return { 'db-instance': 'shop-production' };
    case 'rds-restore':
      return { 'db-instance': 'shop-production', 'snapshot-id': 'pre-release-1', confirm: 'shop-production-restored' };
    case 'release':
      return { environment: 'production', sha: NEW };
  }
}

const row = (action: ActionName, input: string, inputs: Record<string, string>, error: RegExp): Row => ({
  action,
  inputs,
  input,
  error,
});
/** A row that the run refuses, after the input check (the smoke checks' spec, the release's config file). */
const byRun = (r: Row): Row => ({ ...r, byRun: true });

const VALID_CONFIG = `environments:
  production:
    cluster: shop-production
    services: [web, worker]
    image: { repository: shop, source: promote }
    migration:
      task-definition: shop-production-migrate
      command: [npm, run, migrate]
    smoke:
      base-url: https://shop.example.com
      checks: [{ name: health, url: /health }]
    tag: { template: 'production-{date}-{sha7}' }
`;

/** A release config row: the file's text and the key its error must name. */
const config = (key: string, text: string, error: RegExp): Row => ({
  action: 'release',
  inputs: {},
  input: 'config',
  error,
  config: text,
  key,
});
/** The valid config with one line replaced (by its start) or added under the environment. */
const edit = (from: string, to: string) => {
  if (!VALID_CONFIG.includes(from)) throw new Error(`The base config has no "${from}"`);
  return VALID_CONFIG.replace(from, to);
};

const BP = 'build-push-ecr';
const RM = 'run-migration-task';
const DEP = 'ecs-deploy-with-circuit-breaker';
const ST = 'smoke-test';
const TR = 'tag-release';
const NS = 'notify-slack';
const RL = 'release';
const SNAP = 'rds-snapshot';
const RES = 'rds-restore';

const ROWS: Row[] = [
  // rds-snapshot
  row(SNAP, 'mode', { mode: 'backup' }, /"backup" is not one of create, prune/),
  row(SNAP, 'db-instance', { 'db-instance': 'shop_production' }, /is not a DB instance identifier/),
  row(SNAP, 'db-cluster', { 'db-cluster': 'shop-aurora' }, /cannot be combined with "db-instance"/),
  row(SNAP, 'snapshot-id', { 'snapshot-id': 'pre-{branch}' }, /\{branch\} is not a placeholder/),
  row(SNAP, 'snapshot-id', { 'snapshot-id': '{env}-before' }, /\{env\} has no value in this run/),
  row(SNAP, 'poll-interval-seconds', { 'timeout-minutes': '1', 'poll-interval-seconds': '5m' }, /is longer than/),
  row(SNAP, 'keep-newest', { mode: 'prune', 'keep-newest': '0' }, /0 is below the minimum 1/),
  row(SNAP, 'delete-older-than-days', { 'delete-older-than-days': '30' }, /applies to mode prune, not create/),
  // rds-restore
  row(RES, 'confirm', { confirm: 'yes' }, /"yes" does not confirm this restore\. Type "shop-production-restored"/),
  row(RES, 'confirm', { swap: 'true' }, /Type "shop-production-restored replaces shop-production" exactly/),
  row(RES, 'target-id', { 'target-id': 'shop-production', confirm: 'shop-production' }, /a restore never replaces/),
  row(RES, 'snapshot-id', { 'snapshot-id': 'pre--release' }, /is not a snapshot identifier/),
  row(RES, 'instance-class', { 'instance-class': 'r6g.large' }, /is not an RDS instance class/),
  row(RES, 'security-groups', { 'security-groups': 'default' }, /"default" is not/),
  row(RES, 'tags', { tags: 'aws:owner=me' }, /is not a tag key/),
  row(RES, 'cluster-instance-id', { 'cluster-instance-id': 'shop-1' }, /only applies to "db-cluster"/),
  row(RES, 'swap', { swap: 'yes' }, /"yes" is not a boolean/),
  // build-push-ecr
  row(BP, 'repository', { repository: '' }, /it is required/),
  row(BP, 'repository', { repository: 'Shop/Web' }, /"Shop\/Web" is not a valid ECR repository name/),
  row(
    BP,
    'repository',
    { repository: '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop' },
    /the URI names region us-east-1 but AWS_REGION is eu-west-1/,
  ),
  row(BP, 'tags', { tags: 'v1 beta' }, /"v1 beta" is not a valid image tag/),
  row(BP, 'tags', { tags: '.hidden' }, /"\.hidden" is not a valid image tag/),
  row(BP, 'tags', { tags: 'staging,staging' }, /a tag is listed twice/),
  row(BP, 'tags', { tags: `release\n$(touch /tmp/x)` }, /is not a valid image tag/),
  row(BP, 'create-repository', { 'create-repository': 'yes' }, /"yes" is not a boolean/),
  row(BP, 'tag-mutability', { 'tag-mutability': 'READONLY' }, /"READONLY" is not one of MUTABLE, IMMUTABLE/),
  row(BP, 'encryption', { encryption: 'RSA' }, /"RSA" is not one of AES256, KMS/),
  row(BP, 'kms-key', { 'kms-key': 'alias/shop' }, /a KMS key only applies with encryption: KMS/),
  row(BP, 'fail-on-severity', { 'fail-on-severity': 'SEVERE' }, /"SEVERE" is not one of CRITICAL/),
  row(BP, 'scan-timeout', { 'scan-timeout': 'forever' }, /"forever" is not a duration/),
  row(BP, 'chunk-size', { 'chunk-size': '1024' }, /1024 is below the minimum 5242880/),
  row(BP, 'source-digest', { 'source-tag': '', 'source-digest': 'sha256:abc' }, /"sha256:abc" is not a digest/),
  row(BP, 'source-digest', { 'source-digest': `sha256:${'a'.repeat(64)}` }, /source-tag and source-digest are both/),
  row(BP, 'mode', { mode: 'deploy' }, /"deploy" is not one of build, push-archive, promote/),
  row(BP, 'mode', { context: '.' }, /inputs for several modes were given \(build, promote\)/),
  row(
    BP,
    'build-args',
    { mode: 'build', 'source-tag': '', context: '.', 'build-args': 'NODE ENV=1' },
    /"NODE ENV" is not a valid build argument name/,
  ),
  row(
    BP,
    'platforms',
    { mode: 'build', 'source-tag': '', context: '.', platforms: 'amd64' },
    /"amd64" is not a platform/,
  ),
  row(
    BP,
    'provenance',
    { mode: 'build', 'source-tag': '', context: '.', provenance: 'maybe' },
    /"maybe" is not a provenance setting/,
  ),
  row(BP, 'archive', { mode: 'push-archive', 'source-tag': '' }, /push-archive mode needs an OCI archive/),
  row(BP, 'archive', { 'source-tag': '', archive: 'missing/image.tar' }, /"missing\/image.tar" does not exist/),

  // run-migration-task
  row(RM, 'cluster', { cluster: '' }, /it is required but was not given/),
  row(RM, 'cluster', { cluster: 'shop;prod' }, /"shop;prod" is not a cluster name or ARN/),
  row(RM, 'task-definition', { 'task-definition': '' }, /it is required/),
  row(RM, 'task-definition', { 'task-definition': 'shop migrate' }, /is neither a task definition nor a \.json file/),
  row(RM, 'image', { image: 'shop:$(id)' }, /"shop:\$\(id\)" is not an image reference/),
  row(RM, 'command', { command: '["npm", ["run"]]' }, /the JSON array holds something other than strings/),
  row(RM, 'command', { command: "npm run 'migrate" }, /a quote is not closed/),
  row(RM, 'environment', { environment: '1ST=yes' }, /"1ST" is not an environment variable name/),
  row(RM, 'launch-type', { 'launch-type': 'LAMBDA' }, /"LAMBDA" is not one of FARGATE, EC2, EXTERNAL/),
  row(RM, 'subnets', { subnets: 'subnet-0a1b2c3d,vpc-123' }, /"vpc-123" is not a subnet ID/),
  row(RM, 'security-groups', { 'security-groups': 'default' }, /"default" is not a security group ID/),
  row(RM, 'assign-public-ip', { 'assign-public-ip': 'on' }, /"on" is not a boolean/),
  row(RM, 'timeout-minutes', { 'timeout-minutes': '-5' }, /"-5" is not a duration/),
  row(RM, 'poll-interval-seconds', { 'poll-interval-seconds': 'often' }, /"often" is not a duration/),
  row(RM, 'snapshot-db-instance', { 'snapshot-db-instance': '1db' }, /"1db" is not a DB instance identifier/),
  row(
    RM,
    'snapshot-id',
    { 'snapshot-db-instance': 'shop-production', 'snapshot-id': 'pre-' },
    /"pre-" is not a snapshot identifier/,
  ),

  // ecs-deploy-with-circuit-breaker
  row(DEP, 'cluster', { cluster: '' }, /it is required/),
  row(DEP, 'services', { services: '' }, /it is required/),
  row(DEP, 'services', { services: 'web\nweb' }, /"web" is listed twice/),
  row(DEP, 'image', { image: 'shop:latest; rm -rf /' }, /is not an image reference/),
  row(DEP, 'images', { image: '', images: 'app' }, /line "app" is not key=value/),
  row(DEP, 'environment', { environment: 'app:LOG LEVEL=debug' }, /is not container:NAME/),
  row(DEP, 'desired-count', { 'desired-count': 'two' }, /"two" is not a whole number/),
  row(DEP, 'force-new-deployment', { 'force-new-deployment': '1' }, /"1" is not a boolean/),
  row(DEP, 'circuit-breaker', { 'circuit-breaker': 'off' }, /"off" is not one of rollback, fail-only/),
  row(DEP, 'wait', { wait: 'no' }, /"no" is not a boolean/),
  row(DEP, 'timeout-minutes', { 'timeout-minutes': 'ages' }, /"ages" is not a duration/),
  row(DEP, 'on-timeout', { 'on-timeout': 'ignore' }, /"ignore" is not one of/),
  row(DEP, 'wait-for-rollback', { 'wait-for-rollback': 'sure' }, /"sure" is not a boolean/),
  row(DEP, 'mode', { mode: 'apply' }, /"apply" is not one of deploy, plan, rollback/),
  row(DEP, 'task-definition', { 'task-definition': 'deploy/none.json' }, /cannot be read/),

  // smoke-test
  byRun(row(ST, 'checks', { checks: '- name: health\n  url: [' }, /not valid YAML/)),
  byRun(
    row(ST, 'checks', { checks: '- name: health\n  url: "file:///etc/passwd"' }, /only http: and https: are supported/),
  ),
  byRun(
    row(
      ST,
      'checks',
      { checks: '- name: health\n  url: "http://x/`id`"\n  method: DELETE; ls' },
      /check 1 \("health"\): "method" "DELETE; ls" is not supported/,
    ),
  ),
  byRun(row(ST, 'checks', { checks: 'name: health' }, /it must be a YAML list of checks, but it is a mapping/)),
  row(ST, 'wait-for-healthy-seconds', { 'wait-for-healthy-seconds': 'a while' }, /"a while" is not a duration/),
  row(ST, 'consecutive-successes', { 'consecutive-successes': '101' }, /101 is above the maximum 100/),
  row(ST, 'samples', { samples: '0' }, /0 is below the minimum 1/),
  row(ST, 'concurrency', { concurrency: 'many' }, /"many" is not a whole number/),
  row(
    ST,
    'request-timeout-seconds',
    { 'request-timeout-seconds': '301' },
    /301 seconds is above the maximum 300 seconds/,
  ),
  row(ST, 'max-error-rate', { 'max-error-rate': '-0.1' }, /below the minimum 0/),
  row(ST, 'max-redirects', { 'max-redirects': '21' }, /21 is above the maximum 20/),
  row(ST, 'fail-on-error', { 'fail-on-error': 'false ' + ';' }, /is not a boolean/),
  row(
    ST,
    'base-url',
    { 'base-url': 'ftp://shop.example.com' },
    /"ftp:\/\/shop.example.com" is not an http or https URL/,
  ),
  row(ST, 'version-header', { 'version-header': 'X-Version:' }, /is not an HTTP header name/),
  row(ST, 'checks-file', { checks: '', 'checks-file': '../outside.yml' }, /\.\.\/outside\.yml does not exist/),

  // tag-release
  row(TR, 'sha', { sha: 'abc1234' }, /"abc1234" is a short SHA/),
  row(TR, 'tag', { tag: 'release {branch}' }, /"\{branch\}" is not a placeholder/),
  row(TR, 'tag', { tag: 'v1..2' }, /"v1\.\.2" is not a valid git tag name: it contains "\.\."/),
  row(TR, 'bump', { tag: '', bump: 'huge' }, /"huge" is not one of patch, minor, major/),
  row(TR, 'include-prereleases', { 'include-prereleases': 'sometimes' }, /"sometimes" is not a boolean/),
  row(TR, 'create-release', { 'create-release': 'Y' }, /"Y" is not a boolean/),
  row(TR, 'release-name', { 'release-name': 'Spring release' }, /it is set but "create-release" is false/),
  row(TR, 'make-latest', { 'create-release': 'true', 'make-latest': 'always' }, /"always" is not one of/),
  row(TR, 'make-latest', { 'create-release': 'true', prerelease: 'true', 'make-latest': 'true' }, /a pre-release/),
  row(TR, 'deployment-state', { 'deployment-state': 'done' }, /"done" is not one of/),
  row(TR, 'environment-url', { 'environment-url': 'javascript:alert(1)' }, /is not an http or https URL/),
  row(
    TR,
    'environment-url',
    { 'deployment-environment': '', 'environment-url': 'https://x.example' },
    /it is set but "deployment-environment" is not/,
  ),
  row(TR, 'details', { details: '{"image": ' }, /not valid JSON/),
  row(TR, 'token', { token: '' }, /it is required/),

  // notify-slack
  row(NS, 'webhook-url', { 'webhook-url': '' }, /it is required but was not given/),
  row(NS, 'webhook-url', { 'webhook-url': 'not a url' }, /it is not a URL/),
  row(NS, 'webhook-url', { 'webhook-url': 'https://user:pw@hooks.slack.com/services/T0/B0/x' }, /credentials/),
  row(NS, 'status', { status: 'ok' }, /"ok" is not one of started, succeeded/),
  row(NS, 'fields', { fields: 'Version' }, /line "Version" is not key=value/),
  row(NS, 'details', { details: '"text"' }, /it is not a JSON object/),
  row(NS, 'mention-on-failure', { 'mention-on-failure': 'alice.smith' }, /is not a Slack member ID/),
  row(NS, 'payload', { payload: '{"text": ""}' }, /Slack would refuse this payload/),
  row(NS, 'started-at', { 'started-at': 'last tuesday' }, /"last tuesday" is not a time/),
  row(NS, 'fail-on-error', { 'fail-on-error': 'enabled' }, /"enabled" is not a boolean/),
  row(NS, 'retries', { retries: '2.5' }, /"2.5" is not a whole number/),
  row(NS, 'retry-max-wait-seconds', { 'retry-max-wait-seconds': '301' }, /301 is above the maximum 300/),

  // release: its inputs
  row(RL, 'environment', { environment: '' }, /it is required/),
  row(RL, 'environment', { environment: 'prod uction' }, /is not an environment name/),
  row(RL, 'sha', { sha: 'main' }, /"main" is not a full commit SHA/),
  row(RL, 'sha', { sha: NEW.toUpperCase() }, /is not a full commit SHA/),
  row(RL, 'stages', { stages: 'image,rollout' }, /"rollout" is not a stage/),
  row(RL, 'dry-run', { 'dry-run': 'perhaps' }, /"perhaps" is not a boolean/),
  byRun(row(RL, 'config', { config: 'missing/ecs-release.yml' }, /the file "missing\/ecs-release.yml" does not exist/)),
  row(RL, 'config', { config: '' }, /it is required/),

  // release: the config file
  config('(yaml)', 'environments:\n  production: [unclosed\n', /is not valid YAML/),
  config('(top level)', 'production:\n  cluster: shop-production\n', /\(top level\): "production" is not a key here/),
  config(
    'environments.production.cluster',
    edit('cluster: shop-production', 'cluster: shop production'),
    /environments\.production\.cluster/,
  ),
  config(
    'environments.production.services',
    edit('services: [web, worker]', 'services: []'),
    /environments\.production\.services/,
  ),
  config(
    'environments.production.image.source',
    edit('source: promote', 'source: copy'),
    /environments\.production\.image\.source/,
  ),
  config(
    'environments.production.image.repository',
    edit('repository: shop,', 'repository: Shop!,'),
    /environments\.production\.image\.repository/,
  ),
  config(
    'environments.production.image.context',
    edit('source: promote', 'source: build'),
    /environments\.production\.image\.context: a build needs a context/,
  ),
  config(
    'environments.production.migration.command',
    edit('command: [npm, run, migrate]', 'command: npm run migrate'),
    /environments\.production\.migration\.command/,
  ),
  config(
    'environments.production.migration.timeout-minutes',
    edit('command: [npm, run, migrate]', 'command: [npm]\n      timeout-minutes: 0'),
    /environments\.production\.migration\.timeout-minutes/,
  ),
  config(
    'environments.production.migration.subnets',
    edit('command: [npm, run, migrate]', 'command: [npm]\n      subnets: [vpc-1]'),
    /environments\.production\.migration\.subnets/,
  ),
  config(
    'environments.production.migration.snapshot',
    edit('command: [npm, run, migrate]', 'command: [npm]\n      snapshot: { id: pre }'),
    /environments\.production\.migration\.snapshot/,
  ),
  config(
    'environments.production.smoke.base-url',
    edit('base-url: https://shop.example.com', 'base-url: shop.example.com'),
    /environments\.production\.smoke\.base-url/,
  ),
  config(
    'environments.production.smoke.checks',
    edit('checks: [{ name: health, url: /health }]', 'checks: []'),
    /environments\.production\.smoke\.checks/,
  ),
  config(
    'environments.production.tag.template',
    edit("template: 'production-{date}-{sha7}'", "template: 'production-{branch}'"),
    /environments\.production\.tag\.template: use only the placeholders/,
  ),
  config(
    'environments.production.deploy.circuit-breaker',
    `${VALID_CONFIG}    deploy: { circuit-breaker: off }\n`,
    /environments\.production\.deploy\.circuit-breaker/,
  ),
  config(
    'environments.production.slack.webhook-env',
    `${VALID_CONFIG}    slack: { webhook-env: 'https://hooks.slack.com/x' }\n`,
    /environments\.production\.slack\.webhook-env/,
  ),
  config(
    'environments.production.region',
    `${VALID_CONFIG}    region: Europe\n`,
    /environments\.production\.region: use an AWS region/,
  ),
  config(
    'environments.production.clustr',
    `${VALID_CONFIG}    clustr: shop\n`,
    /environments\.production: "clustr" is not a key here \(did you mean "cluster"\?\)/,
  ),
];

/** At most this many bundles run at once: the machine is shared. */
const BATCH = 4;
let running = 0;
const queue: (() => void)[] = [];
async function limited<T>(task: () => Promise<T>): Promise<T> {
  while (running >= BATCH) await new Promise<void>((resolve) => queue.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    queue.shift()?.();
  }
}

function workspaceWith(text: string | undefined): string {
  const workspace = mkdtempSync(join(tmpdir(), 'bad-input-ws-'));
  const file = join(workspace, CONFIG);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text ?? VALID_CONFIG);
  return workspace;
}

const cases = ROWS.map((r, index) => ({
  ...r,
  label: `${String(index + 1).padStart(3, '0')} ${r.action}: ${r.config !== undefined ? `config ${r.key}` : JSON.stringify(r.inputs).slice(0, 70)}`,
}));
const inputRows = cases.filter((r) => r.config === undefined && !r.byRun);
const configRows = cases.filter((r) => r.config !== undefined);
/**
 * Spawned as the runner runs them: each action's first input row, the first config row, and the rows that only a
 * whole run refuses (the smoke checks' spec is read once the action has loaded). The other input rows go through the
 * action's own input check in this process, the reader its entry runs before anything else; the other config rows
 * through the release's input check and then its config check, the first thing its run does.
 */
const spawned = cases.filter(
  (r) => r.byRun || r === configRows[0] || inputRows.find((first) => first.action === r.action) === r,
);

test('the table holds at least 80 rows, covering every action and the config file', () => {
  expect(ROWS.length).toBeGreaterThanOrEqual(80);
  expect(new Set(ROWS.map((r) => r.action)).size).toBe(ACTION_NAMES.length);
  expect(ROWS.filter((r) => r.config !== undefined).length).toBeGreaterThanOrEqual(10);
  expect(new Set(spawned.filter((r) => r.config === undefined).map((r) => r.action)).size).toBe(ACTION_NAMES.length);
});

/** One `::error::` line at least, each a single line, and one of them names the row's input. */
function expectNamed(errors: string[], input: string, error: RegExp): void {
  expect(errors.length).toBeGreaterThanOrEqual(1);
  for (const line of errors) expect(line).not.toContain('\n');
  const named = errors.find((line) => line.startsWith(`Input "${input}": `));
  expect({ errors, named: named !== undefined }).toEqual({ errors, named: true });
  expect(named).toMatch(error);
}

test.each(inputRows)('$label (input check)', ({ action, inputs, input, error }) => {
  expectNamed(inputErrors(action, { inputs: { ...base(action), ...inputs }, env }), input, error);
});

test.each(configRows.filter((r) => !spawned.includes(r)))('$label (config check)', ({ error, config: text }) => {
  const errors = releaseConfigErrors({ inputs: base('release'), env, cwd: workspaceWith(text) });
  expect(errors).toHaveLength(1);
  expect(errors[0]).not.toContain('\n');
  expect(errors[0]).toContain(CONFIG);
  expect(errors[0]).toMatch(error);
});

test.concurrent.each(spawned)('$label (spawned)', async ({ action, inputs, input, error, config: text }) => {
  let started = 0;
  const run = await limited(() => {
    started = Date.now();
    return runAction(action, {
      inputs: { ...base(action), ...inputs },
      env,
      ...(action === 'release' ? { cwd: workspaceWith(text) } : {}),
      timeoutMs: 30_000,
    });
  });
  expect(run.exitCode).toBe(1);
  if (text !== undefined) {
    // The config file: its path and the key at fault.
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).not.toContain('\n');
    expect(run.errors[0]).toContain(CONFIG);
    expect(run.errors[0]).toMatch(error);
  } else {
    expectNamed(run.errors, input, error);
  }
  expect(run.outputs).toEqual({});
  // Rows run side by side, so a call is charged to every row that was running when it arrived; the last test
  // below checks that nothing arrived at all.
  expect(sandbox.recorder.mutatingCalls().filter((call) => call.at >= started)).toEqual([]);
});

// Runs after every row above has finished (concurrent tests are awaited in order).
test('nothing reached the sandbox: no AWS call, no GitHub request, no Slack post', () => {
  expect(sandbox.recorder.calls()).toEqual([]);
  expect(sandbox.state('slack').posts).toEqual([]);
  const github = sandbox.state('github');
  expect([github.refs.size, github.tagObjects.size, github.releases.length, github.deployments.length]).toEqual(
    githubAtStart,
  );
});
