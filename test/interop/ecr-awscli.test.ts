// Interop: the AWS CLI (its own models and parsers, written by nobody here) against the sandbox's ECR API.
// The CLI from Debian predates AWS_ENDPOINT_URL, so every call passes --endpoint-url.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { PASSWORD, ecrScenario } from '../build-push-ecr/scenario.js';

const REGION = 'eu-west-1';
const home = mkdtempSync(join(tmpdir(), 'ecr-awscli-'));
let sandbox: Sandbox;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function aws(...args: string[]): Promise<CliResult> {
  if (spawnSync('aws', ['--version']).status !== 0) {
    throw new Error('The AWS CLI is not installed: apt-get update && apt-get install -y awscli');
  }
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const argv = [...args, '--endpoint-url', sandbox.url, '--region', REGION, '--output', 'json'];
  return new Promise((resolve) => {
    execFile('aws', argv, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

async function awsJson(...args: string[]): Promise<any> {
  const result = await aws(...args);
  if (result.code !== 0) throw new Error(`aws ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout);
}

function toMillis(value: number | string): number {
  return typeof value === 'number' ? value * 1000 : Date.parse(value);
}

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: ecrScenario('http://127.0.0.1:5000') });
});
afterAll(() => sandbox?.stop());
beforeEach(() => sandbox.load(ecrScenario('http://127.0.0.1:5000')));

describe('aws ecr against the sandbox', () => {
  it('get-authorization-token and get-login-password hand out the scenario registry and its password', async () => {
    const out = await awsJson('ecr', 'get-authorization-token');
    const data = out.authorizationData[0];
    expect(Buffer.from(data.authorizationToken, 'base64').toString()).toBe(`AWS:${PASSWORD}`);
    expect(data.proxyEndpoint).toBe('http://127.0.0.1:5000');
    // The CLI prints timestamps as epoch seconds or ISO 8601 depending on its version and settings.
    const hours = (toMillis(data.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
    const login = await aws('ecr', 'get-login-password');
    expect(login.stdout.trim()).toBe(PASSWORD);
  });

  it('describe-repositories, create-repository and their errors', async () => {
    const out = await awsJson('ecr', 'describe-repositories', '--repository-names', 'shop/api');
    expect(out.repositories[0]).toMatchObject({
      repositoryName: 'shop/api',
      repositoryUri: '127.0.0.1:5000/shop/api',
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
    });
    const missing = await aws('ecr', 'describe-repositories', '--repository-names', 'shop/none');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/RepositoryNotFoundException.*shop\/none/);

    const created = await awsJson(
      'ecr',
      'create-repository',
      '--repository-name',
      'shop/new',
      '--image-tag-mutability',
      'IMMUTABLE',
      '--image-scanning-configuration',
      'scanOnPush=true',
    );
    expect(created.repository).toMatchObject({ repositoryName: 'shop/new', imageTagMutability: 'IMMUTABLE' });
    const again = await aws('ecr', 'create-repository', '--repository-name', 'shop/new');
    expect(again.stderr).toMatch(/RepositoryAlreadyExistsException/);
  });

  it('batch-get-image, put-image (with both "already exists" errors) and describe-images', async () => {
    const got = await awsJson(
      'ecr',
      'batch-get-image',
      '--repository-name',
      'shop/web',
      '--image-ids',
      'imageTag=staging',
      'imageTag=missing',
    );
    expect(got.images).toHaveLength(1);
    expect(got.failures).toEqual([
      { imageId: { imageTag: 'missing' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
    ]);
    const manifest: string = got.images[0].imageManifest;
    const put = await awsJson(
      'ecr',
      'put-image',
      '--repository-name',
      'shop/web',
      '--image-tag',
      'prod',
      '--image-manifest',
      manifest,
    );
    expect(put.image.imageId).toEqual({ imageDigest: got.images[0].imageId.imageDigest, imageTag: 'prod' });
    const twice = await aws(
      'ecr',
      'put-image',
      '--repository-name',
      'shop/web',
      '--image-tag',
      'prod',
      '--image-manifest',
      manifest,
    );
    expect(twice.stderr).toMatch(/ImageAlreadyExistsException/);

    const v1 = await awsJson('ecr', 'batch-get-image', '--repository-name', 'shop/api', '--image-ids', 'imageTag=v1');
    const immutable = await aws(
      'ecr',
      'put-image',
      '--repository-name',
      'shop/api',
      '--image-tag',
      'prod',
      '--image-manifest',
      v1.images[0].imageManifest,
    );
    expect(immutable.stderr).toMatch(/ImageTagAlreadyExistsException.*immutable/);

    const described = await awsJson(
      'ecr',
      'describe-images',
      '--repository-name',
      'shop/web',
      '--image-ids',
      'imageTag=prod',
    );
    expect(described.imageDetails[0].imageTags.sort()).toEqual(['abc1234', 'prod', 'staging']);
    expect(Math.abs(toMillis(described.imageDetails[0].imagePushedAt) - Date.now())).toBeLessThan(120_000);
  });

  it('describe-image-scan-findings gives the scenario severity counts', async () => {
    const out = await awsJson(
      'ecr',
      'describe-image-scan-findings',
      '--repository-name',
      'shop/api',
      '--image-id',
      'imageTag=v1',
    );
    expect(out.imageScanStatus.status).toBe('COMPLETE');
    expect(out.imageScanFindings.findingSeverityCounts).toEqual({ HIGH: 2, LOW: 1 });
  });
});
