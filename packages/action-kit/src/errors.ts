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

/** What the suite's AWS clients note on an error (./aws.ts, ./retry.ts): the call that failed, and its throttling. */
interface AwsErrorNotes {
  $service?: string;
  $operation?: string;
  $throttledForMs?: number;
}

/** Notes which AWS call an error came from (the clients do it for every call that fails for good). */
export function nameOperation(error: object, service: string, operation: string): void {
  Object.assign(error as AwsErrorNotes, { $service: service, $operation: operation });
}

/**
 * The AWS call an error came from, as people read it: "ECS UpdateService (throttled for 4 min 59 s, until the
 * step's deadline)"; undefined for an error that is not from an AWS call.
 */
export function awsErrorContext(error: unknown): string | undefined {
  const notes = (error ?? {}) as AwsErrorNotes;
  if (!notes.$operation) return undefined;
  const throttled =
    notes.$throttledForMs !== undefined
      ? ` (throttled for ${(notes.$throttledForMs / 1000).toFixed(1)} s, until the step's deadline)`
      : '';
  return `${notes.$service ?? 'AWS'} ${notes.$operation}${throttled}`;
}

/** An AWS error as one line: "ECS UpdateService failed: ThrottlingException: Rate exceeded". */
export function describeAwsFailure(error: unknown): string {
  const e = error as { name?: string; message?: string };
  const what = `${e?.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e?.message ?? String(error)}`;
  const call = awsErrorContext(error);
  return call ? `${call} failed: ${what}` : what;
}
