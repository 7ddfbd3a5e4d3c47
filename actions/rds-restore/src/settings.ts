// Reads and checks every input of rds-restore before anything is loaded or changed, the typed confirmation first
// among equals: a restore is destructive in effect, so nothing is sent to RDS unless it names what will happen.
import { problemWith, type InputReader } from '@ecs-ship/action-kit';
import { SECURITY_GROUP } from '@ecs-ship/ecs/rules';
import type { RestoreSettings } from '@ecs-ship/rds';
import { readDatabase, readWaitTiming } from '@ecs-ship/rds/inputs';
import {
  DB_CLUSTER,
  DB_INSTANCE,
  DB_INSTANCE_CLASS,
  DB_PARAMETER_GROUP,
  DB_SUBNET_GROUP,
  DEFAULT_RESTORE_POLL_SECONDS,
  DEFAULT_RESTORE_TIMEOUT_MINUTES,
  RESTORE_TIMEOUT,
  SNAPSHOT_ID,
  TAG_KEY,
  defaultClusterInstance,
  defaultRestoreTarget,
  restoreConfirmation,
} from '@ecs-ship/rds/rules';
import { runFacts, suiteTags } from '@ecs-ship/rds/tags';

export function readSettings(inputs: InputReader, env: NodeJS.ProcessEnv = process.env): RestoreSettings {
  const database = readDatabase(inputs);
  const kind = database?.kind ?? 'instance';
  const idRule = kind === 'instance' ? DB_INSTANCE : DB_CLUSTER;
  const snapshotId = inputs.string('snapshot-id', {
    required: true,
    rule: SNAPSHOT_ID,
    hint: 'Name the snapshot to restore, for example the pre-migration snapshot the release recorded',
  });
  const givenTarget = inputs.string('target-id', { rule: idRule });
  const confirm = inputs.string('confirm', {
    required: true,
    hint: 'Type the new identifier (the "target-id") to confirm the restore',
  });
  const swap = inputs.boolean('swap', { default: false });
  const allowOtherSource = inputs.boolean('allow-other-source', { default: false });
  const instanceClass = inputs.string('instance-class', { rule: DB_INSTANCE_CLASS });
  const subnetGroup = inputs.string('subnet-group', { rule: DB_SUBNET_GROUP });
  const securityGroups = inputs.list('security-groups', { rule: SECURITY_GROUP });
  const parameterGroup = inputs.string('parameter-group', { rule: DB_PARAMETER_GROUP });
  const tags = inputs.map('tags', { keyRule: TAG_KEY });
  for (const [key, value] of tags) {
    if (value.length > 256) inputs.fail('tags', `the value of "${key}" is longer than 256 characters`, 'Shorten it');
  }
  const clusterInstanceInput = inputs.string('cluster-instance-id', { rule: DB_INSTANCE });
  const { timeoutMs, pollIntervalMs } = readWaitTiming(
    inputs,
    { ...RESTORE_TIMEOUT, defaultMinutes: DEFAULT_RESTORE_TIMEOUT_MINUTES },
    DEFAULT_RESTORE_POLL_SECONDS,
  );

  const source = database?.identifier ?? '';
  const sourceInput = kind === 'instance' ? 'db-instance' : 'db-cluster';
  const target = givenTarget ?? (source ? defaultRestoreTarget(source) : '');
  if (source && givenTarget === undefined && problemWith(idRule, target)) {
    inputs.fail('target-id', `the default "${target}" is too long for an identifier`, `Give a shorter "target-id"`);
  }
  if (source && target.toLowerCase() === source.toLowerCase()) {
    inputs.fail(
      'target-id',
      `it names ${source}, the database the snapshot is restored for; a restore never replaces the original`,
      'Give a new identifier; with "swap: true" the restored database takes the original\'s name afterwards',
    );
  }
  if (swap && source && problemWith(idRule, `${source}-old`)) {
    inputs.fail(
      sourceInput,
      `"${source}-old", its name after the swap, is too long`,
      'Swap by hand, or rename it first',
    );
  }
  let clusterInstanceId: string | undefined;
  if (kind === 'instance' && clusterInstanceInput !== undefined) {
    inputs.fail('cluster-instance-id', 'it only applies to "db-cluster"', 'Remove it');
  } else if (kind === 'cluster' && target) {
    clusterInstanceId = clusterInstanceInput ?? defaultClusterInstance(target);
    if (clusterInstanceInput === undefined && problemWith(DB_INSTANCE, clusterInstanceId)) {
      inputs.fail(
        'cluster-instance-id',
        `the default "${clusterInstanceId}" is too long for an identifier`,
        'Give a shorter "cluster-instance-id" or "target-id"',
      );
    }
  }

  // The confirmation names what will happen; checked last so that it is compared with the final target.
  if (confirm !== undefined && source && target) {
    const expected = restoreConfirmation(target, swap ? source : undefined);
    if (confirm !== expected) {
      const what = swap
        ? `to restore ${snapshotId ?? 'the snapshot'} as ${target}, then rename ${source} to ${source}-old and ${target} to ${source}`
        : `to restore ${snapshotId ?? 'the snapshot'} as the new ${kind === 'instance' ? 'DB instance' : 'DB cluster'} ${target}`;
      inputs.fail('confirm', `"${confirm}" does not confirm this restore`, `Type "${expected}" exactly ${what}`);
    }
  }

  return {
    kind,
    source,
    snapshotId: snapshotId ?? '',
    target,
    clusterInstanceId,
    allowOtherSource,
    overrides: {
      instanceClass,
      subnetGroup,
      securityGroups: securityGroups.length > 0 ? securityGroups : undefined,
      parameterGroup,
      tags: tags.size > 0 ? Object.fromEntries(tags) : undefined,
    },
    suiteTags: suiteTags(runFacts('rds-restore', env)),
    swap,
    timeoutMs,
    pollIntervalMs,
  };
}
