// RDS's errors as the suite tells them apart and reports them.
import { UserError } from '@ecs-ship/action-kit';

/** An AWS error as one line: its code and message (the suite's own errors: their message). */
export function describeError(error: unknown): string {
  if (error instanceof UserError) return error.message;
  if (error instanceof Error) {
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return `${name}${error.message}`;
  }
  return String(error);
}

/** DBSnapshotAlreadyExists, DBInstanceAlreadyExists, DBClusterAlreadyExistsFault, …: by code or class name. */
export function isAlreadyExists(error: unknown): boolean {
  return error instanceof Error && /AlreadyExists/.test(error.name);
}

/** DBInstanceNotFound, DBClusterNotFoundFault, DBSnapshotNotFound, …: by code or class name. */
export function isNotFound(error: unknown): boolean {
  return error instanceof Error && /NotFound/.test(error.name);
}
