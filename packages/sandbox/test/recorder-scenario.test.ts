import { ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import * as z from 'zod';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScenarioError, startSandbox, type Sandbox, type SandboxRequest } from '../src/index.js';
import { redactValue } from '../src/core/redact.js';
import { fakeEcs, fakeRds } from './support/test-modules.js';

let sandbox: Sandbox;
const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' };

beforeAll(async () => {
  sandbox = await startSandbox({ services: [fakeEcs, fakeRds] });
});
afterAll(() => sandbox.stop());

describe('recorder', () => {
  it('records each call with secrets redacted, programmatically and at GET /_sandbox/calls', async () => {
    sandbox.recorder.clear();
    const ecs = new ECSClient({ region: 'us-east-1', endpoint: sandbox.url, credentials });
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web',
        containerDefinitions: [
          {
            name: 'app',
            environment: [
              { name: 'DB_PASSWORD', value: 'hunter2' },
              { name: 'LOG_LEVEL', value: 'debug' },
            ],
            secrets: [{ name: 'API_TOKEN', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/token' }],
          },
        ],
      }),
    );
    ecs.destroy();
    const [call] = sandbox.recorder.mutatingCalls();
    expect(call).toMatchObject({
      seq: expect.any(Number),
      service: 'ecs',
      operation: 'RegisterTaskDefinition',
      status: 200,
    });
    const text = JSON.stringify(call);
    expect(text).not.toContain('hunter2');
    expect(text).toContain('"LOG_LEVEL","value":"debug"');

    const response = await fetch(`${sandbox.url}/_sandbox/calls?service=ecs&mutating=true`);
    const body = (await response.json()) as { calls: unknown[] };
    expect(body.calls).toEqual([call]);
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });

  it('redacts passwords, tokens, authorization data and webhook paths wherever they sit', () => {
    const redacted = redactValue({
      MasterUserPassword: 'p4ss',
      authorizationData: [{ authorizationToken: 'QVdTOnNlY3JldA==' }],
      nextToken: 'page-2',
      note: 'posted to https://hooks.slack.com/services/T000/B000/abcdef with ghp_abcdefghijklmnop1234',
    });
    expect(redacted).toEqual({
      MasterUserPassword: '***',
      authorizationData: [{ authorizationToken: '***' }],
      nextToken: 'page-2',
      note: 'posted to https://hooks.slack.com/services/*** with ***',
    });
  });

  it('waitFor resolves when the condition holds and names it when it does not', async () => {
    let ready = false;
    setTimeout(() => (ready = true), 30);
    await expect(sandbox.waitFor(() => ready, { timeoutMs: 2000 })).resolves.toBeUndefined();
    await expect(sandbox.waitFor(() => false, { timeoutMs: 50, description: 'the moon' })).rejects.toThrow(
      'the moon not met within 50 ms',
    );
  });
});

describe('scenarios', () => {
  it('loads YAML from a file path, applies defaults, and resets state on load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-scenario-'));
    const file = join(dir, 'scenario.yaml');
    writeFileSync(file, 'accountId: "210987654321"\ntimeScale: 0.01\necs:\n  clusters: [a, b, c]\n');
    sandbox.load(file);
    expect(sandbox.scenario).toMatchObject({ accountId: '210987654321', region: 'us-east-1', timeScale: 0.01 });
    expect(sandbox.stateOf(fakeEcs).clusters).toEqual(['a', 'b', 'c']);
    expect(sandbox.recorder.calls()).toEqual([]);
    sandbox.load({});
    expect(sandbox.stateOf(fakeEcs).clusters).toEqual(['default']);
    expect(sandbox.scenario.accountId).toBe('123456789012');
  });

  it('refuses unknown sections and invalid values, naming them', () => {
    expect(() => sandbox.load('ecss:\n  clusters: []\n')).toThrow(ScenarioError);
    expect(() => sandbox.load('ecss:\n  clusters: []\n')).toThrow(/ecss/);
    expect(() => sandbox.load('accountId: "12"\n')).toThrow(/12 digits[\s\S]*at accountId/);
    expect(() => sandbox.load('timeScale: -1\n')).toThrow(/timeScale/);
    expect(() => sandbox.load('no/such/scenario.yaml')).toThrow('Scenario file not found: no/such/scenario.yaml');
  });

  it('keeps the current state when a scenario fails to load', () => {
    sandbox.load('ecs:\n  clusters: [kept]\n');
    expect(() => sandbox.load('ecs:\n  clusters: 7\n')).toThrow(/clusters/);
    expect(sandbox.stateOf(fakeEcs).clusters).toEqual(['kept']);
  });

  it('loads a scenario over HTTP at POST /_sandbox/scenario', async () => {
    const response = await fetch(`${sandbox.url}/_sandbox/scenario`, {
      method: 'POST',
      body: 'ecs:\n  clusters: [http]\n',
    });
    expect(response.status).toBe(200);
    expect(sandbox.stateOf(fakeEcs).clusters).toEqual(['http']);
  });

  it('gives the environment that points clients at the sandbox, also at GET /_sandbox/env', async () => {
    const served = await fetch(`${sandbox.url}/_sandbox/env`);
    expect(await served.json()).toEqual(sandbox.env());
    expect(sandbox.env()).toMatchObject({
      AWS_ENDPOINT_URL: sandbox.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: expect.any(String),
      AWS_SECRET_ACCESS_KEY: expect.any(String),
    });
  });
});

describe('a module that fails', () => {
  it('answers 500 and records the call instead of dropping it', async () => {
    const broken = {
      key: 'broken',
      schema: z.object({}),
      create: () => ({
        protocol: 'http' as const,
        name: 'broken',
        describe: (req: SandboxRequest) =>
          req.url.pathname === '/broken' ? { operation: 'GET /broken', mutating: false } : undefined,
        handle: () => {
          throw new Error('bug in a module');
        },
      }),
    };
    const other = await startSandbox({ services: [broken] });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const response = await fetch(`${other.url}/broken`);
      expect(response.status).toBe(500);
      expect(other.recorder.calls({ service: 'broken' })).toEqual([
        expect.objectContaining({ operation: 'GET /broken', status: 500, errorCode: 'InternalFailure' }),
      ]);
    } finally {
      stderr.mockRestore();
      await other.stop();
    }
  });
});
