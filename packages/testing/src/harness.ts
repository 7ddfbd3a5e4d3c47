/**
 * The contract harness: runs an action's bundle exactly the way the GitHub Actions runner does. It spawns Node on the
 * file that action.yml names (or its twin built from the sources for this test run, see runtime.ts), passes inputs
 * as `INPUT_*` variables (with action.yml defaults applied), gives the step fresh environment files and the usual
 * GITHUB_* variables, and reads back what the step wrote.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { actionDirectory, readActionMetadata, type ActionMetadata } from './action-metadata.js';
import { applyActionCredentials } from './iam.js';
import { parseCommand, parseEnvironmentFile, type Annotation } from './runner-protocol.js';
import { assertGroupsDoNotNest } from './log-groups.js';
import { entryScript, nodeRuntime } from './runtime.js';
import { assertNoSecretLeaks, sandboxSecretsOfRun, secretsOfRun, type Secret } from './secrets.js';

export {
  ACTION_NAMES,
  actionDirectory,
  readActionMetadata,
  actionYamlPath,
  repoRoot,
  type ActionName,
  type ActionMetadata,
  type ActionInput,
} from './action-metadata.js';
export type { Annotation } from './runner-protocol.js';

export interface RunOptions {
  /** Input values by their id in action.yml. An id that action.yml does not declare is a test error. */
  inputs?: Record<string, string>;
  /** Extra environment, merged over the runner-like defaults. */
  env?: Record<string, string | undefined>;
  /** Which entry to run: `main` or `post`. */
  step?: 'main' | 'post';
  /** State saved by an earlier run of the same action (for `post`). */
  state?: Record<string, string>;
  /** Working directory (GITHUB_WORKSPACE); a fresh temporary folder by default. */
  cwd?: string;
  /** The step is killed (and the test fails) after this long. */
  timeoutMs?: number;
}

export interface ActionRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  lines: string[];
  outputs: Record<string, string>;
  summary: string;
  state: Record<string, string>;
  exportedEnv: Record<string, string>;
  annotations: Annotation[];
  errors: string[];
  warnings: string[];
  masks: string[];
  /** Input ids the kit reported reading (`::debug::read input "<id>"`). */
  inputsRead: string[];
  /** Everything a person could see: log lines (without the add-mask commands themselves), outputs and summary. */
  visibleText: string;
  durationMs: number;
}

export interface RunningAction {
  child: ChildProcess;
  /** Lines printed so far. */
  lines: string[];
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): void;
  result: Promise<ActionRun>;
}

/** A fixed commit for runs that do not name one. */
export const DEFAULT_SHA = '4f6a0e1c9b2d8a7f3e5c1b0d9a8f7e6d5c4b3a21';

const RUNNER_VARIABLE = /^(INPUT_|STATE_|GITHUB_|RUNNER_|ACTIONS_|AWS_)/;

/** What a step is given before it starts: its environment, its environment files, its workspace. */
interface PreparedStep {
  metadata: ActionMetadata;
  env: NodeJS.ProcessEnv;
  files: Record<'output' | 'summary' | 'state' | 'env' | 'path' | 'event', string>;
  temp: string;
  workspace: string;
}

/** The step's files and environment, as the runner prepares them; `temp` holds the files and is the step's to remove. */
export function prepareStep(name: string, options: RunOptions = {}): PreparedStep {
  const metadata = readActionMetadata(name);
  const temp = mkdtempSync(join(tmpdir(), `action-${basename(name)}-`));
  const files = {
    output: join(temp, 'output'),
    summary: join(temp, 'summary.md'),
    state: join(temp, 'state'),
    env: join(temp, 'env'),
    path: join(temp, 'path'),
    event: join(temp, 'event.json'),
  };
  for (const file of [files.output, files.summary, files.state, files.env, files.path]) writeFileSync(file, '');
  writeFileSync(files.event, JSON.stringify({ repository: { full_name: 'acme/shop' } }));
  const workspace = options.cwd ?? join(temp, 'workspace');
  if (!options.cwd) mkdirSync(workspace);
  const env = buildEnvironment(name, metadata, options, files, temp, workspace);
  return { metadata, env, files, temp, workspace };
}

export function startAction(name: string, options: RunOptions = {}): RunningAction {
  const { metadata, env, files, temp, workspace } = prepareStep(name, options);
  const step = options.step ?? 'main';
  const entry = step === 'main' ? metadata.runs.main : metadata.runs.post;
  if (!entry) throw new Error(`${name} has no ${step} entry in action.yml`);
  const script = entryScript(actionDirectory(name), entry);
  const started = Date.now();
  const child = spawn(nodeRuntime().path, [script], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });

  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    stdout += chunk;
    partial += chunk;
    const complete = partial.split('\n');
    partial = complete.pop()!;
    for (const line of complete) {
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.pattern.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stderr!.on('data', (chunk: string) => (stderr += chunk));

  const timeoutMs = options.timeoutMs ?? 60_000;
  const result = new Promise<ActionRun>((resolveRun, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not finish within ${timeoutMs} ms. Output so far:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      if (partial) lines.push(partial);
      const durationMs = Date.now() - started;
      // The sandbox usually serves from this very process: its secrets are read without blocking, then checked.
      sandboxSecretsOfRun(env)
        .then((sandboxSecrets) => {
          const run = collect(exitCode, signal, stdout, stderr, lines, files, durationMs, {
            name,
            env,
            options,
            sandboxSecrets,
          });
          const undeclared = Object.keys(run.outputs).filter((output) => !(output in (metadata.outputs ?? {})));
          if (undeclared.length > 0)
            throw new Error(`${name} set outputs that action.yml does not declare: ${undeclared.join(', ')}`);
          resolveRun(run);
        })
        .catch(reject)
        .finally(() => rmSync(temp, { recursive: true, force: true }));
    });
  });

  return {
    child,
    lines,
    kill: (signal = 'SIGINT') => void child.kill(signal),
    waitForLine: (pattern, waitMs = 30_000) => {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolveLine, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`No line matched ${pattern} within ${waitMs} ms. Output:\n${stdout}`)),
          waitMs,
        );
        waiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolveLine(line);
          },
        });
      });
    },
    result,
  };
}

export function runAction(name: string, options: RunOptions = {}): Promise<ActionRun> {
  return startAction(name, options).result;
}

function buildEnvironment(
  name: string,
  metadata: ActionMetadata,
  options: RunOptions,
  files: Record<string, string>,
  temp: string,
  workspace: string,
): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!RUNNER_VARIABLE.test(key)) base[key] = value;
  const env: NodeJS.ProcessEnv = {
    ...base,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION: name,
    GITHUB_ACTION_PATH: actionDirectory(name),
    GITHUB_ACTOR: 'octocat',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_JOB: 'deploy',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RUN_ID: '7001234567',
    GITHUB_RUN_NUMBER: '42',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_SHA: DEFAULT_SHA,
    GITHUB_WORKFLOW: 'Deploy',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_TEMP: temp,
    RUNNER_DEBUG: '1',
    ...options.env,
  };

  const declared = metadata.inputs ?? {};
  for (const id of Object.keys(options.inputs ?? {})) {
    if (!(id in declared)) throw new Error(`${name}: input "${id}" is not declared in action.yml`);
  }
  for (const [id, input] of Object.entries(declared)) {
    const given = options.inputs?.[id];
    const value = given !== undefined ? given : evaluateDefault(input.default, env);
    if (value !== undefined) env[`INPUT_${id.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  for (const [key, value] of Object.entries(options.state ?? {})) env[`STATE_${key}`] = value;
  applyActionCredentials(name, env);
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return env;
}

/** The runner evaluates `${{ }}` in defaults before the code runs; the harness knows the common contexts. */
function evaluateDefault(value: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (value === undefined) return undefined;
  return String(value).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
    const known: Record<string, string | undefined> = {
      'github.token': env.GITHUB_TOKEN ?? '',
      'github.sha': env.GITHUB_SHA,
      'github.repository': env.GITHUB_REPOSITORY,
      'github.run_id': env.GITHUB_RUN_ID,
      'github.run_attempt': env.GITHUB_RUN_ATTEMPT,
      'github.server_url': env.GITHUB_SERVER_URL,
      'github.ref_name': env.GITHUB_REF_NAME,
      'github.actor': env.GITHUB_ACTOR,
      'github.workspace': env.GITHUB_WORKSPACE,
      'job.status': 'success',
    };
    if (!(expression in known))
      throw new Error(`The harness cannot evaluate the default expression \${{ ${expression} }}`);
    return known[expression] ?? '';
  });
}

function collect(
  exitCode: number | null,
  signal: NodeJS.Signals | null,
  stdout: string,
  stderr: string,
  lines: string[],
  files: Record<string, string>,
  durationMs: number,
  step: { name: string; env: NodeJS.ProcessEnv; options: RunOptions; sandboxSecrets: Secret[] },
): ActionRun {
  const annotations: Annotation[] = [];
  const masks: string[] = [];
  const inputsRead: string[] = [];
  const visibleLines: string[] = [];
  for (const line of lines) {
    const command = parseCommand(line);
    if (command?.command === 'add-mask') {
      masks.push(command.message);
      continue;
    }
    visibleLines.push(line);
    if (!command) continue;
    if (['error', 'warning', 'notice', 'debug'].includes(command.command)) {
      annotations.push({
        level: command.command as Annotation['level'],
        message: command.message,
        properties: command.properties,
      });
    }
    const read = command.command === 'debug' && /^read input "(.+)"$/.exec(command.message);
    if (read) inputsRead.push(read[1]!);
  }
  const outputs = parseEnvironmentFile(readFileSync(files.output!, 'utf8'));
  const summary = readFileSync(files.summary!, 'utf8');
  // Suite-wide: no run of any test may show a secret it knows (see secrets.ts).
  const secrets = secretsOfRun(step.env, masks, step.options.env, step.sandboxSecrets);
  assertNoSecretLeaks(step.name, { log: visibleLines.join('\n'), stderr, outputs, summary }, secrets);
  // Suite-wide too: no run of any test may nest log groups (see log-groups.ts).
  assertGroupsDoNotNest(step.name, lines);
  return {
    exitCode,
    signal,
    stdout,
    stderr,
    lines,
    outputs,
    summary,
    state: parseEnvironmentFile(readFileSync(files.state!, 'utf8')),
    exportedEnv: parseEnvironmentFile(readFileSync(files.env!, 'utf8')),
    annotations,
    errors: annotations.filter((a) => a.level === 'error').map((a) => a.message),
    warnings: annotations.filter((a) => a.level === 'warning').map((a) => a.message),
    masks,
    inputsRead,
    visibleText: [...visibleLines, stderr, ...Object.values(outputs), summary].join('\n'),
    durationMs,
  };
}

/** The file a run of the action's main entry executes: the committed bundle, or its twin built from the sources. */
export function bundlePath(name: string): string {
  return entryScript(actionDirectory(name), readActionMetadata(name).runs.main);
}
