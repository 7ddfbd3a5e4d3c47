/**
 * The runner's side of an action once its inputs are valid, through `@actions/core`: outputs, state for `post:`
 * steps, exported variables, the job summary, and (from the moment this module loads) every workflow command the
 * kit writes: annotations, masks, debug lines, groups.
 *
 * Imported after the inputs are valid (`@ecs-ship/action-kit/core`), so that rejecting bad input loads nothing but
 * the light part of the kit. What the kit adds to `@actions/core`: masked values are redacted from outputs and the
 * summary (the runner masks the log only), and a summary is cut to the runner's 1 MiB with a visible note instead of
 * failing the upload.
 */
import * as core from '@actions/core';
import { redact, useCommandWriter } from './commands.js';

useCommandWriter({
  annotation: (level, message, { title, file, line, col }) =>
    core[level](message, { title, file, startLine: line, startColumn: col }),
  debug: (message) => core.debug(message),
  info: (message) => core.info(message),
  mask: (value) => core.setSecret(value),
  startGroup: (name) => core.startGroup(name),
  endGroup: () => core.endGroup(),
});

export type OutputValue = string | number | boolean | object | undefined | null;

/**
 * Writes outputs. Objects and arrays become JSON; undefined and null become empty strings. Any masked value is
 * redacted, so a secret cannot leave through an output.
 */
export function setOutputs<Name extends string>(outputs: Partial<Record<Name, OutputValue>>): void {
  for (const [name, value] of Object.entries(outputs) as [string, OutputValue][]) {
    core.setOutput(name, redact(stringify(value)));
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
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  let text = redact(markdown);
  if (Buffer.byteLength(text) > SUMMARY_LIMIT) {
    text = `${Buffer.from(text).subarray(0, SUMMARY_LIMIT).toString('utf8')}\n\n_(summary truncated to the 1 MiB limit)_\n`;
  }
  await core.summary.addRaw(text, true).write();
}

export function saveState(name: string, value: string): void {
  core.saveState(name, value);
}

/** What the main step saved, as the runner hands it to the `post:` step (STATE_<name>). */
export function getState(name: string): string {
  return core.getState(name);
}

export function exportVariable(name: string, value: string): void {
  core.exportVariable(name, value);
}
