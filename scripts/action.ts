/**
 * `npm run action -- <action> [--env-file <file>] [--sandbox <scenario.yaml>] [--workspace <dir>]`: runs one action's
 * committed bundle on this machine exactly as the runner runs it (the contract harness: `node` on the file action.yml
 * names, inputs as `INPUT_*` with action.yml's defaults applied, fresh GITHUB_OUTPUT / GITHUB_STEP_SUMMARY /
 * GITHUB_STATE / GITHUB_ENV files), shows its log as it goes, then prints its outputs and its job summary.
 *
 * The env file holds `INPUT_<ID>=value` lines (the runner's names: `INPUT_TASK-DEFINITION`) and any other variables the
 * step needs (AWS_REGION, GITHUB_TOKEN, ...); quoted values may span lines. Without `--sandbox` the step reaches AWS and
 * GitHub with the credentials of this shell; with it, a sandbox started from that scenario answers instead, and is
 * stopped when the step ends. Ctrl-C cancels the step the way the runner does (SIGINT).
 * Relative paths are relative to the repository root, where npm runs scripts: Node 20 itself reads `--env-file` from
 * anywhere on its command line and resolves it from there too. (package.json starts the script with
 * `node --import tsx`; the tsx command would take `--env-file` for its own as well.)
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseArgs, parseEnv } from 'node:util';
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import { ACTION_NAMES, readActionMetadata, startAction } from '@ecs-ship/testing';
import { parseCommand } from '@ecs-ship/testing/runner-protocol';
import { bold, dim, eachLine, green, narrate, red } from './terminal-log.js';
import { renderMarkdown } from './terminal-markdown.js';

const USAGE = `Usage: npm run action -- <action> [--env-file <file>] [--sandbox <scenario.yaml>] [--workspace <dir>]

  <action>      ${ACTION_NAMES.join(', ')}
  --env-file    INPUT_<ID>=value lines (and any other variables the step needs)
  --sandbox     start the built-in sandbox with this scenario and point the step at it
  --workspace   the step's working directory (GITHUB_WORKSPACE); default: the repository root
Relative paths are relative to the repository root.`;

/** Variables of this shell the step keeps (the harness starts from a clean runner environment). */
const PASSED_THROUGH =
  /^(AWS_|GITHUB_TOKEN$|GITHUB_REPOSITORY$|GITHUB_SHA$|GITHUB_API_URL$|RUNNER_DEBUG$|HTTPS?_PROXY$|NO_PROXY$)/i;

class UsageError extends Error {}

function inputId(action: string, variable: string): string {
  const inputs = Object.keys(readActionMetadata(action).inputs ?? {});
  const id = inputs.find((candidate) => `INPUT_${candidate.replace(/ /g, '_').toUpperCase()}` === variable);
  if (id === undefined) {
    throw new UsageError(`${variable} is not an input of ${action}. Its inputs: ${inputs.join(', ')}.`);
  }
  return id;
}

/** The env file's INPUT_* lines as inputs by id, everything else as environment. */
function readEnvFile(action: string, path: string | undefined, cwd: string) {
  const inputs: Record<string, string> = {};
  const env: Record<string, string> = {};
  if (path === undefined) return { inputs, env };
  let text: string;
  try {
    text = readFileSync(isAbsolute(path) ? path : resolve(cwd, path), 'utf8');
  } catch (error) {
    throw new UsageError(`--env-file ${path} cannot be read (${(error as NodeJS.ErrnoException).code}).`);
  }
  for (const [key, value = ''] of Object.entries(parseEnv(text))) {
    if (key.toUpperCase().startsWith('INPUT_')) inputs[inputId(action, key.toUpperCase())] = value;
    else env[key] = value;
  }
  return { inputs, env };
}

/** Replaces every masked value, as the runner does in every line after `::add-mask::`. */
function masked(line: string, masks: string[]): string {
  return masks.reduce((text, secret) => (secret ? text.split(secret).join('***') : text), line);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'env-file': { type: 'string' },
      sandbox: { type: 'string' },
      workspace: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const action = positionals[0];
  if (!action || positionals.length > 1 || !(ACTION_NAMES as readonly string[]).includes(action)) {
    throw new UsageError(action ? `"${positionals.join(' ')}" is not one action of this suite.` : 'Name an action.');
  }
  const cwd = process.cwd();
  const file = readEnvFile(action, values['env-file'], cwd);

  let sandbox: Sandbox | undefined;
  if (values.sandbox) {
    sandbox = await startSandbox({ scenario: resolve(cwd, values.sandbox) });
    process.stdout.write(dim(`Sandbox (ECS, ECR, Logs, RDS, GitHub, Slack) at ${sandbox.url}\n`));
  }
  try {
    const shell = Object.fromEntries(Object.entries(process.env).filter(([key]) => PASSED_THROUGH.test(key)));
    const env = { RUNNER_DEBUG: '0', ...shell, ...sandbox?.env(), ...file.env } as Record<string, string>;
    process.stdout.write(bold(`Running ${action} as the runner would\n`));
    const step = startAction(action, {
      inputs: file.inputs,
      env,
      cwd: values.workspace ? resolve(cwd, values.workspace) : cwd,
      timeoutMs: 6 * 3_600_000, // a hosted job's limit
    });
    process.once('SIGINT', () => step.kill('SIGINT'));
    const masks: string[] = [];
    eachLine(step.child.stdout!, (line) => {
      const command = parseCommand(line);
      if (command?.command === 'add-mask') masks.push(command.message);
      const shown = narrate(masked(line, masks));
      if (shown !== undefined) process.stdout.write(`${shown}\n`);
    });
    step.child.stderr!.on('data', (chunk: Buffer | string) => process.stderr.write(masked(chunk.toString(), masks)));
    const run = await step.result;

    process.stdout.write(`\n${bold('Outputs')}\n`);
    const outputs = Object.entries(run.outputs);
    if (outputs.length === 0) process.stdout.write(dim('  (none)\n'));
    for (const [name, value] of outputs) {
      process.stdout.write(`  ${name} = ${masked(value, masks).replace(/\n/g, '\n    ')}\n`);
    }
    if (run.summary.trim()) {
      process.stdout.write(`\n${bold('Job summary')}\n`);
      process.stdout.write(`${renderMarkdown(masked(run.summary, masks), { bold, dim }).replace(/^/gm, '  ')}\n`);
    }
    const verdict =
      run.exitCode === 0 ? green('✔ succeeded') : red(`✖ failed (exit code ${run.exitCode ?? run.signal})`);
    process.stdout.write(`\n${verdict} in ${(run.durationMs / 1000).toFixed(1)} s\n`);
    return run.exitCode ?? 1;
  } finally {
    await sandbox?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(
      error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')
        ? `${error.message}\n\n${USAGE}\n`
        : `${error.stack}\n`,
    );
    process.exit(2);
  },
);
