import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchRoot = resolve(fileURLToPath(import.meta.url), '..', '..');
export const repoRoot = resolve(benchRoot, '..');

export interface ScriptRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** tsx's command-line entry, run with this same node (no npx in between, so nothing else starts per script). */
function tsxCli(): string {
  const require = createRequire(import.meta.url);
  return resolve(require.resolve('tsx/package.json'), '..', 'dist', 'cli.mjs');
}

/**
 * Runs another bench script (`bench/<name>.ts`) as a child process and collects its output. Its stderr lines (with
 * --json, its human text) are echoed to stderr with a prefix while it runs, so a long full run shows progress and
 * stdout keeps only the final table; its stdout, the JSON report, is only collected.
 */
export function runBenchScript(name: string, args: readonly string[], timeoutMs: number): Promise<ScriptRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [tsxCli(), resolve(benchRoot, `${name}.ts`), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const echo = (text: string) => {
    for (const line of text.split('\n')) if (line.trim()) process.stderr.write(`  [${name}] ${line}\n`);
  };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (stdout += chunk));
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
    echo(chunk);
  });
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      stderr += `\nbench/${name}.ts did not finish within ${Math.round(timeoutMs / 1000)} s`;
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      done({ exitCode, stdout, stderr, durationMs: performance.now() - started });
    });
  });
}
