// AWS's API models (botocore, read where the AWS CLI installed them) as the oracle: the validator's rules one by one,
// and deliberately broken answers, errors and requests caught through the real SDK clients with their paths.
import { DescribeServicesCommand, ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { BatchGetImageCommand, ECRClient } from '@aws-sdk/client-ecr';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import * as z from 'zod';
import {
  AwsError,
  assertNoModelViolations,
  startSandbox,
  type AwsJsonModule,
  type AwsQueryModule,
} from '../src/index.js';
import type { ServiceModel } from '../src/models/botocore.js';
import { readQueryRequest } from '../src/models/query.js';
import { serviceModel, validate } from '../src/models/index.js';

// A model of every kind of shape the validator walks.
const model: ServiceModel = {
  metadata: { apiVersion: '1', protocol: 'json', endpointPrefix: 'x', serviceId: 'X' },
  operations: {},
  shapes: {
    Thing: {
      type: 'structure',
      required: ['name'],
      members: {
        name: { shape: 'Name' },
        state: { shape: 'State' },
        count: { shape: 'Count' },
        size: { shape: 'Size' },
        ratio: { shape: 'Ratio' },
        on: { shape: 'Flag' },
        at: { shape: 'When' },
        data: { shape: 'Data' },
        items: { shape: 'Items' },
        labels: { shape: 'Labels' },
      },
    },
    Name: { type: 'string', min: 2, max: 5, pattern: '^[a-z]+$' },
    State: { type: 'string', enum: ['ON', 'OFF'] },
    Count: { type: 'integer', min: 0, max: 10 },
    Size: { type: 'long' },
    Ratio: { type: 'double' },
    Flag: { type: 'boolean' },
    When: { type: 'timestamp' },
    Data: { type: 'blob' },
    Items: { type: 'list', member: { shape: 'Count' }, max: 2 },
    Labels: { type: 'map', key: { shape: 'Name' }, value: { shape: 'State' } },
  },
};

describe('the validator', () => {
  it('accepts a value that keeps every rule', () => {
    const good = {
      name: 'abc',
      state: 'ON',
      count: 3,
      size: 2 ** 40,
      ratio: 0.5,
      on: false,
      at: 1_700_000_000.25,
      data: 'aGVsbG8=',
      items: [1, 2],
      labels: { ab: 'OFF' },
    };
    expect(validate(model, 'Thing', good, { timestamps: 'epoch-seconds' })).toEqual([]);
  });

  it('reports every violation by its path', () => {
    const bad = {
      state: 'MAYBE',
      count: 11,
      size: 1.5,
      ratio: 'x',
      on: 'yes',
      at: 1_700_000_000_000,
      data: '%%',
      items: [1, -1, 2],
      labels: { A: 'ON', ab: 'NO' },
      extra: true,
    };
    const found = validate(model, 'Thing', bad, { timestamps: 'epoch-seconds' }).map((v) => v.path);
    expect(found).toEqual([
      'name',
      'state',
      'count',
      'size',
      'ratio',
      'on',
      'at',
      'data',
      'items',
      'items[1]',
      'labels{key "A"}',
      'labels{key "A"}',
      'labels["ab"]',
      'extra',
    ]);
    expect(validate(model, 'Name', 'abcdefg', { timestamps: 'epoch-seconds' })[0]?.message).toBe(
      'has 7 characters, more than the maximum 5',
    );
    expect(validate(model, 'When', '2026-01-02T03:04:05.000Z', { timestamps: 'iso8601' })).toEqual([]);
  });

  it('walks the real ECS model: a DescribeServices answer with a wrong rollout state', () => {
    const answer = { services: [{ deployments: [{ id: 'ecs-svc/1', rolloutState: 'SOMETIMES' }] }], failures: [] };
    expect(validate(serviceModel('ecs'), 'DescribeServicesResponse', answer, { timestamps: 'epoch-seconds' })).toEqual([
      {
        path: 'services[0].deployments[0].rolloutState',
        message: '"SOMETIMES" is not one of COMPLETED, FAILED, IN_PROGRESS (DeploymentRolloutState)',
      },
    ]);
  });

  it('reads awsQuery form parameters into the input structure, and names the ones it has no member for', () => {
    const read = readQueryRequest(serviceModel('rds'), 'CreateDBSnapshotMessage', {
      DBSnapshotIdentifier: 'pre-migration',
      DBInstanceIdentifier: 'shop-db',
      'Tags.Tag.1.Key': 'run',
      'Tags.Tag.1.Value': '7',
      Colour: 'blue',
    });
    expect(read.value).toEqual({
      DBSnapshotIdentifier: 'pre-migration',
      DBInstanceIdentifier: 'shop-db',
      Tags: [{ Key: 'run', Value: '7' }],
    });
    expect(read.violations).toEqual([{ path: 'Colour', message: 'is not a parameter of CreateDBSnapshotMessage' }]);
  });
});

describe('the modules answer with errors their operations declare', () => {
  it('ECR refuses an empty imageIds the way ECR does, with an error BatchGetImage declares', async () => {
    const sandbox = await startSandbox({
      checkModels: true,
      scenario: { region: 'eu-west-1', ecr: { repositories: [{ name: 'shop/web' }] } },
    });
    const ecr = new ECRClient({
      region: 'eu-west-1',
      endpoint: sandbox.url,
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' },
    });
    try {
      await expect(
        ecr.send(new BatchGetImageCommand({ repositoryName: 'shop/web', imageIds: [] })),
      ).rejects.toMatchObject({
        name: 'InvalidParameterException',
        message:
          "Invalid parameter at 'imageIds' failed to satisfy constraint: 'Member must have length greater than or equal to 1'",
      });
      expect(sandbox.takeViolations()).toEqual([]);
    } finally {
      ecr.destroy();
      await sandbox.stop();
    }
  });
});

// Modules that answer wrongly on purpose, each replacing a built-in one.
const brokenEcs = {
  key: 'ecs' as const,
  schema: z.object({}),
  create: (): AwsJsonModule => ({
    protocol: 'json',
    signingName: 'ecs',
    targetPrefix: 'AmazonEC2ContainerServiceV20141113',
    mutating: new Set(),
    handlers: {
      DescribeServices: () => ({
        services: [
          { serviceName: 'web', desiredCount: 2, deployments: [{ id: 'ecs-svc/1', rolloutState: 'SOMETIMES' }] },
        ],
        failures: [],
      }),
      ListClusters: () => {
        throw new AwsError('ImaginaryException', 'ECS has no such error');
      },
    },
  }),
};
const brokenRds = {
  key: 'rds' as const,
  schema: z.object({}),
  create: (): AwsQueryModule => ({
    protocol: 'query',
    signingName: 'rds',
    mutating: new Set(),
    xmlListItemName: { DBSnapshots: 'DBSnapshot' },
    handlers: {
      DescribeDBSnapshots: () => ({ DBSnapshots: [{ DBSnapshotIdentifier: 'a', AllocatedStorage: 'many' }] }),
    },
  }),
};

describe('a deliberately broken sandbox, through the real clients', () => {
  let sandbox: Sandbox;
  let ecs: ECSClient;
  let rds: RDSClient;
  beforeEach(async () => {
    sandbox = await startSandbox({
      services: [brokenEcs, brokenRds],
      checkModels: true,
      scenario: { region: 'eu-west-1' },
    });
    const config = {
      region: 'eu-west-1',
      endpoint: sandbox.url,
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 1,
    };
    ecs = new ECSClient(config);
    rds = new RDSClient(config);
  });
  afterEach(async () => {
    ecs.destroy();
    rds.destroy();
    await sandbox.stop();
    // What these tests provoke on purpose must not fail them through the suite's hook.
    expect(() => assertNoModelViolations()).not.toThrow();
  });

  it('an answer outside the output shape is caught with its path; so is a request missing a required member', async () => {
    await ecs.send(new DescribeServicesCommand({ cluster: 'shop', services: undefined as never }));
    await rds.send(new DescribeDBSnapshotsCommand({})).catch(() => undefined);
    const found = sandbox.takeViolations().map((v) => [v.service, v.operation, v.part, v.path, v.message]);
    expect(found).toEqual([
      ['ecs', 'DescribeServices', 'request', 'services', 'is required by DescribeServicesRequest and missing'],
      [
        'ecs',
        'DescribeServices',
        'answer',
        'services[0].deployments[0].rolloutState',
        '"SOMETIMES" is not one of COMPLETED, FAILED, IN_PROGRESS (DeploymentRolloutState)',
      ],
      [
        'rds',
        'DescribeDBSnapshots',
        'answer',
        'DBSnapshots[0].AllocatedStorage',
        'is string "many", not an integer (Integer)',
      ],
    ]);
  });

  it('an error the operation does not declare is caught; the check fails the test that caused it', async () => {
    await expect(ecs.send(new ListClustersCommand({}))).rejects.toMatchObject({ name: 'ImaginaryException' });
    expect(() => assertNoModelViolations()).toThrow(
      /ecs ListClusters error \(HTTP 400\): ImaginaryException: is not an error ListClusters declares/,
    );
  });

  it('the violations are served at GET /_sandbox/violations for sandboxes in other processes', async () => {
    await ecs.send(new ListClustersCommand({})).catch(() => undefined);
    const served = (await (await fetch(`${sandbox.url}/_sandbox/violations`)).json()) as { violations: unknown[] };
    expect(served.violations).toEqual([expect.objectContaining({ operation: 'ListClusters', part: 'error' })]);
    expect(sandbox.takeViolations()).toEqual([]);
  });
});
