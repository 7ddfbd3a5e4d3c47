// The rules for the values the RDS actions and the release config take, beside the identifier rules of
// snapshot-id.ts. Light on purpose: settings modules load this before anything heavy.
import type { Bounds, Rule } from '@ecs-ship/action-kit';

export { DB_CLUSTER, DB_INSTANCE, SNAPSHOT_ID, SNAPSHOT_TIMEOUT } from './snapshot-id.js';

/** RDS instance classes: `db.<family>.<size>`. */
export const DB_INSTANCE_CLASS: Rule = {
  what: 'an RDS instance class',
  fix: 'Use a class such as db.r6g.large or db.t4g.medium',
  pattern: /^db\.[a-z0-9-]+\.[a-z0-9]+$/,
};

/** DB subnet groups: up to 255 letters, digits, spaces, periods, underscores and hyphens. */
export const DB_SUBNET_GROUP: Rule = {
  what: 'a DB subnet group name',
  fix: 'Use up to 255 letters, digits, spaces, periods, underscores and hyphens',
  pattern: /^[A-Za-z0-9 ._-]{1,255}$/,
};

/** DB (cluster) parameter groups: a letter first, then letters, digits, periods and single hyphens. */
export const DB_PARAMETER_GROUP: Rule = {
  what: 'a DB parameter group name',
  fix: 'Use up to 255 letters, digits, periods and hyphens, starting with a letter, such as shop-postgres16',
  pattern: /^[A-Za-z](?:[A-Za-z0-9.]|-(?!-)){0,254}(?<!-)$/,
};

/** Tag keys a user may set: AWS's characters, not `aws:` (AWS's own) nor `ecs-ship:` (the suite's own). */
export const TAG_KEY: Rule = {
  what: 'a tag key',
  fix: 'Use up to 128 letters, digits, spaces and _ . : / = + - @, not starting with aws: or ecs-ship:',
  pattern: /^(?!aws:|ecs-ship:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u,
};

/** How long a restore (and its swap) may take, in milliseconds. */
export const RESTORE_TIMEOUT: Bounds = { min: 1000, max: 24 * 3_600_000 };
export const DEFAULT_RESTORE_TIMEOUT_MINUTES = 120;

/** How often RDS is asked during a wait, in milliseconds. */
export const RDS_POLL_INTERVAL: Bounds = { min: 100, max: 10 * 60_000 };
export const DEFAULT_SNAPSHOT_POLL_SECONDS = 5;
export const DEFAULT_RESTORE_POLL_SECONDS = 15;

/** Retention: days (`delete-older-than-days`) and a count (`keep-newest`). */
export const RETENTION_DAYS: Bounds = { min: 1, max: 3650 };
export const RETENTION_KEEP: Bounds = { min: 1, max: 1000 };

/** The default identifier of a restored database: `<source>-restored`. */
export function defaultRestoreTarget(source: string): string {
  return `${source}-restored`;
}

/** The instance a restored Aurora cluster gets, by default: `<cluster>-instance-1`, as the console names it. */
export function defaultClusterInstance(target: string): string {
  return `${target}-instance-1`;
}

/**
 * What a person types to confirm a restore: the new identifier; with a swap, `<new> replaces <original>`, naming
 * both databases the swap renames.
 */
export function restoreConfirmation(target: string, swapWith?: string): string {
  return swapWith === undefined ? target : `${target} replaces ${swapWith}`;
}
