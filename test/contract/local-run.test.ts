/**
 * The README's local run works when pasted: the command in its "Running one action locally" section, run by a shell
 * in the repository after `npm ci`, runs the action's bundle against the sandbox and prints its outputs and summary.
 * And `npm run action` with an env file of one's own against a server of one's own.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@ecs-ship/testing';

/** Runs a command line in bash, with a plain environment, as a person pasting it would; resolves with what it printed. */
function shell(command: string, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

function readmeCommands(): string[] {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.split('### Running one action locally')[1]!.split(/\n##/)[0]!;
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  return block.split('\n').filter((line) => line.trim() && !line.trim().startsWith('#'));
}

test('the README’s command runs the action against the sandbox and prints its outputs and summary', async () => {
  const commands = readmeCommands();
  expect(commands).toEqual([expect.stringMatching(/^npm run action -- /)]);
  const { code, output } = await shell(commands[0]!, repoRoot);
  expect(output).toContain('Running tag-release as the runner would');
  expect(output).toMatch(/Created annotated tag v1\.4\.0/);
  expect(output).toMatch(/^Outputs\n {2}tag = v1\.4\.0\n/m);
  expect(output).toContain('  release-url = https://github.com/acme/shop/releases/tag/v1.4.0');
  expect(output).toMatch(/^ {2}deployment-id = \d+$/m);
  expect(output).toMatch(/^Job summary\n {2}Release v1\.4\.0/m);
  expect(output).toMatch(/✔ succeeded in [\d.]+ s/);
  expect(code).toBe(0);
}, 60_000);

describe('npm run action with an env file of one’s own', () => {
  let server: Server;
  let directory: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      response.writeHead(request.url === '/health' ? 200 : 404, { 'x-app-version': '8f2b6c4' }).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    directory = mkdtempSync(join(tmpdir(), 'local-run-'));
  });
  afterAll(() => {
    server.close();
    rmSync(directory, { recursive: true, force: true });
  });

  test('prints the outputs and fails with the action’s exit code when a check fails', async () => {
    const { port } = server.address() as { port: number };
    writeFileSync(
      join(directory, '.env'),
      [
        `INPUT_BASE-URL=http://127.0.0.1:${port}`,
        'INPUT_WAIT-FOR-HEALTHY-SECONDS=0',
        'INPUT_VERSION-HEADER=X-App-Version',
        'INPUT_EXPECT-VERSION=8f2b6c4',
        'INPUT_CHECKS="- name: health',
        '  url: /health',
        '- name: missing',
        '  url: /missing"',
      ].join('\n'),
    );
    const { code, output } = await shell(
      `npm run -s action -- smoke-test --env-file ${join(directory, '.env')}`,
      repoRoot,
    );
    expect(output).toMatch(/^ {2}result = failed$/m);
    expect(output).toMatch(/^ {2}failed-checks = \["missing"\]$/m);
    expect(output).toMatch(/✖ failed \(exit code 1\)/);
    expect(code).toBe(1);
  }, 60_000);

  test('an INPUT_ the action does not declare is refused, naming the inputs it has', async () => {
    writeFileSync(join(directory, 'typo.env'), 'INPUT_BASEURL=http://example.com\n');
    const { code, output } = await shell(
      `npm run -s action -- smoke-test --env-file ${join(directory, 'typo.env')}`,
      repoRoot,
    );
    expect(output).toContain('INPUT_BASEURL is not an input of smoke-test. Its inputs: checks, checks-file, base-url');
    expect(code).toBe(2);
  }, 60_000);
});
