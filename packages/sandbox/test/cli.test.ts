import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const scenario = fileURLToPath(new URL('../scenarios/rollback.yaml', import.meta.url));

function run(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('sandbox CLI', () => {
  it('prints the export lines, serves until SIGINT, then exits 0', async () => {
    const envOut = join(mkdtempSync(join(tmpdir(), 'sandbox-cli-')), 'sandbox.env');
    const proc = run(['--scenario', scenario, '--port', '0', '--env-out', envOut]);
    const deadline = Date.now() + 20_000;
    while (!proc.err().includes('Ctrl-C stops it') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const env = Object.fromEntries(
      proc
        .out()
        .trim()
        .split('\n')
        .map((line) => /^export ([A-Z0-9_]+)=(.*)$/.exec(line)?.slice(1) ?? []),
    ) as Record<string, string>;
    expect(env.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(env)).toEqual(
      expect.arrayContaining([
        'AWS_REGION',
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'GITHUB_API_URL',
        'SLACK_WEBHOOK_URL_DEPLOYS',
      ]),
    );
    expect(readFileSync(envOut, 'utf8')).toBe(proc.out());
    const health = await fetch(`${env.AWS_ENDPOINT_URL}/_sandbox/health`);
    expect(health.status).toBe(200);
    proc.child.kill('SIGINT');
    expect(await proc.exited).toBe(0);
  });

  it('exits 1 with one line naming a scenario file that does not exist', async () => {
    const proc = run(['--scenario', 'no-such-scenario.yaml']);
    expect(await proc.exited).toBe(1);
    expect(proc.err().trim()).toBe('sandbox: Scenario file not found: no-such-scenario.yaml');
    expect(proc.out()).toBe('');
  });

  it('refuses an unknown option or a bad port with usage (exit 2)', async () => {
    const bad = run(['--port', 'many']);
    expect(await bad.exited).toBe(2);
    expect(bad.err()).toContain('--port must be a number from 0 to 65535');
  });
});
