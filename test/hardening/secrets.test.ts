/**
 * The suite-wide secrets check (packages/testing/src/secrets.ts) catches a step that shows a secret: a fixture action shows
 * one on purpose, in each place a person can read, and every such run is refused with the secret's name and never
 * its value. The secrets of the sandbox a run is pointed at count without the test doing anything. The pure search
 * is tested on its own as well.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { runAction } from '@ecs-ship/testing';
import { findLeaks, sandboxSecretsOfRun, secretsOfRun } from '@ecs-ship/testing/secrets';

const LEAKY = fileURLToPath(new URL('./fixtures/leaky-action', import.meta.url));
const fresh = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: { ecr: { repositories: [] }, slack: { webhooks: [{ name: 'deploys' }] } } });
});
afterAll(() => sandbox.stop());

/** Runs the fixture and returns the leak error's message (the run must be refused). */
async function refusal(options: Parameters<typeof runAction>[1]): Promise<string> {
  const error = await runAction(LEAKY, options).then(
    () => undefined,
    (caught: unknown) => caught as Error,
  );
  if (!error) throw new Error('The run was accepted, but it showed a secret');
  return error.message;
}

describe('a step that shows nothing secret', () => {
  it('passes the check, with its token masked and its log, outputs and summary read back', async () => {
    const token = fresh('ghs_');
    const run = await runAction(LEAKY, { inputs: { token }, env: { GITHUB_TOKEN: fresh('ghs_') } });
    expect(run.exitCode).toBe(0);
    expect(run.masks).toEqual([token]);
    expect(run.lines).toContain('Using the token (***)');
  });
});

describe('a step that shows a secret is refused, naming the secret and never its value', () => {
  const places = ['log', 'stderr', 'output', 'summary', 'error', 'masked-late'] as const;

  it.each(places)('a secret input shown in the %s', async (leak) => {
    const token = fresh('tok-');
    const message = await refusal({ inputs: { leak, token } });
    expect(message).toContain('input "token"');
    expect(message).not.toContain(token);
  });

  it('GITHUB_TOKEN from the environment, shown in the log', async () => {
    const token = fresh('ghs_');
    const message = await refusal({ inputs: { leak: 'log', value: token }, env: { GITHUB_TOKEN: token } });
    expect(message).toContain('GITHUB_TOKEN in the log');
    expect(message).not.toContain(token);
  });

  it('any variable named like a secret that the test hands over (a smoke-test header token)', async () => {
    const secret = fresh('key-');
    const message = await refusal({ inputs: { leak: 'output', value: secret }, env: { API_TOKEN: secret } });
    expect(message).toContain('API_TOKEN in output "shown"');
    expect(message).not.toContain(secret);
  });

  it("the sandbox's Slack webhook URL and AWS secret key, from its env()", async () => {
    const env = sandbox.env();
    const webhook = env.SLACK_WEBHOOK_URL!;
    const message = await refusal({ inputs: { leak: 'summary', value: webhook }, env });
    expect(message).toContain('SLACK_WEBHOOK_URL in the step summary');
    expect(message).not.toContain(webhook);
    const key = await refusal({ inputs: { leak: 'stderr', value: env.AWS_SECRET_ACCESS_KEY! }, env });
    expect(key).toContain('AWS_SECRET_ACCESS_KEY in stderr');
  });

  it('an ECR authorization token, recognised by its shape without any registration', async () => {
    const token = Buffer.from(`AWS:${fresh('')}`).toString('base64');
    const message = await refusal({ inputs: { leak: 'log', value: token } });
    expect(message).toContain('an ECR authorization token in the log');
    expect(message).not.toContain(token);
  });

  it('a GitHub token or a Slack webhook path, recognised by shape', async () => {
    expect(await refusal({ inputs: { leak: 'log', value: `ghp_${'A1'.repeat(15)}` } })).toContain(
      'a GitHub token in the log',
    );
    expect(
      await refusal({
        inputs: { leak: 'error', value: 'https://hooks.slack.com/services/T01ABC/B02DEF/Xy12Zq34Wv56' },
      }),
    ).toContain('a Slack webhook URL in the log');
  });

  it("the sandbox's own ECR password, for any run pointed at the sandbox, with no opt-in", async () => {
    const { password } = sandbox.state('ecr').settings;
    // Pointed elsewhere, nothing marks the bare password as secret: the run passes, so the refusal below is the
    // sandbox's doing.
    const elsewhere = await runAction(LEAKY, { inputs: { leak: 'log', value: password } });
    expect(elsewhere.lines).toContain(`Using ${password}`);

    const message = await refusal({ inputs: { leak: 'log', value: password }, env: { AWS_ENDPOINT_URL: sandbox.url } });
    expect(message).toContain('sandbox ECR password in the log');
    expect(message).not.toContain(password);
  });

  it("the sandbox's ECR authorization token, named as the sandbox's and not only by its shape", async () => {
    const token = sandbox.secrets().find((s) => s.name === 'ECR authorization token')!.value;
    const message = await refusal({ inputs: { leak: 'output', value: token }, env: sandbox.env() });
    expect(message).toContain('sandbox ECR authorization token in output "shown"');
    expect(message).not.toContain(token);
  });

  it('the secrets of the scenario loaded when the run ends', async () => {
    const password = fresh('reloaded-');
    sandbox.load({ ecr: { repositories: [], password }, slack: { webhooks: [{ name: 'deploys' }] } });
    const message = await refusal({ inputs: { leak: 'stderr', value: password }, env: sandbox.env() });
    expect(message).toContain('sandbox ECR password in stderr');
  });
});

describe('the search itself', () => {
  const parts = (log: string) => ({ log, stderr: '', outputs: {}, summary: '' });

  it('finds each line of a multi-line secret, and ignores values too short to mask', () => {
    const secrets = [
      { name: 'key', value: '-----BEGIN KEY-----\nMIIEvQIBADANBgkq\n-----END KEY-----' },
      { name: 'pin', value: '123' },
    ];
    expect(findLeaks(parts('line MIIEvQIBADANBgkq shown, and 123'), secrets)).toEqual(['key in the log']);
  });

  it('reads the variables that smoke-check headers take their values from', () => {
    const checks =
      '- name: api\n  url: https://x.example/\n  headers: { Authorization: { env: SHOP_AUTH, prefix: "Bearer " } }';
    const secrets = secretsOfRun({ INPUT_CHECKS: checks, SHOP_AUTH: 'opaque-credential-9' }, [], {
      SHOP_AUTH: 'opaque-credential-9',
    });
    expect(secrets).toContainEqual({ name: 'header variable SHOP_AUTH', value: 'opaque-credential-9' });
  });

  it('reads secret inputs by id, build secrets by line, only the test-given variables by name, then the sandbox', async () => {
    const fromSandbox = await sandboxSecretsOfRun(sandbox.env());
    const secrets = secretsOfRun(
      {
        INPUT_TOKEN: 'tok-1234',
        'INPUT_WEBHOOK-URL': 'https://hooks.example/abc',
        INPUT_SECRETS: 'npm=npm-secret-1\npip=pip-secret-2',
        INPUT_TAGS: 'v1.2.3',
        DEPLOY_TOKEN: 'from-test-123',
        HOME_TOKEN: 'from-the-machine',
      },
      ['masked-1'],
      { DEPLOY_TOKEN: 'from-test-123' },
      fromSandbox,
    );
    expect(secrets.map((s) => s.name)).toEqual([
      'value masked by the step (#1)',
      'input "token"',
      'input "webhook-url"',
      'input "secrets" (npm)',
      'input "secrets" (pip)',
      'DEPLOY_TOKEN',
      ...sandbox.secrets().map((s) => `sandbox ${s.name}`),
    ]);
  });
});

describe("reading a run's sandbox secrets", () => {
  it("asks each sandbox the run points at once, by its origin, and names its secrets as the sandbox's", async () => {
    const other = await startSandbox({ scenario: { ecr: { repositories: [] } } });
    try {
      const secrets = await sandboxSecretsOfRun({
        AWS_ENDPOINT_URL: sandbox.url,
        SLACK_WEBHOOK_URL: sandbox.env().SLACK_WEBHOOK_URL,
        GITHUB_API_URL: other.url,
      });
      expect(secrets).toEqual(
        [...sandbox.secrets(), ...other.secrets()].map(({ name, value }) => ({ name: `sandbox ${name}`, value })),
      );
    } finally {
      await other.stop();
    }
  });

  it('gets nothing from what is not a running sandbox on this machine: a remote API, a stopped sandbox, another server', async () => {
    const stopped = await startSandbox();
    await stopped.stop();
    const server = createServer((_, res) => res.writeHead(404).end('Not Found'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      expect(await sandboxSecretsOfRun({ GITHUB_API_URL: 'https://api.github.com' })).toEqual([]);
      expect(await sandboxSecretsOfRun({ AWS_ENDPOINT_URL: stopped.url })).toEqual([]);
      expect(await sandboxSecretsOfRun({ SLACK_WEBHOOK_URL: `http://127.0.0.1:${port}/hook` })).toEqual([]);
      expect(await sandboxSecretsOfRun({ AWS_ENDPOINT_URL: 'not a URL' })).toEqual([]);
    } finally {
      server.close();
    }
  });
});
