/**
 * Least privilege. docs/iam/<action>.json is each action's minimal IAM policy. The sandbox binds the access key the
 * harness gives each action (derived from its name) to that policy and refuses every other call as AWS does, so every
 * test that runs a bundle against the sandbox runs under exactly the documented policy. This suite proves the
 * enforcement itself, that the documents list only what the code calls, and that taking one action out of a policy
 * makes the action fail with AccessDenied.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { CreateDBSnapshotCommand, DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  PROJECT_POLICY_DIRECTORY,
  SANDBOX_ACCESS_KEY_ID,
  SANDBOX_SECRET_ACCESS_KEY,
  accessKeyIdFor,
  startSandbox,
  type PolicyDocument,
  type Sandbox,
} from '@ecs-ship/sandbox';
import { ACTION_NAMES, repoRoot, runAction } from '@ecs-ship/testing';
import {
  actUnder,
  actionAccessKeyId,
  allowedActions,
  applyActionCredentials,
  documentedPolicy,
  withoutAction,
} from '@ecs-ship/testing/iam';
import { migrationInputs, scenario as migrationScenario } from '../run-migration/helpers.js';
import { ecrScenario } from '../build-push-ecr/scenario.js';
import { scenario as deployScenario } from '../ecs-deploy/helpers.js';
import { SCENARIO as rdsScenario } from '../rds/helpers.js';

jest.setTimeout(90_000);

const SHOP = {
  region: 'eu-west-1',
  ecs: {
    // An EC2 task definition: its tasks need container instances.
    clusters: [{ name: 'shop', containerInstances: 2 }],
    taskDefinitions: [{ family: 'web', containerDefinitions: [{ name: 'web', image: 'registry.example/web:1' }] }],
    services: [{ cluster: 'shop', serviceName: 'web', taskDefinition: 'web', desiredCount: 1 }],
  },
  rds: { instances: [{ identifier: 'shop-db' }] },
};

const READ_ONLY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['ecs:Describe*', 'rds:DescribeDBSnapshots'], Resource: '*' }],
};

function ecs(sandbox: Sandbox, accessKeyId: string): ECSClient {
  return new ECSClient({
    region: 'eu-west-1',
    endpoint: sandbox.url,
    credentials: { accessKeyId, secretAccessKey: SANDBOX_SECRET_ACCESS_KEY },
    maxAttempts: 1,
  });
}

function rds(sandbox: Sandbox, accessKeyId: string): RDSClient {
  return new RDSClient({
    region: 'eu-west-1',
    endpoint: sandbox.url,
    credentials: { accessKeyId, secretAccessKey: SANDBOX_SECRET_ACCESS_KEY },
    maxAttempts: 1,
  });
}

async function failure(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('The call succeeded; AccessDenied was expected');
}

describe('the sandbox enforces an allow-list per access key', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: SHOP });
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    sandbox.load(SHOP);
    sandbox.iam.bind({ accessKeyId: 'AKIAREADONLY00000001', name: 'read-only', policy: READ_ONLY });
  });

  test('an allowed call is answered; one the policy does not list gets AccessDeniedException, HTTP 400', async () => {
    const client = ecs(sandbox, 'AKIAREADONLY00000001');
    const described = await client.send(new DescribeServicesCommand({ cluster: 'shop', services: ['web'] }));
    expect(described.services?.[0]?.serviceName).toBe('web');

    const error = await failure(
      client.send(new UpdateServiceCommand({ cluster: 'shop', service: 'web', desiredCount: 3 })),
    );
    expect(error.name).toBe('AccessDeniedException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toBe(
      'User: arn:aws:sts::123456789012:assumed-role/read-only/ecs-ship is not authorized to perform: ' +
        'ecs:UpdateService on resource: arn:aws:ecs:eu-west-1:123456789012:service/shop/web ' +
        'because no identity-based policy allows the ecs:UpdateService action',
    );
    // Refused before the handler: nothing changed, and the recorder says why.
    const after = await ecs(sandbox, SANDBOX_ACCESS_KEY_ID).send(
      new DescribeServicesCommand({ cluster: 'shop', services: ['web'] }),
    );
    expect(after.services?.[0]?.desiredCount).toBe(1);
    expect(sandbox.recorder.calls({ operation: 'UpdateService' })).toMatchObject([
      { status: 400, errorCode: 'AccessDeniedException', mutating: true },
    ]);
  });

  test('RDS (awsQuery) answers AccessDenied in its XML error, HTTP 403', async () => {
    const client = rds(sandbox, 'AKIAREADONLY00000001');
    await client.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: 'shop-db' }));
    const error = await failure(
      client.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'shop-db', DBSnapshotIdentifier: 'before' })),
    );
    expect(error.name).toBe('AccessDenied');
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toMatch(/is not authorized to perform: rds:CreateDBSnapshot on resource: .*snapshot:before/);
    expect(sandbox.recorder.mutatingCalls()).toMatchObject([{ operation: 'CreateDBSnapshot', status: 403 }]);
  });

  test('an explicit Deny wins over an Allow, and says so', async () => {
    sandbox.iam.bind({
      accessKeyId: 'AKIADENYUPDATES00001',
      name: 'no-updates',
      policy: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'ecs:*', Resource: '*' },
          { Effect: 'Deny', Action: 'ecs:Update*', Resource: '*' },
        ],
      },
    });
    const client = ecs(sandbox, 'AKIADENYUPDATES00001');
    await client.send(new DescribeServicesCommand({ cluster: 'shop', services: ['web'] }));
    const error = await failure(
      client.send(new UpdateServiceCommand({ cluster: 'shop', service: 'web', desiredCount: 3 })),
    );
    expect(error.message).toMatch(/ecs:UpdateService .* with an explicit deny in an identity-based policy$/);
  });

  test('a key bound to no policy, such as the sandbox default, keeps full access', async () => {
    const answer = await ecs(sandbox, SANDBOX_ACCESS_KEY_ID).send(
      new UpdateServiceCommand({ cluster: 'shop', service: 'web', desiredCount: 2 }),
    );
    expect(answer.service?.desiredCount).toBe(2);
  });

  test('a scenario binds keys to policies, and can turn the project policies off', async () => {
    const scenario = {
      ...SHOP,
      iam: {
        policyDirectory: false,
        principals: [{ accessKeyId: 'AKIASCENARIO00000001', name: 'from-scenario', policy: READ_ONLY }],
      },
    };
    sandbox.load(scenario);
    expect(sandbox.iam.list().map((p) => p.name)).toEqual(['from-scenario']);
    const error = await failure(
      ecs(sandbox, 'AKIASCENARIO00000001').send(
        new UpdateServiceCommand({ cluster: 'shop', service: 'web', desiredCount: 3 }),
      ),
    );
    expect(error.message).toMatch(/assumed-role\/from-scenario\/.* ecs:UpdateService/);
    // Without the project policies, the deploy action's key is an unknown key: full access.
    await ecs(sandbox, accessKeyIdFor('ecs-deploy-with-circuit-breaker')).send(
      new UpdateServiceCommand({ cluster: 'shop', service: 'web', desiredCount: 3 }),
    );
  });

  test('by default every docs/iam policy is bound to the key of its name', () => {
    const bound = new Map(sandbox.iam.list().map((p) => [p.accessKeyId, p.name]));
    for (const action of ACTION_NAMES) expect(bound.get(accessKeyIdFor(action))).toBe(`ecs-ship-${action}`);
  });

  test('an invalid policy in a scenario is refused when the scenario loads', () => {
    expect(() =>
      sandbox.load({
        ...SHOP,
        iam: { principals: [{ accessKeyId: 'AKIABROKEN0000000001', name: 'x', policy: { Statement: [] } }] },
      }),
    ).toThrow(/Scenario is not valid/);
  });
});

describe('the harness signs each action run with its own key', () => {
  test('the sandbox dummy key becomes the action key; a key the test chose, or ECS_SHIP_IAM=off, is kept', () => {
    const swapped: NodeJS.ProcessEnv = { AWS_ACCESS_KEY_ID: SANDBOX_ACCESS_KEY_ID };
    applyActionCredentials('run-migration-task', swapped);
    expect(swapped.AWS_ACCESS_KEY_ID).toBe(actionAccessKeyId('run-migration-task'));
    expect(swapped.AWS_ACCESS_KEY_ID).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(actionAccessKeyId('release')).not.toBe(actionAccessKeyId('run-migration-task'));

    const chosen: NodeJS.ProcessEnv = { AWS_ACCESS_KEY_ID: 'AKIAREADONLY00000001' };
    applyActionCredentials('run-migration-task', chosen);
    expect(chosen.AWS_ACCESS_KEY_ID).toBe('AKIAREADONLY00000001');

    const off: NodeJS.ProcessEnv = { AWS_ACCESS_KEY_ID: SANDBOX_ACCESS_KEY_ID, ECS_SHIP_IAM: 'off' };
    applyActionCredentials('run-migration-task', off);
    expect(off.AWS_ACCESS_KEY_ID).toBe(SANDBOX_ACCESS_KEY_ID);
  });
});

// IAM permissions that are checked by AWS without an API call of that name: passing roles to tasks, tagging on
// create, and the registry (docker/OCI) API a push goes through.
const AUTHORIZATION_ONLY = new Set([
  'iam:PassRole',
  // CodeDeploy authorizes the revision and the deployment configuration of a CreateDeployment with these.
  'codedeploy:RegisterApplicationRevision',
  'codedeploy:GetDeploymentConfig',
  'ecs:TagResource',
  'rds:AddTagsToResource',
  'elasticloadbalancing:AddTags',
  'ecr:BatchCheckLayerAvailability',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:GetDownloadUrlForLayer',
]);

/** Every AWS SDK command the project's code sends (`new XCommand(`), outside the sandbox. */
function commandsInSource(): Set<string> {
  const found = new Set<string>();
  const visit = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.ts')) {
        for (const match of readFileSync(path, 'utf8').matchAll(/new ([A-Z]\w+)Command\(/g)) found.add(match[1]!);
      }
    }
  };
  for (const pkg of readdirSync(join(repoRoot, 'packages')).filter((p) => p !== 'sandbox'))
    visit(join(repoRoot, 'packages', pkg, 'src'));
  for (const action of readdirSync(join(repoRoot, 'actions'))) visit(join(repoRoot, 'actions', action, 'src'));
  return found;
}

describe('docs/iam', () => {
  test('holds one policy per action, and nothing else', () => {
    const files = readdirSync(PROJECT_POLICY_DIRECTORY)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(files).toEqual(ACTION_NAMES.map((name) => `${name}.json`).sort());
  });

  test.each([...ACTION_NAMES])('%s: a 2012-10-17 policy whose every allowed action the code calls', (action) => {
    const policy = documentedPolicy(action);
    expect(policy.Version).toBe('2012-10-17');
    const commands = commandsInSource();
    for (const allowed of allowedActions(policy)) {
      expect(allowed).toMatch(/^(ecs|ecr|logs|rds|iam|elasticloadbalancing|cloudwatch|codedeploy):[A-Z][A-Za-z]+$/); // no wildcards in a minimal policy
      if (AUTHORIZATION_ONLY.has(allowed)) continue;
      expect({ allowed, calledByCode: commands.has(allowed.split(':')[1]!) }).toEqual({ allowed, calledByCode: true });
    }
  });

  test('the actions that need no AWS access are denied all of it', () => {
    for (const action of ['smoke-test', 'tag-release', 'notify-slack']) {
      expect(documentedPolicy(action).Statement).toEqual([
        { Sid: 'NoAwsAccessNeeded', Effect: 'Deny', Action: '*', Resource: '*' },
      ]);
    }
  });
});

describe('one action missing from a policy makes the action fail with AccessDenied', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({});
  });
  afterAll(() => sandbox.stop());

  function denials() {
    return sandbox.recorder
      .calls()
      .filter((call) => call.errorCode === 'AccessDeniedException' || call.errorCode === 'AccessDenied');
  }

  test('deploy: under its policy it succeeds; without ecs:UpdateService it fails naming the permission', async () => {
    const inputs = {
      cluster: 'shop',
      services: 'web',
      image: 'registry.example/web:2',
      'poll-interval-seconds': '0.2',
    };
    sandbox.load(deployScenario('shop'));
    const allowed = await runAction('ecs-deploy-with-circuit-breaker', { inputs, env: sandbox.env() });
    expect([allowed.exitCode, allowed.errors, denials()]).toEqual([0, [], []]);

    sandbox.load(deployScenario('shop'));
    const policy = documentedPolicy('ecs-deploy-with-circuit-breaker');
    actUnder(sandbox, 'ecs-deploy-with-circuit-breaker', withoutAction(policy, 'ecs:UpdateService'));
    const denied = await runAction('ecs-deploy-with-circuit-breaker', { inputs, env: sandbox.env() });
    expect(denied.exitCode).toBe(1);
    expect(denied.visibleText).toContain('not authorized to perform: ecs:UpdateService');
    expect(denials().map((c) => c.operation)).toContain('UpdateService');
    expect(sandbox.recorder.calls({ operation: 'UpdateService', failed: false })).toEqual([]);
  });

  test('deploy through CodeDeploy: under its policy it succeeds; without codedeploy:CreateDeployment it fails naming it', async () => {
    const codedeploy = join(repoRoot, 'packages', 'sandbox', 'scenarios', 'codedeploy.yaml');
    const inputs = {
      cluster: 'shop',
      services: 'web',
      image: 'registry.example/shop:2',
      'poll-interval-seconds': '0.2',
    };
    sandbox.load(codedeploy);
    const allowed = await runAction('ecs-deploy-with-circuit-breaker', { inputs, env: sandbox.env() });
    expect([allowed.exitCode, allowed.errors, denials()]).toEqual([0, [], []]);
    expect(sandbox.recorder.calls({ operation: 'CreateDeployment', failed: false })).toHaveLength(1);

    sandbox.load(codedeploy);
    const policy = documentedPolicy('ecs-deploy-with-circuit-breaker');
    actUnder(sandbox, 'ecs-deploy-with-circuit-breaker', withoutAction(policy, 'codedeploy:CreateDeployment'));
    const denied = await runAction('ecs-deploy-with-circuit-breaker', { inputs, env: sandbox.env() });
    expect(denied.exitCode).toBe(1);
    expect(denied.visibleText).toContain(
      'not authorized to perform: codedeploy:CreateDeployment on resource: arn:aws:codedeploy:eu-west-1:123456789012:deploymentgroup:AppECS-shop-web/DgpECS-shop-web',
    );
    expect(sandbox.recorder.calls({ operation: 'CreateDeployment', failed: false })).toEqual([]);
  });

  test('migration: without rds:CreateDBSnapshot it stops before any task starts', async () => {
    sandbox.load(migrationScenario('migrations'));
    const policy = documentedPolicy('run-migration-task');
    actUnder(sandbox, 'run-migration-task', withoutAction(policy, 'rds:CreateDBSnapshot'));
    const run = await runAction('run-migration-task', {
      inputs: migrationInputs({ 'snapshot-db-instance': 'shop-db' }),
      env: sandbox.env(),
    });
    expect(run.exitCode).toBe(1);
    expect(run.visibleText).toContain('not authorized to perform: rds:CreateDBSnapshot');
    expect(sandbox.recorder.calls({ operation: 'RunTask' })).toEqual([]);
  });

  test('migration: without ecs:RunTask it fails and no task runs', async () => {
    sandbox.load(migrationScenario('migrations'));
    actUnder(sandbox, 'run-migration-task', withoutAction(documentedPolicy('run-migration-task'), 'ecs:RunTask'));
    const run = await runAction('run-migration-task', { inputs: migrationInputs(), env: sandbox.env() });
    expect(run.exitCode).toBe(1);
    expect(run.visibleText).toContain('not authorized to perform: ecs:RunTask');
    expect(sandbox.recorder.calls({ operation: 'RunTask', failed: false })).toEqual([]);
  });

  test('build-push-ecr promote: without ecr:PutImage no tag moves', async () => {
    sandbox.load(ecrScenario());
    actUnder(sandbox, 'build-push-ecr', withoutAction(documentedPolicy('build-push-ecr'), 'ecr:PutImage'));
    const run = await runAction('build-push-ecr', {
      inputs: { repository: 'shop/web', 'source-tag': 'staging', tags: 'production' },
      env: sandbox.env(),
    });
    expect(run.exitCode).toBe(1);
    expect(run.visibleText).toContain('not authorized to perform: ecr:PutImage');
    expect(sandbox.recorder.calls({ operation: 'PutImage', failed: false })).toEqual([]);
  });

  test('release: without rds:CreateDBSnapshot the production release stops at the snapshot, migrating and deploying nothing', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'release-iam-'));
    try {
      mkdirSync(join(workspace, '.github'));
      sandbox.load(join(repoRoot, 'demo', 'scenario.yaml'));
      const config = readFileSync(join(repoRoot, 'demo', 'ecs-release.yml'), 'utf8');
      writeFileSync(join(workspace, '.github', 'ecs-release.yml'), config.replaceAll('${SANDBOX_URL}', sandbox.url));
      actUnder(sandbox, 'release', withoutAction(documentedPolicy('release'), 'rds:CreateDBSnapshot'));
      const good = '8f2b6c41d3e5a7b9c0d2e4f6a8b0c1d3e5f7a9b2';
      const run = await runAction('release', {
        inputs: { environment: 'production', sha: good },
        env: { ...sandbox.env(), GITHUB_SHA: good },
        cwd: workspace,
        timeoutMs: 120_000,
      });
      expect(run.exitCode).toBe(1);
      expect(run.outputs['failed-stage']).toBe('snapshot');
      expect(run.visibleText).toContain('not authorized to perform: rds:CreateDBSnapshot');
      expect(sandbox.recorder.calls({ operation: 'RunTask' })).toEqual([]);
      expect(sandbox.recorder.calls({ operation: 'UpdateService' })).toEqual([]);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  test('rds-restore: without rds:RestoreDBInstanceFromDBSnapshot nothing is restored; without rds:ModifyDBInstance no swap', async () => {
    const inputs = {
      'db-instance': 'shop-production',
      'snapshot-id': 'pre-release-4',
      'poll-interval-seconds': '0.1',
    };
    sandbox.load(rdsScenario);
    actUnder(
      sandbox,
      'rds-restore',
      withoutAction(documentedPolicy('rds-restore'), 'rds:RestoreDBInstanceFromDBSnapshot'),
    );
    const denied = await runAction('rds-restore', {
      inputs: { ...inputs, confirm: 'shop-production-restored' },
      env: sandbox.env(),
    });
    expect(denied.exitCode).toBe(1);
    expect(denied.visibleText).toContain('not authorized to perform: rds:RestoreDBInstanceFromDBSnapshot');
    expect(sandbox.recorder.mutatingCalls().filter((c) => c.status < 300)).toEqual([]);

    sandbox.load(rdsScenario);
    actUnder(sandbox, 'rds-restore', withoutAction(documentedPolicy('rds-restore'), 'rds:ModifyDBInstance'));
    const noSwap = await runAction('rds-restore', {
      inputs: { ...inputs, swap: 'true', confirm: 'shop-production-restored replaces shop-production' },
      env: sandbox.env(),
    });
    expect(noSwap.exitCode).toBe(1);
    expect(noSwap.visibleText).toContain('not authorized to perform: rds:ModifyDBInstance');
    expect(sandbox.state('rds').instance('eu-west-1', 'shop-production')?.instanceClass).toBe('db.r6g.large');
  });

  test('rds-snapshot prune: without rds:DeleteDBSnapshot it fails naming the permission and deletes nothing', async () => {
    sandbox.load(rdsScenario);
    actUnder(sandbox, 'rds-snapshot', withoutAction(documentedPolicy('rds-snapshot'), 'rds:DeleteDBSnapshot'));
    const run = await runAction('rds-snapshot', {
      inputs: { mode: 'prune', 'db-instance': 'shop-production', 'delete-older-than-days': '30' },
      env: sandbox.env(),
    });
    expect(run.exitCode).toBe(1);
    expect(run.visibleText).toContain('not authorized to perform: rds:DeleteDBSnapshot');
    expect(sandbox.state('rds').snapshot('instance', 'eu-west-1', 'pre-release-1')).toBeDefined();
  });

  test('an action that needs no AWS access is refused any AWS call', async () => {
    sandbox.load(SHOP);
    const client = ecs(sandbox, accessKeyIdFor('notify-slack'));
    const error = await failure(client.send(new DescribeServicesCommand({ cluster: 'shop', services: ['web'] })));
    expect(error.message).toMatch(/ecs-ship-notify-slack\/ecs-ship is not authorized .* with an explicit deny/);
  });
});
