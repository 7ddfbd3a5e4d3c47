// The sandbox lists the secrets it hands to clients, so that a leak check in any process can look for them.
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SANDBOX_SECRET_ACCESS_KEY, startSandbox, type Sandbox, type SandboxSecret } from '../src/index.js';

const first = {
  ecr: { password: 'first-registry-password' },
  github: {
    tokens: [
      { token: 'ghs_firstTokenAaaaaaaaaaaaaaaaaaaaaaaaa', permissions: { contents: 'write' } },
      { token: 'ghs_secondTokenBbbbbbbbbbbbbbbbbbbbbbbb', permissions: { contents: 'read' } },
    ],
  },
  slack: { webhooks: [{ name: 'deploys' }, { name: 'alerts' }] },
};

const second = {
  ecr: { password: 'second-registry-password' },
  github: { tokens: [{ token: 'ghs_thirdTokenCcccccccccccccccccccccccc', permissions: { contents: 'write' } }] },
  slack: { webhooks: [{ name: 'releases' }] },
};

const base64 = (text: string) => Buffer.from(text).toString('base64');

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: first });
});
afterAll(() => sandbox.stop());

async function listed(): Promise<SandboxSecret[]> {
  const response = await fetch(`${sandbox.url}/_sandbox/secrets`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { secrets: SandboxSecret[] }).secrets;
}

describe('GET /_sandbox/secrets', () => {
  it("lists the AWS key, the ECR password and token, each GitHub token and each webhook's URL by name", async () => {
    const slack = sandbox.state('slack');
    const secrets = await listed();
    expect(secrets).toEqual([
      { name: 'AWS secret access key', value: SANDBOX_SECRET_ACCESS_KEY },
      { name: 'ECR password', value: 'first-registry-password' },
      { name: 'ECR authorization token', value: base64('AWS:first-registry-password') },
      { name: 'GitHub token #1', value: 'ghs_firstTokenAaaaaaaaaaaaaaaaaaaaaaaaa' },
      { name: 'GitHub token #2', value: 'ghs_secondTokenBbbbbbbbbbbbbbbbbbbbbbbb' },
      { name: 'Slack webhook "deploys"', value: slack.url('deploys') },
      { name: 'Slack webhook "alerts"', value: slack.url('alerts') },
    ]);
    expect(sandbox.secrets()).toEqual(secrets);
  });

  it('lists the very token GetAuthorizationToken hands out', async () => {
    const ecr = new ECRClient({
      region: 'us-east-1',
      endpoint: sandbox.url,
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SANDBOX_SECRET_ACCESS_KEY },
    });
    const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
    ecr.destroy();
    const token = (await listed()).find((s) => s.name === 'ECR authorization token')?.value;
    expect(authorizationData?.[0]?.authorizationToken).toBe(token);
  });

  it("follows load(): the new scenario's secrets replace the old ones", async () => {
    sandbox.load(second);
    const secrets = await listed();
    const values = secrets.map((s) => s.value);
    expect(secrets.map((s) => s.name)).toEqual([
      'AWS secret access key',
      'ECR password',
      'ECR authorization token',
      'GitHub token #1',
      'Slack webhook "releases"',
    ]);
    expect(values).toContain('second-registry-password');
    expect(values).toContain('ghs_thirdTokenCcccccccccccccccccccccccc');
    expect(values).not.toContain('first-registry-password');
    expect(values).not.toContain('ghs_firstTokenAaaaaaaaaaaaaaaaaaaaaaaaa');
  });

  it('is not recorded as a call', async () => {
    sandbox.recorder.clear();
    await listed();
    expect(sandbox.recorder.calls()).toEqual([]);
  });
});
