// Reads and checks every input of rds-snapshot before anything is loaded or changed. Light code only: this runs
// before the AWS SDK is loaded, so that bad input is refused fast and changes nothing.
import type { InputReader } from '@ecs-ship/action-kit';
import type { RetentionSettings, SnapshotRequest } from '@ecs-ship/rds';
import { readDatabase, readSnapshotId, readWaitTiming } from '@ecs-ship/rds/inputs';
import { DEFAULT_SNAPSHOT_POLL_SECONDS, RETENTION_DAYS, RETENTION_KEEP } from '@ecs-ship/rds/rules';
import { DEFAULT_SNAPSHOT_TIMEOUT_MINUTES, SNAPSHOT_TIMEOUT } from '@ecs-ship/rds/snapshot-id';
import { runFacts, suiteTags } from '@ecs-ship/rds/tags';

export const MODES = ['create', 'prune'] as const;
export const DEFAULT_TEMPLATE = 'pre-release-{date}-{time}-{sha7}';

export type SnapshotActionSettings =
  | { mode: 'create'; request: SnapshotRequest; environmentName?: string }
  | { mode: 'prune'; retention: RetentionSettings };

export function readSettings(inputs: InputReader, env: NodeJS.ProcessEnv = process.env): SnapshotActionSettings {
  const mode = inputs.enumeration('mode', MODES, { default: 'create' });
  const database = readDatabase(inputs);

  // create
  const template = inputs.string('snapshot-id');
  const environmentName = inputs.string('environment-name');
  if (environmentName !== undefined && environmentName.length > 100) {
    inputs.fail('environment-name', 'it is longer than 100 characters', 'Use the short name of the environment');
  }
  const { timeoutMs, pollIntervalMs } = readWaitTiming(
    inputs,
    { ...SNAPSHOT_TIMEOUT, defaultMinutes: DEFAULT_SNAPSHOT_TIMEOUT_MINUTES },
    DEFAULT_SNAPSHOT_POLL_SECONDS,
  );

  // prune
  const olderThanDays = inputs.integer('delete-older-than-days', RETENTION_DAYS);
  const keepNewest = inputs.integer('keep-newest', RETENTION_KEEP);
  const dryRun = inputs.boolean('dry-run', { default: false });

  // Inputs of the other mode are mistakes, not something to ignore silently.
  const owners: [string, 'create' | 'prune'][] = [
    ['snapshot-id', 'create'],
    ['environment-name', 'create'],
    ['delete-older-than-days', 'prune'],
    ['keep-newest', 'prune'],
  ];
  for (const [name, owner] of owners) {
    // action.yml gives snapshot-id its default, so only another value is a mistake in prune.
    const given = inputs.raw(name);
    if (owner !== mode && given !== '' && !(name === 'snapshot-id' && given === DEFAULT_TEMPLATE)) {
      inputs.fail(name, `it applies to mode ${owner}, not ${mode}`, `Remove "${name}", or set mode: ${owner}`);
    }
  }

  if (mode === 'prune') {
    if (inputs.raw('delete-older-than-days') === '' && inputs.raw('keep-newest') === '') {
      inputs.fail(
        'delete-older-than-days',
        'prune needs a rule, and neither "delete-older-than-days" nor "keep-newest" is set',
        'Set "delete-older-than-days", "keep-newest" or both',
      );
    }
    return {
      mode,
      retention: {
        kind: database?.kind ?? 'instance',
        source: database?.identifier ?? '',
        olderThanDays,
        keepNewest,
        dryRun,
      },
    };
  }
  const snapshotId = readSnapshotId(inputs, 'snapshot-id', template ?? DEFAULT_TEMPLATE, environmentName, env);
  return {
    mode,
    environmentName,
    request: {
      source: { kind: database?.kind ?? 'instance', identifier: database?.identifier ?? '' },
      snapshotId: snapshotId ?? '',
      timeoutMs,
      pollIntervalMs,
      tags: suiteTags(runFacts('rds-snapshot', env, environmentName)),
    },
  };
}
