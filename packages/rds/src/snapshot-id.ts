// Snapshot identifiers from a template, and the rules for RDS identifiers. Light on purpose: the action renders and
// checks the identifier while it reads its inputs, before anything is loaded or changed; the release config uses the
// same rules.
import type { Bounds, Rule } from '@ecs-ship/action-kit';

/** RDS instance and cluster identifiers: 1-63 letters, digits and hyphens, starting with a letter, no `--`, not ending in `-`. */
const DB_IDENTIFIER = {
  fix: 'Use 1-63 letters, digits and hyphens, starting with a letter',
  pattern: /^[A-Za-z](?:[A-Za-z0-9]|-(?!-)){0,62}(?<!-)$/,
};
export const DB_INSTANCE: Rule = { what: 'a DB instance identifier', ...DB_IDENTIFIER };
export const DB_CLUSTER: Rule = { what: 'a DB cluster identifier', ...DB_IDENTIFIER };

/** Snapshot identifiers: 1-255 letters, digits and hyphens, starting with a letter, no `--`, not ending in `-`. */
export const SNAPSHOT_ID: Rule = {
  what: 'a snapshot identifier',
  fix: 'Use 1-255 letters, digits and hyphens, starting with a letter, without two hyphens in a row or a hyphen at the end',
  pattern: /^[A-Za-z](?:[A-Za-z0-9]|-(?!-)){0,254}(?<!-)$/,
};

/** How long to wait for the snapshot to become available (milliseconds). */
export const SNAPSHOT_TIMEOUT: Bounds = { min: 1000, max: 24 * 3_600_000 };
export const DEFAULT_SNAPSHOT_TIMEOUT_MINUTES = 60;

export interface SnapshotIdContext {
  /** Name of the environment being migrated (`{env}`). */
  environment?: string;
  /** Epoch milliseconds (`{date}` and `{time}`, in UTC). */
  now: number;
  /** The commit (`{sha7}`). */
  sha?: string;
  /** The workflow run id (`{run}`). */
  runId?: string;
}

export const DEFAULT_SNAPSHOT_ID_TEMPLATE = 'pre-migration-{date}-{time}-{sha7}';
export const SNAPSHOT_ID_PLACEHOLDERS = ['env', 'date', 'time', 'sha7', 'run'] as const;

/** Renders `{env}`, `{date}` (YYYYMMDD), `{time}` (HHMMSS), `{sha7}` and `{run}`; throws on an unknown or empty one. */
export function renderSnapshotId(template: string, context: SnapshotIdContext): string {
  const iso = new Date(context.now).toISOString();
  const values: Record<string, string | undefined> = {
    env: context.environment ? identifierPart(context.environment) : undefined,
    date: iso.slice(0, 10).replace(/-/g, ''),
    time: iso.slice(11, 19).replace(/:/g, ''),
    sha7: context.sha ? context.sha.slice(0, 7) : undefined,
    run: context.runId,
  };
  return template.replace(/\{([^{}]*)\}/g, (_, name: string) => {
    if (!(SNAPSHOT_ID_PLACEHOLDERS as readonly string[]).includes(name)) {
      throw new Error(
        `{${name}} is not a placeholder; use ${SNAPSHOT_ID_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
      );
    }
    const value = values[name];
    if (!value) throw new Error(`{${name}} has no value in this run`);
    return value;
  });
}

/** An environment name as it may appear inside an identifier: letters, digits and single hyphens. */
function identifierPart(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
