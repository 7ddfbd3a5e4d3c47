/**
 * Starts a bundle as the runner does (node on the file action.yml names, inputs in INPUT_*, fresh GITHUB_* files) and
 * measures it from the outside: wall time, and peak RSS from `/usr/bin/time -v` when it is installed, otherwise from
 * the child's own `process.resourceUsage().maxRSS` reported at exit. The same wrapper runs the `node -e 0` baseline,
 * so its own cost appears on both sides of a ratio.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';
const RSS_PROBE =
  "data:text/javascript,process.on('exit',()=>process.stderr.write('\\nmax-rss-kb '+process.resourceUsage().maxRSS+'\\n'))";

export interface TimedProcess {
  /** Epoch milliseconds just before the spawn (comparable to the sandbox recorder's `at`). */
  startedAt: number;
  wallMs: number;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  peakRssKb: number;
  rssSource: 'time -v' | 'resourceUsage';
}

export function rssSource(): TimedProcess['rssSource'] {
  return existsSync(GNU_TIME) ? 'time -v' : 'resourceUsage';
}

/** Runs `node <args>` and waits for it to exit. */
export function timeNode(
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number },
): Promise<TimedProcess> {
  const temp = mkdtempSync(join(tmpdir(), 'bench-proc-'));
  const report = join(temp, 'time.txt');
  const source = rssSource();
  const [command, commandArgs] =
    source === 'time -v'
      ? [GNU_TIME, ['-v', '-o', report, process.execPath, ...args]]
      : [process.execPath, ['--import', RSS_PROBE, ...args]];
  const startedAt = Date.now();
  const started = performance.now();
  const child = spawn(command, commandArgs, { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (stdout += chunk));
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      rmSync(temp, { recursive: true, force: true });
      fail(error);
    });
    child.once('close', (code) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      const text = source === 'time -v' && existsSync(report) ? readFileSync(report, 'utf8') : stderr;
      rmSync(temp, { recursive: true, force: true });
      const rss = /(?:Maximum resident set size \(kbytes\):|max-rss-kb)\s*(\d+)/.exec(text);
      // GNU time exits with the command's own status.
      done({
        startedAt,
        wallMs,
        exitCode: code,
        stdout,
        stderr,
        peakRssKb: rss ? Number(rss[1]) : Number.NaN,
        rssSource: source,
      });
    });
  });
}

const RUNNER_VARIABLE = /^(INPUT_|STATE_|GITHUB_|RUNNER_|ACTIONS_|AWS_)/;

/** The environment of a step: the runner's GITHUB_* variables and files, the inputs with action.yml defaults. */
export function stepEnvironment(
  declared: Record<string, { default?: string }>,
  inputs: Record<string, string>,
  extra: Record<string, string>,
  workspace: string,
): { env: NodeJS.ProcessEnv; cleanup: () => void } {
  const temp = mkdtempSync(join(tmpdir(), 'bench-step-'));
  const file = (name: string) => {
    const path = join(temp, name);
    writeFileSync(path, '');
    return path;
  };
  const event = join(temp, 'event.json');
  writeFileSync(event, JSON.stringify({ repository: { full_name: 'acme/shop' } }));
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!RUNNER_VARIABLE.test(key)) env[key] = value;
  // Node reads this certificate file at start (about 0.1 s and a few MB on a 2-core machine); a hosted runner does
  // not set it, and the sandbox speaks plain HTTP, so it would only blur what the bundles themselves cost.
  delete env.NODE_EXTRA_CA_CERTS;
  Object.assign(env, {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SHA: '4f6a0e1c9b2d8a7f3e5c1b0d9a8f7e6d5c4b3a21',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_RUN_ID: '7001234567',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RUN_NUMBER: '42',
    GITHUB_ACTOR: 'octocat',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: event,
    GITHUB_WORKFLOW: 'Deploy',
    GITHUB_JOB: 'deploy',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: file('output'),
    GITHUB_STEP_SUMMARY: file('summary.md'),
    GITHUB_STATE: file('state'),
    GITHUB_ENV: file('env'),
    GITHUB_PATH: file('path'),
    RUNNER_TEMP: temp,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_DEBUG: '0',
    ...extra,
  });
  const known: Record<string, string | undefined> = {
    'github.token': env.GITHUB_TOKEN ?? '',
    'github.sha': env.GITHUB_SHA,
    'job.status': 'success',
  };
  for (const [id, input] of Object.entries(declared)) {
    const value =
      inputs[id] ?? input.default?.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, name: string) => known[name] ?? '');
    if (value !== undefined) env[`INPUT_${id.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  return { env, cleanup: () => rmSync(temp, { recursive: true, force: true }) };
}
