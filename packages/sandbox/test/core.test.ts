import { CreateDBSnapshotCommand, DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListClustersCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '../src/index.js';
import { fakeEcs, fakeRds } from './support/test-modules.js';

let sandbox: Sandbox;
let ecs: ECSClient;
let rds: RDSClient;
const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' };

beforeAll(async () => {
  sandbox = await startSandbox({
    services: [fakeEcs, fakeRds],
    scenario: 'region: eu-west-1\necs:\n  clusters: [prod, staging]\n',
  });
  ecs = new ECSClient({ region: 'eu-west-1', endpoint: sandbox.url, credentials, retryMode: 'adaptive' });
  rds = new RDSClient({ region: 'eu-west-1', endpoint: sandbox.url, credentials, retryMode: 'adaptive' });
});
afterAll(async () => {
  ecs.destroy();
  rds.destroy();
  await sandbox.stop();
});
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.recorder.clear();
});

describe('awsJson1_1 routing through the real ECS client', () => {
  it('routes by X-Amz-Target and takes the region from the credential scope', async () => {
    const out = await ecs.send(new ListClustersCommand({}));
    expect(out.clusterArns).toEqual([
      'arn:aws:ecs:eu-west-1:123456789012:cluster/prod',
      'arn:aws:ecs:eu-west-1:123456789012:cluster/staging',
    ]);
    const other = new ECSClient({ region: 'ap-south-1', endpoint: sandbox.url, credentials });
    const there = await other.send(new ListClustersCommand({}));
    other.destroy();
    expect(there.clusterArns?.[0]).toBe('arn:aws:ecs:ap-south-1:123456789012:cluster/prod');
    expect(sandbox.recorder.calls().map((c) => [c.service, c.operation, c.region, c.status])).toEqual([
      ['ecs', 'ListClusters', 'eu-west-1', 200],
      ['ecs', 'ListClusters', 'ap-south-1', 200],
    ]);
  });

  it('serialises Dates as epoch seconds, which the SDK reads back as the same instant', async () => {
    const out = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [] }));
    expect(out.taskDefinition?.registeredAt).toEqual(new Date(1_700_000_000_500));
    expect(out.taskDefinition?.revision).toBe(1);
  });

  it('turns an AwsError into the AWS error shape the SDK understands', async () => {
    const error = await ecs
      .send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope' }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'ClientException',
      message: 'Unable to describe task definition nope.',
      $metadata: { httpStatusCode: 400 },
    });
    expect(sandbox.recorder.calls()[0]).toMatchObject({ status: 400, errorCode: 'ClientException', mutating: false });
  });

  it('answers an operation no module implements with UnknownOperationException', async () => {
    const response = await signedPost(sandbox.url, 'ecs', 'AmazonEC2ContainerServiceV20141113.DeleteEverything');
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
    const inherited = await signedPost(sandbox.url, 'ecs', 'AmazonEC2ContainerServiceV20141113.constructor');
    expect(await inherited.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });

  it('refuses a request signed for another service', async () => {
    const response = await signedPost(sandbox.url, 'logs', 'AmazonEC2ContainerServiceV20141113.ListClusters');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'InvalidSignatureException' });
  });
});

describe('SigV4 presence and shape', () => {
  it('refuses an unsigned awsJson request as AWS does, without running the handler', async () => {
    const response = await fetch(sandbox.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition',
      },
      body: JSON.stringify({ family: 'sneaky' }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
    expect(sandbox.stateOf(fakeEcs).registered).not.toContainEqual({ family: 'sneaky' });
  });

  it('refuses a malformed Authorization header with IncompleteSignatureException', async () => {
    const response = await fetch(sandbox.url, {
      method: 'POST',
      headers: {
        authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/ecs/aws4_request',
        'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters',
      },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'IncompleteSignatureException' });
  });

  it('refuses an unsigned awsQuery request with an XML error', async () => {
    const response = await fetch(sandbox.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=DescribeDBSnapshots&Version=2014-10-31',
    });
    expect(response.status).toBe(403);
    const text = await response.text();
    expect(text).toContain('<Code>MissingAuthenticationToken</Code>');
    expect(text).toContain('<Type>Sender</Type>');
  });
});

describe('awsQuery routing through the real RDS client', () => {
  it('renders the result as XML with the configured list member names and ISO dates', async () => {
    const out = await rds.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: 'shop-db' }));
    expect(out.DBSnapshots).toEqual([
      {
        DBSnapshotIdentifier: 'before-migration',
        DBInstanceIdentifier: 'shop-db',
        Status: 'available',
        SnapshotCreateTime: new Date('2026-01-02T03:04:05.000Z'),
        AllocatedStorage: 20,
        Encrypted: true,
      },
    ]);
    expect(sandbox.recorder.calls()[0]).toMatchObject({
      service: 'rds',
      operation: 'DescribeDBSnapshots',
      params: { DBInstanceIdentifier: 'shop-db' },
    });
  });

  it('turns an AwsError into an XML ErrorResponse the SDK understands', async () => {
    const error = await rds
      .send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'missing' }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'DBSnapshotNotFoundFault', $metadata: { httpStatusCode: 404 } });
  });

  it('flags mutating operations in the recorder', async () => {
    await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'shop-db', DBSnapshotIdentifier: 'snap-1' }));
    expect(sandbox.recorder.mutatingCalls().map((c) => c.operation)).toEqual(['CreateDBSnapshot']);
  });
});

/** A POST signed in shape only (the sandbox does not verify signatures). */
function signedPost(url: string, service: string, target: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/${service}/aws4_request, SignedHeaders=host, Signature=abc`,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': target,
    },
    body: '{}',
  });
}
