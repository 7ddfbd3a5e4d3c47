import { CancelledError, UserError, awsErrorContext, describeAwsFailure } from './errors.js';
import { commandWriter, errorAnnotation, isDebug, redact } from './commands.js';
import { InputReader, type InputSource } from './inputs.js';

/**
 * Reads every input with `read` and, when any is bad, prints one `::error::` per problem and exits 1 before
 * the action does anything else. Nothing is changed in AWS or GitHub on bad input.
 */
export function readInputsOrExit<T>(read: (inputs: InputReader) => T, source?: InputSource): T {
  const { settings, errors } = readInputs(read, source);
  if (errors.length > 0) {
    for (const error of errors) errorAnnotation(error.message, { title: error.title, ...error.location });
    process.exit(1);
  }
  return settings!;
}

/**
 * Reads every input with `read`: the settings, or every problem found (the reader's own, and a UserError it threw).
 * The tests' input tables call this with an action's reader, the check its entry makes before anything else.
 */
export function readInputs<T>(
  read: (inputs: InputReader) => T,
  source?: InputSource,
): { settings?: T; errors: readonly UserError[] } {
  const inputs = new InputReader(source);
  let settings: T | undefined;
  try {
    settings = read(inputs);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { errors: [...inputs.errors, error] };
  }
  return inputs.errors.length > 0 ? { errors: inputs.errors } : { settings, errors: [] };
}

/**
 * Runs an action's main work and turns what it throws into the step's result: a UserError becomes a one-line
 * `::error::` (with its title), a cancellation says so, a failed AWS call names itself, anything else is reported
 * as unexpected while `doing` what the step does (with the stack only when step debug logging is on). Each sets a
 * non-zero exit code.
 */
export async function runMain(main: () => Promise<void>, doing = 'running the step'): Promise<void> {
  try {
    await main();
  } catch (error) {
    process.exitCode = 1;
    if (error instanceof UserError) {
      errorAnnotation(error.message, { title: error.title, ...error.location });
    } else if (error instanceof CancelledError) {
      errorAnnotation(error.message, { title: 'Cancelled' });
    } else {
      // An AWS call names itself (ECS UpdateService failed: ...); anything else is a defect, said as such.
      const message = awsErrorContext(error)
        ? describeAwsFailure(error)
        : `Unexpected error while ${doing}: ${error instanceof Error ? error.message : String(error)}`;
      errorAnnotation(message);
      if (isDebug() && error instanceof Error && error.stack) commandWriter().info(redact(error.stack));
    }
  }
}
