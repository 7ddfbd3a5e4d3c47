// Reads and checks every input of run-migration-task before anything is loaded or changed. Light code only: this
// runs before the AWS SDK is loaded, so that bad input is refused fast and changes nothing.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  isContainerName,
  isDbIdentifier,
  isEcsName,
  isImageReference,
  isSnapshotIdentifier,
  isTaskDefinitionReference,
  type InputReader,
} from '@ecs-ship/action-kit';
import { DEFAULT_SNAPSHOT_ID_TEMPLATE, renderSnapshotId } from '@ecs-ship/rds/snapshot-id';
import type { CapacityProviderItem, OneOffTaskSpec, TaskDefinitionSource } from '@ecs-ship/ecs';
import type { SnapshotRequest } from '@ecs-ship/rds';
import { splitWords } from './command.js';

export interface MigrationSettings {
  task: OneOffTaskSpec;
  /** The snapshot to take before the migration, when one was asked for. */
  snapshot?: SnapshotRequest;
  environmentName?: string;
}

const SUBNET = /^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const SECURITY_GROUP = /^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const CAPACITY_PROVIDER = /^[A-Za-z0-9_-]{1,255}$/;

export function readSettings(inputs: InputReader, env: NodeJS.ProcessEnv = process.env): MigrationSettings {
  const cluster = inputs.string('cluster', {
    required: true,
    hint: 'Set it to the name or ARN of the ECS cluster, for example "shop-production"',
  });
  if (cluster !== undefined && !isEcsName(cluster)) {
    inputs.fail(
      'cluster',
      `"${cluster}" is not a cluster name or ARN`,
      'Use up to 255 letters, digits, hyphens and underscores, or the cluster ARN',
    );
  }

  const taskDefinition = readTaskDefinition(inputs, env);

  const container = inputs.string('container');
  if (container !== undefined && !isContainerName(container)) {
    inputs.fail(
      'container',
      `"${container}" is not a container name`,
      'Use the name of a container in the task definition',
    );
  }
  const image = inputs.string('image');
  if (image !== undefined && !isImageReference(image)) {
    inputs.fail(
      'image',
      `"${image}" is not an image reference`,
      'Use repository:tag or repository@sha256:<64 hex digits>',
    );
  }

  const command = readCommand(inputs);

  const environment = inputs.map('environment', {
    keyPattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
    keyDescription: 'an environment variable name (letters, digits and _, not starting with a digit)',
  });

  const launchType = inputs.enumeration('launch-type', ['FARGATE', 'EC2', 'EXTERNAL'] as const);
  const capacityProviderStrategy = readCapacityProviders(inputs);
  if (launchType !== undefined && capacityProviderStrategy.length > 0) {
    inputs.fail(
      'capacity-provider-strategy',
      'it cannot be combined with "launch-type"',
      'Set either "launch-type" or "capacity-provider-strategy"',
    );
  }

  const subnets = inputs.list('subnets');
  for (const subnet of subnets) {
    if (!SUBNET.test(subnet))
      inputs.fail('subnets', `"${subnet}" is not a subnet ID`, 'Use IDs such as subnet-0123456789abcdef0');
  }
  if (subnets.length > 16) inputs.fail('subnets', `${subnets.length} subnets are given`, 'Give at most 16');
  const securityGroups = inputs.list('security-groups');
  for (const group of securityGroups) {
    if (!SECURITY_GROUP.test(group)) {
      inputs.fail('security-groups', `"${group}" is not a security group ID`, 'Use IDs such as sg-0123456789abcdef0');
    }
  }
  if (securityGroups.length > 5)
    inputs.fail('security-groups', `${securityGroups.length} groups are given`, 'Give at most 5');
  if (securityGroups.length > 0 && subnets.length === 0) {
    inputs.fail(
      'security-groups',
      'they only apply to awsvpc networking, and no "subnets" are given',
      'Set "subnets" too',
    );
  }
  const assignPublicIp = inputs.boolean('assign-public-ip', { default: false });
  if (assignPublicIp && subnets.length === 0) {
    inputs.fail(
      'assign-public-ip',
      'it only applies to awsvpc networking, and no "subnets" are given',
      'Set "subnets" too',
    );
  }

  const platformVersion = inputs.string('platform-version', {
    pattern: /^(?:LATEST|\d+\.\d+\.\d+)$/,
    describe: 'a Fargate platform version (LATEST or a version such as 1.4.0)',
  });
  if (platformVersion !== undefined && (launchType === 'EC2' || launchType === 'EXTERNAL')) {
    inputs.fail(
      'platform-version',
      `it only applies to Fargate, not to launch type ${launchType}`,
      'Remove it or use FARGATE',
    );
  }

  // RunTask takes at most 36 of these characters in startedBy (ListTasks filters on it).
  const startedBy =
    inputs.string('started-by', {
      pattern: /^[A-Za-z0-9_/-]{1,36}$/,
      describe: 'up to 36 letters, digits, hyphens, underscores and slashes',
    }) ?? defaultStartedBy(env);

  const timeoutMs = inputs.duration('timeout-minutes', {
    unit: 'm',
    min: 1000,
    max: 24 * 3_600_000,
    default: 30 * 60_000,
  });
  const pollIntervalMs = inputs.duration('poll-interval-seconds', { unit: 's', min: 100, max: 300_000, default: 5000 });
  const streamLogs = inputs.boolean('stream-logs', { default: true });

  const dbInstance = inputs.string('snapshot-db-instance');
  if (dbInstance !== undefined && !isDbIdentifier(dbInstance)) {
    inputs.fail(
      'snapshot-db-instance',
      `"${dbInstance}" is not a DB instance identifier`,
      'Use 1-63 letters, digits and hyphens, starting with a letter',
    );
  }
  const dbCluster = inputs.string('snapshot-db-cluster');
  if (dbCluster !== undefined && !isDbIdentifier(dbCluster)) {
    inputs.fail(
      'snapshot-db-cluster',
      `"${dbCluster}" is not a DB cluster identifier`,
      'Use 1-63 letters, digits and hyphens, starting with a letter',
    );
  }
  if (dbInstance !== undefined && dbCluster !== undefined) {
    inputs.fail(
      'snapshot-db-cluster',
      'it cannot be combined with "snapshot-db-instance"',
      'Set "snapshot-db-instance" for an RDS instance or "snapshot-db-cluster" for an Aurora cluster',
    );
  }
  const snapshotTemplate = inputs.string('snapshot-id');
  const snapshotTimeoutMs = inputs.duration('snapshot-timeout-minutes', {
    unit: 'm',
    min: 1000,
    max: 24 * 3_600_000,
    default: 60 * 60_000,
  });
  const environmentName = inputs.string('environment-name');
  if (environmentName !== undefined && environmentName.length > 100) {
    inputs.fail('environment-name', 'it is longer than 100 characters', 'Use the short name of the environment');
  }

  let snapshot: SnapshotRequest | undefined;
  const source = dbInstance ?? dbCluster;
  // action.yml gives snapshot-id its default, so only another value says the user meant a snapshot.
  if (snapshotTemplate !== undefined && snapshotTemplate !== DEFAULT_SNAPSHOT_ID_TEMPLATE && source === undefined) {
    inputs.fail(
      'snapshot-id',
      'it is set but there is nothing to snapshot',
      'Set "snapshot-db-instance" or "snapshot-db-cluster", or remove "snapshot-id"',
    );
  }
  if (source !== undefined) {
    const snapshotId = renderId(inputs, snapshotTemplate ?? DEFAULT_SNAPSHOT_ID_TEMPLATE, environmentName, env);
    if (snapshotId !== undefined) {
      snapshot = {
        source: { kind: dbInstance !== undefined ? 'instance' : 'cluster', identifier: source },
        snapshotId,
        timeoutMs: snapshotTimeoutMs,
        pollIntervalMs,
        tags: snapshotTags(env, environmentName),
      };
    }
  }

  return {
    task: {
      cluster: cluster ?? '',
      taskDefinition: taskDefinition ?? { kind: 'reference', reference: '' },
      container,
      image,
      command,
      environment,
      launchType,
      capacityProviderStrategy,
      network: subnets.length > 0 ? { subnets, securityGroups, assignPublicIp } : undefined,
      platformVersion,
      startedBy,
      timeoutMs,
      pollIntervalMs,
      streamLogs,
    },
    snapshot,
    environmentName,
  };
}

/** A family, family:revision or ARN; or a JSON file (a path ending in .json) to register. */
function readTaskDefinition(inputs: InputReader, env: NodeJS.ProcessEnv): TaskDefinitionSource | undefined {
  const value = inputs.string('task-definition', {
    required: true,
    hint: 'Set it to a family ("shop-migrate"), family:revision, a task-definition ARN or a JSON file',
  });
  if (value === undefined) return undefined;
  if (isTaskDefinitionReference(value)) return { kind: 'reference', reference: value };
  if (!value.endsWith('.json')) {
    return inputs.fail(
      'task-definition',
      `"${value}" is neither a task definition nor a .json file`,
      'Use a family, family:revision, a task-definition ARN, or the path of a JSON file',
    );
  }
  const path = resolve(env.GITHUB_WORKSPACE ?? process.cwd(), value);
  let definition: unknown;
  try {
    definition = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const problem =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `the file ${value} does not exist`
        : `the file ${value} cannot be read as JSON (${(error as Error).message})`;
    return inputs.fail(
      'task-definition',
      problem,
      'Give the path of a task-definition JSON file, relative to the workspace',
    );
  }
  const inner =
    definition && typeof definition === 'object' && 'taskDefinition' in definition
      ? (definition as { taskDefinition: unknown }).taskDefinition
      : definition;
  if (
    !inner ||
    typeof inner !== 'object' ||
    typeof (inner as Record<string, unknown>).family !== 'string' ||
    !Array.isArray((inner as Record<string, unknown>).containerDefinitions)
  ) {
    return inputs.fail(
      'task-definition',
      `the file ${value} has no "family" and "containerDefinitions"`,
      'Give a task definition as RegisterTaskDefinition takes it (or as DescribeTaskDefinition prints it)',
    );
  }
  return { kind: 'file', path: value, definition: definition as Record<string, unknown> };
}

function readCommand(inputs: InputReader): string[] | undefined {
  const text = inputs.string('command');
  if (text === undefined) return undefined;
  let words: string[] | undefined;
  if (text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return inputs.fail(
        'command',
        `it is not a valid JSON array (${(error as Error).message})`,
        'Write ["npm", "run", "migrate"] or plain words',
      );
    }
    if (!Array.isArray(parsed) || !parsed.every((word) => typeof word === 'string')) {
      return inputs.fail(
        'command',
        'the JSON array holds something other than strings',
        'Write every word as a JSON string',
      );
    }
    words = parsed as string[];
  } else {
    words = splitWords(text);
    if (words === undefined)
      return inputs.fail('command', 'a quote is not closed', 'Close the quote, or write a JSON array');
  }
  if (words.length === 0)
    return inputs.fail('command', 'it holds no words', 'Give the command to run, or leave it unset');
  return words;
}

function readCapacityProviders(inputs: InputReader): CapacityProviderItem[] {
  const items: CapacityProviderItem[] = [];
  for (const line of inputs.list('capacity-provider-strategy', { separator: 'lines' })) {
    const [name, weight, base, extra] = line.split(':').map((part) => part.trim());
    const number = (text: string | undefined, max: number) =>
      text === undefined ? undefined : /^\d+$/.test(text) && Number(text) <= max ? Number(text) : NaN;
    const parsedWeight = number(weight, 1000);
    const parsedBase = number(base, 100_000);
    if (
      !name ||
      !CAPACITY_PROVIDER.test(name) ||
      extra !== undefined ||
      Number.isNaN(parsedWeight) ||
      Number.isNaN(parsedBase)
    ) {
      inputs.fail(
        'capacity-provider-strategy',
        `line "${line}" is not provider, provider:weight or provider:weight:base`,
        'Write one provider per line, for example FARGATE_SPOT:1 (weight 0-1000, base 0-100000)',
      );
      continue;
    }
    items.push({
      capacityProvider: name,
      ...(parsedWeight !== undefined ? { weight: parsedWeight } : {}),
      ...(parsedBase !== undefined ? { base: parsedBase } : {}),
    });
  }
  return items;
}

function renderId(
  inputs: InputReader,
  template: string,
  environmentName: string | undefined,
  env: NodeJS.ProcessEnv,
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
      ? 'Set "environment-name", or remove {env}'
      : 'Use {env}, {date}, {time}, {sha7} and {run}';
    return inputs.fail('snapshot-id', (error as Error).message, fix);
  }
  if (!isSnapshotIdentifier(id)) {
    return inputs.fail(
      'snapshot-id',
      `"${id}" is not a snapshot identifier`,
      'Use 1-255 letters, digits and hyphens, starting with a letter, without two hyphens in a row or a hyphen at the end',
    );
  }
  return id;
}

function defaultStartedBy(env: NodeJS.ProcessEnv): string {
  const run = env.GITHUB_RUN_ID ? `-${env.GITHUB_RUN_ID}` : '';
  const attempt = env.GITHUB_RUN_ATTEMPT ? `-${env.GITHUB_RUN_ATTEMPT}` : '';
  return `github-run${run}${attempt}`.replace(/[^A-Za-z0-9_/-]/g, '-').slice(0, 36);
}

function snapshotTags(env: NodeJS.ProcessEnv, environmentName: string | undefined): Record<string, string> {
  const tags: Record<string, string> = { 'created-by': 'run-migration-task' };
  if (env.GITHUB_REPOSITORY) tags['github-repository'] = env.GITHUB_REPOSITORY;
  if (env.GITHUB_RUN_ID) tags['github-run-id'] = env.GITHUB_RUN_ID;
  if (env.GITHUB_SHA) tags['github-sha'] = env.GITHUB_SHA;
  if (environmentName) tags.environment = environmentName;
  return tags;
}
