/**
 * Workflow commands: annotations, masks, debug lines, groups. Until `@actions/core` is loaded (by './core.ts', once
 * the inputs are valid), the few commands that reading and refusing inputs needs (`::error::`, `::add-mask::`,
 * `::debug::`) are written here as plain lines, without loading anything; from then on every command goes through
 * `@actions/core`. This keeps rejecting bad input fast (see README: cold start).
 */

/** Where an annotation points: a file of the repository, a line and a column in it (from 1). */
export type AnnotationProperties = { title?: string; file?: string; line?: number; col?: number };
export type AnnotationLevel = 'error' | 'warning' | 'notice';

/** Where workflow commands go. */
export interface CommandWriter {
  annotation(level: AnnotationLevel, message: string, properties: AnnotationProperties): void;
  debug(message: string): void;
  info(message: string): void;
  mask(value: string): void;
  startGroup(name: string): void;
  endGroup(): void;
}

/** Escaping rules of the runner for a command's message. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping rules of the runner for a command's properties. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function issueCommand(command: string, properties: AnnotationProperties, message: string): void {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  process.stdout.write(`::${command}${props ? ` ${props}` : ''}::${escapeData(message)}\n`);
}

/** The writer before `@actions/core` is loaded: plain workflow-command lines. */
const lightWriter: CommandWriter = {
  annotation: (level, message, properties) => issueCommand(level, properties, message),
  debug: (message) => issueCommand('debug', {}, message),
  info: (message) => void process.stdout.write(`${message}\n`),
  mask: (value) => issueCommand('add-mask', {}, value),
  startGroup: (name) => issueCommand('group', {}, name),
  endGroup: () => issueCommand('endgroup', {}, ''),
};

let writer: CommandWriter = lightWriter;

/** Hands every later command to `next` (`@actions/core`, see './core.ts'). */
export function useCommandWriter(next: CommandWriter): void {
  writer = next;
}

export function commandWriter(): CommandWriter {
  return writer;
}

const masked = new Set<string>();

/** Masks a value in every later log line. Each line of a multi-line secret is masked too. */
export function addMask(secret: string): void {
  for (const part of [secret, ...secret.split(/\r?\n/)]) {
    const value = part.trim();
    if (value.length < 4 || masked.has(value)) continue;
    masked.add(value);
    writer.mask(value);
  }
}

/** Values masked so far in this process; used to keep them out of outputs and summaries as well. */
export function maskedValues(): string[] {
  return [...masked];
}

/** Replaces every masked value in text with `***`, as the runner does in the log. */
export function redact(text: string): string {
  let result = text;
  for (const value of [...masked].sort((a, b) => b.length - a.length)) result = result.split(value).join('***');
  return result;
}

export function isDebug(): boolean {
  return process.env.RUNNER_DEBUG === '1';
}

export function debug(message: string): void {
  if (isDebug()) writer.debug(message);
}

export function errorAnnotation(message: string, properties: AnnotationProperties = {}): void {
  writer.annotation('error', redact(message), properties);
}

export function warningAnnotation(message: string, properties: AnnotationProperties = {}): void {
  writer.annotation('warning', redact(message), properties);
}

export function noticeAnnotation(message: string, properties: AnnotationProperties = {}): void {
  writer.annotation('notice', redact(message), properties);
}
