// A request member of the wrong JSON type is refused the way awsJson services refuse it (SerializationException),
// before any handler reads it.
import { AwsError } from './module.js';

const ARRAYS = new Set([
  'services',
  'tasks',
  'clusters',
  'include',
  'serviceDeploymentArns',
  'serviceRevisionArns',
  'containerDefinitions',
  'requiresCompatibilities',
  'capacityProviderStrategy',
  'tags',
  'logStreamNames',
  'logEvents',
]);
const STRINGS = new Set([
  'cluster',
  'service',
  'serviceName',
  'taskDefinition',
  'task',
  'family',
  'familyPrefix',
  'startedBy',
  'reason',
  'launchType',
  'nextToken',
  'logGroupName',
  'logGroupIdentifier',
  'logStreamName',
  'logStreamNamePrefix',
  'filterPattern',
  'clusterName',
]);
const NUMBERS = new Set(['desiredCount', 'count', 'limit', 'maxResults', 'startTime', 'endTime']);
const BOOLEANS = new Set(['forceNewDeployment', 'force', 'startFromHead', 'descending']);

export function checkShapes(input: unknown): Record<string, unknown> {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
  }
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (value === null || value === undefined) continue;
    const wrong =
      (ARRAYS.has(key) && !Array.isArray(value)) ||
      (STRINGS.has(key) && typeof value !== 'string') ||
      (NUMBERS.has(key) && typeof value !== 'number') ||
      (BOOLEANS.has(key) && typeof value !== 'boolean');
    if (wrong) throw new AwsError('SerializationException', `Unexpected value type for member "${key}".`);
  }
  return input as Record<string, unknown>;
}

/** Every handler of a table first refuses members of the wrong JSON type. */
export function guardJsonTypes<T extends object>(table: T): T {
  return Object.fromEntries(
    Object.entries(table).map(([operation, handler]) => [
      operation,
      (input: unknown, ctx: unknown) => (handler as (i: unknown, c: unknown) => unknown)(checkShapes(input), ctx),
    ]),
  ) as T;
}
