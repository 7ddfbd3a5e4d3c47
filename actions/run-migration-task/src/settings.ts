// Reads and checks every input of run-migration-task before anything is loaded or changed. Light code only: this
// runs before the AWS SDK is loaded, so that bad input is refused fast and changes nothing.
import { ENVIRONMENT_VARIABLE, problemWith, readProgressInterval, type InputReader } from '@ecs-ship/action-kit';
import type { CapacityProviderItem, OneOffTaskSpec, TaskDefinitionSource } from '@ecs-ship/ecs';
import { readCluster, readImageTarget, readTaskDefinitionInput, readWatchTiming } from '@ecs-ship/ecs/inputs';
import {
  CAPACITY_PROVIDER,
  LAUNCH_TYPES,
  PLATFORM_VERSION,
  SECURITY_GROUP,
  STARTED_BY,
  SUBNET,
  TASK_DEFINITION,
  networkProblems,
} from '@ecs-ship/ecs/rules';
import type { SnapshotRequest } from '@ecs-ship/rds';
import { readSnapshotId } from '@ecs-ship/rds/inputs';
import {
  DB_CLUSTER,
  DB_INSTANCE,
  DEFAULT_SNAPSHOT_ID_TEMPLATE,
  DEFAULT_SNAPSHOT_TIMEOUT_MINUTES,
  SNAPSHOT_TIMEOUT,
} from '@ecs-ship/rds/snapshot-id';
import { runFacts, suiteTags } from '@ecs-ship/rds/tags';
import { splitWords } from './command.js';

export interface MigrationSettings {
  task: OneOffTaskSpec;
  /** The snapshot to take before the migration, when one was asked for. */
  snapshot?: SnapshotRequest;
  environmentName?: string;
  /** The longest the log stays quiet while the snapshot is taken or the task runs. */
  progressIntervalMs: number;
}

export function readSettings(inputs: InputReader, env: NodeJS.ProcessEnv = process.env): MigrationSettings {
  const cluster = readCluster(inputs);
  const taskDefinition = readTaskDefinition(inputs, env);
  const { container, image } = readImageTarget(inputs);

  const command = readCommand(inputs);

  const environment = inputs.map('environment', { keyRule: ENVIRONMENT_VARIABLE });

  const launchType = inputs.enumeration('launch-type', LAUNCH_TYPES);
  const capacityProviderStrategy = readCapacityProviders(inputs);
  if (launchType !== undefined && capacityProviderStrategy.length > 0) {
    inputs.fail(
      'capacity-provider-strategy',
      'it cannot be combined with "launch-type"',
      'Set either "launch-type" or "capacity-provider-strategy"',
    );
  }

  const subnets = inputs.list('subnets', { rule: SUBNET });
  const securityGroups = inputs.list('security-groups', { rule: SECURITY_GROUP });
  const assignPublicIp = inputs.boolean('assign-public-ip', { default: false });
  for (const { key, problem, fix } of networkProblems({ subnets, securityGroups, assignPublicIp })) {
    inputs.fail(key, problem, fix);
  }

  const platformVersion = inputs.string('platform-version', { rule: PLATFORM_VERSION });
  if (platformVersion !== undefined && (launchType === 'EC2' || launchType === 'EXTERNAL')) {
    inputs.fail(
      'platform-version',
      `it only applies to Fargate, not to launch type ${launchType}`,
      'Remove it or use FARGATE',
    );
  }

  const startedBy = inputs.string('started-by', { rule: STARTED_BY }) ?? defaultStartedBy(env);
  const { timeoutMs, pollIntervalMs } = readWatchTiming(inputs);
  const streamLogs = inputs.boolean('stream-logs', { default: true });
  const progressIntervalMs = readProgressInterval(inputs);

  const dbInstance = inputs.string('snapshot-db-instance', { rule: DB_INSTANCE });
  const dbCluster = inputs.string('snapshot-db-cluster', { rule: DB_CLUSTER });
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
    ...SNAPSHOT_TIMEOUT,
    default: DEFAULT_SNAPSHOT_TIMEOUT_MINUTES * 60_000,
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
    const template = snapshotTemplate ?? DEFAULT_SNAPSHOT_ID_TEMPLATE;
    const snapshotId = readSnapshotId(inputs, 'snapshot-id', template, environmentName, env);
    if (snapshotId !== undefined) {
      snapshot = {
        source: { kind: dbInstance !== undefined ? 'instance' : 'cluster', identifier: source },
        snapshotId,
        timeoutMs: snapshotTimeoutMs,
        pollIntervalMs,
        tags: suiteTags(runFacts('run-migration-task', env, environmentName)),
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
    progressIntervalMs,
  };
}

/** A family, family:revision or ARN; or a JSON file (a path ending in .json) to register. */
function readTaskDefinition(inputs: InputReader, env: NodeJS.ProcessEnv): TaskDefinitionSource | undefined {
  const value = inputs.string('task-definition', {
    required: true,
    hint: 'Set it to a family ("shop-migrate"), family:revision, a task-definition ARN or a JSON file',
  });
  if (value === undefined) return undefined;
  if (problemWith(TASK_DEFINITION, value) === undefined) return { kind: 'reference', reference: value };
  if (!value.endsWith('.json')) {
    return inputs.fail(
      'task-definition',
      `"${value}" is neither a task definition nor a .json file`,
      'Use a family, family:revision, a task-definition ARN, or the path of a JSON file',
    );
  }
  const file = readTaskDefinitionInput(inputs, 'task-definition', value, env.GITHUB_WORKSPACE ?? process.cwd());
  return file && { kind: 'file', ...file };
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
      problemWith(CAPACITY_PROVIDER, name) ||
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

function defaultStartedBy(env: NodeJS.ProcessEnv): string {
  const run = env.GITHUB_RUN_ID ? `-${env.GITHUB_RUN_ID}` : '';
  const attempt = env.GITHUB_RUN_ATTEMPT ? `-${env.GITHUB_RUN_ATTEMPT}` : '';
  return `github-run${run}${attempt}`.replace(/[^A-Za-z0-9_/-]/g, '-').slice(0, 36);
}
