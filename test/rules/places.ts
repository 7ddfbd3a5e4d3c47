/**
 * The places a rule applies, for the drift table (drift.test.ts): an action's input, read by that action's own
 * settings reader over inputs that are otherwise valid, and a key of the release config, checked by its schema in a
 * config that is otherwise valid.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputReader } from '@ecs-ship/action-kit';
import { releaseConfigSchema } from '@ecs-ship/pipeline/config';
import { readSettings as readBuildPush } from '../../actions/build-push-ecr/src/settings.js';
import { readSettings as readDeploy } from '../../actions/ecs-deploy-with-circuit-breaker/src/settings.js';
import { readSettings as readRdsRestore } from '../../actions/rds-restore/src/settings.js';
import { readSettings as readRdsSnapshot } from '../../actions/rds-snapshot/src/settings.js';
import { readSettings as readRelease } from '../../actions/release/src/settings.js';
import { readSettings as readMigration } from '../../actions/run-migration-task/src/settings.js';
import { readSettings as readSmoke } from '../../actions/smoke-test/src/settings.js';

const SHA = '8f2b6c41d3e5a7b9c0d2e4f6a8b0c1d3e5f7a9b2';
export const workspace = mkdtempSync(join(tmpdir(), 'rules-drift-'));
mkdirSync(join(workspace, 'app'));
const env = { GITHUB_WORKSPACE: workspace, GITHUB_SHA: SHA, GITHUB_RUN_ID: '7001' };

export type Value = string | number;
export interface Place {
  where: string;
  accepts(value: Value): boolean;
}

/** The actions, each with inputs that are valid on their own, so that a row breaks only the input it names. */
const ACTIONS = {
  'ecs-deploy-with-circuit-breaker': {
    read: (inputs: InputReader) => readDeploy(inputs, env),
    base: { cluster: 'shop', services: 'web', image: 'registry.example/web:2' },
  },
  'run-migration-task': {
    read: (inputs: InputReader) => readMigration(inputs, env),
    base: { cluster: 'shop', 'task-definition': 'shop-migrate' },
  },
  'build-push-ecr': {
    read: (inputs: InputReader) => readBuildPush(inputs, env),
    base: { repository: 'shop', 'source-tag': 'v1', tags: 'v1-approved' },
  },
  'build-push-ecr (build)': {
    read: (inputs: InputReader) => readBuildPush(inputs, env),
    base: { repository: 'shop', mode: 'build', context: 'app' },
  },
  'build-push-ecr (push-archive)': {
    read: (inputs: InputReader) => readBuildPush(inputs, env),
    base: { repository: 'shop', mode: 'push-archive', archive: 'app' },
  },
  'smoke-test': { read: readSmoke, base: { checks: '- /health' } },
  'rds-snapshot': {
    read: (inputs: InputReader) => readRdsSnapshot(inputs, env),
    base: { 'db-instance': 'shop-db' },
  },
  'rds-snapshot (prune)': {
    read: (inputs: InputReader) => readRdsSnapshot(inputs, env),
    base: { mode: 'prune', 'db-instance': 'shop-db', 'keep-newest': '5' },
  },
  'rds-restore': {
    read: (inputs: InputReader) => readRdsRestore(inputs, env),
    base: { 'db-cluster': 'orders-aurora', 'snapshot-id': 'nightly', 'target-id': 'copy', confirm: 'copy' },
  },
  release: { read: readRelease, base: { environment: 'staging', sha: SHA, config: 'ecs-release.yml' } },
};

/** Input `name` of `action`, given `text(value)` over the action's valid inputs (and `extra`). */
export function input(
  action: keyof typeof ACTIONS,
  name: string,
  text: (value: Value) => string = String,
  extra: Record<string, string> = {},
): Place {
  const { read, base } = ACTIONS[action];
  return {
    where: `${action} input "${name}"`,
    accepts(value) {
      const values: Record<string, string> = { ...base, ...extra, [name]: text(value) };
      const reader = new InputReader((id) => values[id] ?? '');
      read(reader);
      return !reader.errors.some((error) => error.input === name);
    },
  };
}

export const VALID_CONFIG = {
  environments: {
    staging: {
      cluster: 'shop-staging',
      services: ['web', { name: 'worker', containers: ['app'] }],
      image: { repository: 'shop', source: 'promote' },
      migration: { 'task-definition': 'shop-migrate', command: ['npm', 'run', 'migrate'] },
      deploy: { 'circuit-breaker': 'rollback' },
      smoke: { 'base-url': 'https://shop.example.com', checks: ['/health'] },
      slack: { 'webhook-env': 'SLACK_WEBHOOK_URL' },
    },
  },
};
const BUILD_IMAGE = { repository: 'shop', source: 'build', context: 'app' };
const ARCHIVE_IMAGE = { repository: 'shop', source: 'push-archive', archive: 'image.tar' };

/**
 * The release config key at `path` under the staging environment, set to `config(value)` in a valid config (after
 * `prepare` has changed that config); refused when the schema reports an issue at or below that key.
 */
export function config(
  path: (string | number)[],
  text: (value: Value) => unknown = (value) => value,
  prepare: (environment: Record<string, unknown>) => void = () => {},
): Place {
  return {
    where: `release config environments.staging.${path.join('.')}`,
    accepts(value) {
      const whole = structuredClone(VALID_CONFIG) as { environments: Record<string, Record<string, unknown>> };
      prepare(whole.environments.staging!);
      let node: Record<string | number, unknown> = whole.environments.staging!;
      path.slice(0, -1).forEach((key, i) => {
        node = (node[key] ??= typeof path[i + 1] === 'number' ? [] : {}) as typeof node;
      });
      node[path.at(-1)!] = text(value);
      const result = releaseConfigSchema.safeParse(whole);
      const at = ['environments', 'staging', ...path].join('.');
      return result.success || !result.error.issues.some((issue) => issue.path.join('.').startsWith(at));
    },
  };
}

/** A config key whose value is the key of a mapping (a variable name, a build argument). */
export const configKey = (path: string[], prepare?: (environment: Record<string, unknown>) => void): Place => {
  const place = config(path, (value) => ({ [String(value)]: 'x' }), prepare);
  return { where: `${place.where} (a key)`, accepts: place.accepts };
};
export const build = (environment: Record<string, unknown>) => void (environment.image = structuredClone(BUILD_IMAGE));
export const archive = (environment: Record<string, unknown>) =>
  void (environment.image = structuredClone(ARCHIVE_IMAGE));
export const snapshot = (environment: Record<string, unknown>) => {
  (environment.migration as Record<string, unknown>).snapshot = { 'db-instance': 'shop-db' };
};
export const ownSnapshot = (environment: Record<string, unknown>) => {
  environment.snapshot = { 'db-instance': 'shop-db' };
};
