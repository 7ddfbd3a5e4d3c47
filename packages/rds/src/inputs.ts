/**
 * Readers for the inputs the RDS actions (and the migration's snapshot) share, so that each is read and checked once,
 * the same way: which database, a snapshot identifier from a template, and the timing of a wait. Light on purpose
 * (no AWS SDK): the actions read their inputs before anything heavy is loaded.
 */
import { formatDuration, problemWith, type Bounds, type InputReader } from '@ecs-ship/action-kit';
import type { DatabaseKind } from './databases.js';
import { RDS_POLL_INTERVAL } from './rules.js';
import { DB_CLUSTER, DB_INSTANCE, SNAPSHOT_ID, SNAPSHOT_ID_PLACEHOLDERS, renderSnapshotId } from './snapshot-id.js';

export interface DatabaseChoice {
  kind: DatabaseKind;
  identifier: string;
}

/** Exactly one of an instance input and a cluster input (`db-instance` / `db-cluster` by default). */
export function readDatabase(
  inputs: InputReader,
  names: { instance: string; cluster: string } = { instance: 'db-instance', cluster: 'db-cluster' },
  required = true,
): DatabaseChoice | undefined {
  const instance = inputs.string(names.instance, { rule: DB_INSTANCE });
  const cluster = inputs.string(names.cluster, { rule: DB_CLUSTER });
  if (instance !== undefined && cluster !== undefined) {
    return inputs.fail(
      names.cluster,
      `it cannot be combined with "${names.instance}"`,
      `Set "${names.instance}" for an RDS instance or "${names.cluster}" for an Aurora cluster`,
    );
  }
  // A value that broke its rule was reported already.
  const given = inputs.raw(names.instance) !== '' || inputs.raw(names.cluster) !== '';
  if (instance === undefined && cluster === undefined) {
    if (required && !given) {
      inputs.fail(
        names.instance,
        `neither "${names.instance}" nor "${names.cluster}" is set`,
        `Name the RDS instance in "${names.instance}" or the Aurora cluster in "${names.cluster}"`,
      );
    }
    return undefined;
  }
  return instance !== undefined
    ? { kind: 'instance', identifier: instance }
    : { kind: 'cluster', identifier: cluster! };
}

/** A snapshot identifier rendered from the template in input `name` ({env}, {date}, {time}, {sha7}, {run}). */
export function readSnapshotId(
  inputs: InputReader,
  name: string,
  template: string,
  environmentName: string | undefined,
  env: NodeJS.ProcessEnv,
  environmentInput = 'environment-name',
): string | undefined {
  let id: string;
  try {
    id = renderSnapshotId(template, {
      environment: environmentName,
      now: Date.now(),
      sha: env.GITHUB_SHA,
      runId: env.GITHUB_RUN_ID,
    });
  } catch (error) {
    const fix = (error as Error).message.includes('{env}')
      ? `Set "${environmentInput}", or remove {env}`
      : `Use ${SNAPSHOT_ID_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`;
    return inputs.fail(name, (error as Error).message, fix);
  }
  const problem = problemWith(SNAPSHOT_ID, id);
  return problem ? inputs.fail(name, problem, SNAPSHOT_ID.fix) : id;
}

/**
 * `timeout-minutes` and `poll-interval-seconds` of a wait. A poll interval longer than the timeout would mean the
 * step gives up without looking again: refused, naming the poll interval.
 */
export function readWaitTiming(
  inputs: InputReader,
  timeout: Bounds & { defaultMinutes: number },
  defaultPollSeconds: number,
): { timeoutMs: number; pollIntervalMs: number } {
  const timeoutMs = inputs.duration('timeout-minutes', {
    unit: 'm',
    min: timeout.min,
    max: timeout.max,
    default: timeout.defaultMinutes * 60_000,
  });
  const pollIntervalMs = inputs.duration('poll-interval-seconds', {
    unit: 's',
    ...RDS_POLL_INTERVAL,
    default: defaultPollSeconds * 1000,
  });
  if (timeoutMs !== undefined && pollIntervalMs !== undefined && pollIntervalMs > timeoutMs) {
    inputs.fail(
      'poll-interval-seconds',
      `${formatDuration(pollIntervalMs)} is longer than "timeout-minutes" (${formatDuration(timeoutMs)})`,
      'Ask RDS more often than the step waits in all, or raise "timeout-minutes"',
    );
  }
  return { timeoutMs: timeoutMs ?? 0, pollIntervalMs: pollIntervalMs ?? 0 };
}
