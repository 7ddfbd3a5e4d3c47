// Debian's `docker-registry` (the CNCF Distribution registry) on a free loopback port with htpasswd basic auth:
// the real OCI registry the interop tests push to, with the sandbox's ECR handing out its address.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';

/** Fails (never skips) with what to install when a tool the interop tests need is missing. */
export function requireTools(): void {
  const missing: string[] = [];
  if (!existsSync(REGISTRY_BINARY)) missing.push('docker-registry');
  if (spawnSync('skopeo', ['--version']).status !== 0) missing.push('skopeo');
  if (missing.length > 0) {
    throw new Error(
      `The ECR interop test needs Debian's ${missing.join(' and ')}: apt-get update && apt-get install -y ${missing.join(' ')}`,
    );
  }
}

/**
 * A bcrypt htpasswd line. Uses `htpasswd` (apache2-utils) when present, otherwise the system's crypt(3) through
 * perl (libxcrypt, as on Debian, implements bcrypt), so only the registry and skopeo must be installed.
 */
export function htpasswdLine(user: string, password: string): string {
  const htpasswd = spawnSync('htpasswd', ['-niB', '-C', '5', user], { input: password, encoding: 'utf8' });
  if (htpasswd.status === 0 && htpasswd.stdout.startsWith(`${user}:$2`)) return htpasswd.stdout.trim();
  const alphabet = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const salt = [...randomBytes(21)].map((b) => alphabet[b % 64]).join('') + '.';
  const perl = spawnSync('perl', ['-e', 'my $p = <STDIN>; print crypt($p, $ARGV[0]);', `$2b$05$${salt}`], {
    input: password,
    encoding: 'utf8',
  });
  if (perl.status !== 0 || !perl.stdout.startsWith('$2b$05$')) {
    throw new Error(
      'Cannot make a bcrypt htpasswd entry: install apache2-utils (htpasswd), or a libc whose crypt(3) knows bcrypt',
    );
  }
  return `${user}:${perl.stdout.trim()}`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface LocalRegistry {
  url: string;
  host: string;
  /** Everything the registry logged (its access log included). */
  log(): string;
  /** Requests that carried blob bytes (PATCH and PUT on /blobs/uploads/) the registry has accepted so far. */
  uploadRequests(): number;
  stop(): Promise<void>;
}

export async function startLocalRegistry(user: string, password: string): Promise<LocalRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'registry-'));
  const port = await freePort();
  writeFileSync(join(dir, 'htpasswd'), `${htpasswdLine(user, password)}\n`);
  writeFileSync(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log:',
      '  level: info',
      '  accesslog:',
      '    disabled: false',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      'auth:',
      '  htpasswd:',
      '    realm: ecs-ship-interop',
      `    path: ${join(dir, 'htpasswd')}`,
      '',
    ].join('\n'),
  );
  let output = '';
  const child: ChildProcess = spawn(REGISTRY_BINARY, ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const response = await fetch(`${url}/v2/`);
      if (response.status === 401) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`docker-registry did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    host: `127.0.0.1:${port}`,
    log: () => output,
    uploadRequests: () => (output.match(/"(?:PATCH|PUT) \/v2\/[^ "]+\/blobs\/uploads\/[^"]*" 20[12]/g) ?? []).length,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
