/**
 * Errors a user can cause and fix. Their message is one line that says what is wrong and what to do;
 * the runner prints it as an `::error::` annotation without a stack trace.
 */
export class UserError extends Error {
  /** Shown as the annotation's title, for example the service that failed. */
  readonly title?: string;
  /** The place in a repository file that is wrong: the annotation points there in the pull request's diff. */
  readonly location?: SourceLocation;

  constructor(message: string, options: { title?: string; cause?: unknown; location?: SourceLocation } = {}) {
    super(oneLine(message), { cause: options.cause });
    this.name = 'UserError';
    this.title = options.title;
    this.location = options.location;
  }
}

/** A file relative to the repository root, and a line and column in it (both from 1). */
export interface SourceLocation {
  file: string;
  line?: number;
  col?: number;
}

/** One input that cannot be used: `Input "<name>": <problem>. <fix>.` */
export class InputError extends UserError {
  readonly input: string;

  constructor(input: string, problem: string, fix: string, location?: SourceLocation) {
    super(`Input "${input}": ${sentence(problem)} ${sentence(fix)}`, { location });
    this.name = 'InputError';
    this.input = input;
  }
}

/** Every problem found while reading an action's inputs, reported together. */
export class InputErrors extends UserError {
  readonly errors: InputError[];

  constructor(errors: InputError[]) {
    super(errors.map((e) => e.message).join(' '));
    this.name = 'InputErrors';
    this.errors = errors;
  }
}

/** The action was cancelled (SIGINT/SIGTERM) while it worked. */
export class CancelledError extends Error {
  constructor(message = 'The job was cancelled.') {
    super(message);
    this.name = 'CancelledError';
  }
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Annotations are single lines: fold any line breaks a message picked up from a service. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
