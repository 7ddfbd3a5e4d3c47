/**
 * The runner's file protocol: outputs, job summary, state for `post:` steps and exported variables.
 *
 * Written here rather than through @actions/core: importing @actions/core loads its HTTP client (for OIDC tokens,
 * which no action of this suite asks for), and that client compiles undici's HTTP parser to WebAssembly at load,
 * about 19 MB of resident memory in every step. The protocol itself is small and documented (FACTS: "Actions
 * runner"): append `name<<delimiter` / value / `delimiter` to the file the runner names in GITHUB_OUTPUT,
 * GITHUB_STATE or GITHUB_ENV, and Markdown to GITHUB_STEP_SUMMARY.
 * Imported after the inputs are valid (`@ecs-ship/action-kit/core`), so that rejecting bad input stays fast.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { EOL } from 'node:os';
import { escapeData, escapeProperty, redact } from './commands.js';

export type OutputValue = string | number | boolean | object | undefined | null;

/**
 * Writes outputs. Objects and arrays become JSON; undefined and null become empty strings. Any masked value is
 * redacted, so a secret cannot leave through an output.
 */
export function setOutputs<Name extends string>(outputs: Partial<Record<Name, OutputValue>>): void {
  for (const [name, value] of Object.entries(outputs) as [string, OutputValue][]) {
    writeKeyValue('OUTPUT', 'set-output', name, redact(stringify(value)));
  }
}

function stringify(value: OutputValue): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The runner takes at most 1 MiB of summary per step. */
const SUMMARY_LIMIT = 1024 * 1024 - 1024;

/** Appends Markdown to the job summary (redacted, and cut to the runner's limit with a visible note). */
export async function appendSummary(markdown: string): Promise<void> {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  let text = redact(markdown);
  if (Buffer.byteLength(text) > SUMMARY_LIMIT) {
    text = `${Buffer.from(text).subarray(0, SUMMARY_LIMIT).toString('utf8')}\n\n_(summary truncated to the 1 MiB limit)_\n`;
  }
  await appendFile(file, `${text}${EOL}`, 'utf8');
}

export function saveState(name: string, value: string): void {
  writeKeyValue('STATE', 'save-state', name, value);
}

/** What the main step saved, as the runner hands it to the `post:` step (STATE_<name>). */
export function getState(name: string): string {
  return process.env[`STATE_${name}`] ?? '';
}

export function exportVariable(name: string, value: string): void {
  process.env[name] = value;
  writeKeyValue('ENV', 'set-env', name, value);
}

/**
 * One `name<<delimiter` entry in the runner's file for `kind`. The delimiter is random, so no value can end the
 * entry early and smuggle in another; a name or value that contains it anyway is refused. Without the file (an old
 * runner, or a run by hand) the equivalent workflow command is printed instead.
 */
function writeKeyValue(kind: 'OUTPUT' | 'STATE' | 'ENV', command: string, name: string, value: string): void {
  const file = process.env[`GITHUB_${kind}`];
  if (!file) {
    process.stdout.write(`${EOL}::${command} name=${escapeProperty(name)}::${escapeData(value)}${EOL}`);
    return;
  }
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new Error(`The ${kind.toLowerCase()} "${name}" contains the file delimiter and cannot be written.`);
  }
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
}
