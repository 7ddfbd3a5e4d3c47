/**
 * The runner's workflow commands, written straight to stdout. This module is deliberately tiny and free of
 * dependencies: it is all an action needs to reject bad input, which keeps that path fast (see README: cold start).
 */

/** Escaping rules of the runner for a command's message. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping rules of the runner for a command's properties. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export type AnnotationProperties = { title?: string; file?: string; line?: number };

export function issueCommand(command: string, properties: AnnotationProperties, message: string): void {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  process.stdout.write(`::${command}${props ? ` ${props}` : ''}::${escapeData(message)}\n`);
}

const masked = new Set<string>();

/** Masks a value in every later log line. Each line of a multi-line secret is masked too. */
export function addMask(secret: string): void {
  for (const part of [secret, ...secret.split(/\r?\n/)]) {
    const value = part.trim();
    if (value.length < 4 || masked.has(value)) continue;
    masked.add(value);
    issueCommand('add-mask', {}, value);
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
  if (isDebug()) issueCommand('debug', {}, message);
}

export function errorAnnotation(message: string, properties: AnnotationProperties = {}): void {
  issueCommand('error', properties, redact(message));
}

export function warningAnnotation(message: string, properties: AnnotationProperties = {}): void {
  issueCommand('warning', properties, redact(message));
}

export function noticeAnnotation(message: string, properties: AnnotationProperties = {}): void {
  issueCommand('notice', properties, redact(message));
}
