/**
 * Readers for the inputs the deploy and migration actions share, so that each is read and checked once, the same
 * way: the cluster, the image for a container, the watch timing and task-definition files. Light on purpose (no AWS
 * SDK): the actions read their inputs before anything heavy is loaded.
 */
import { resolve } from 'node:path';
import type { InputReader } from '@ecs-ship/action-kit';
import { IMAGE_REFERENCE } from '@ecs-ship/ecr/names';
import { strategySettings, type StrategySettings } from './deploy/strategy/settings.js';
import {
  BAKE_MINUTES,
  CANARY_PERCENT,
  CLUSTER,
  CONTAINER,
  LINEAR_STEP_PERCENT,
  POLL_INTERVAL,
  STRATEGY,
  WATCH_DEFAULTS,
  WATCH_TIMEOUT,
  percentProblem,
  strategyNamed,
  strategyProblems,
  type StrategyKeys,
} from './rules.js';
import { readTaskDefinitionFile } from './taskdef/file.js';

/** The `cluster` input: required, a name or an ARN. */
export function readCluster(inputs: InputReader): string | undefined {
  return inputs.string('cluster', {
    required: true,
    rule: CLUSTER,
    hint: 'Set it to the name or ARN of the ECS cluster, for example "shop-production"',
  });
}

/** The `image` input and the `container` it is for (by default: the essential one). */
export function readImageTarget(inputs: InputReader): { image?: string; container?: string } {
  const image = inputs.string('image', { rule: IMAGE_REFERENCE });
  const container = inputs.string('container', { rule: CONTAINER });
  return { image, container };
}

/** `timeout-minutes` and `poll-interval-seconds`: how long the step watches, and how often it asks ECS. */
export function readWatchTiming(inputs: InputReader): { timeoutMs: number; pollIntervalMs: number } {
  const timeoutMs = inputs.duration('timeout-minutes', {
    unit: 'm',
    ...WATCH_TIMEOUT,
    default: WATCH_DEFAULTS.timeoutMinutes * 60_000,
  });
  const pollIntervalMs = inputs.duration('poll-interval-seconds', {
    unit: 's',
    ...POLL_INTERVAL,
    default: WATCH_DEFAULTS.pollIntervalSeconds * 1000,
  });
  return { timeoutMs, pollIntervalMs };
}

/** A task-definition JSON file named by input `name`, read from the workspace and checked as ECS would. */
export function readTaskDefinitionInput(
  inputs: InputReader,
  name: string,
  path: string,
  workspace: string,
): { path: string; definition: Record<string, unknown> } | undefined {
  const read = readTaskDefinitionFile(resolve(workspace, path), path);
  if ('problem' in read) return inputs.fail(name, read.problem, read.fix);
  return { path, definition: read.definition };
}

/**
 * `strategy` and its parameters (`bake-time-minutes`, `linear-step-percent`, `linear-step-bake-minutes`,
 * `canary-percent`, `canary-bake-minutes`); undefined when no strategy is given (the service keeps its own).
 */
export function readStrategy(inputs: InputReader): StrategySettings | undefined {
  const named = inputs.string('strategy', { rule: STRATEGY });
  const percent = (name: 'linear-step-percent' | 'canary-percent', bounds: typeof CANARY_PERCENT) => {
    const value = inputs.decimal(name, bounds);
    const problem = value === undefined ? undefined : percentProblem(value, bounds);
    if (problem) inputs.fail(name, problem, `Use a multiple of 0.1 from ${bounds.min} to ${bounds.max}`);
    return problem ? undefined : value;
  };
  const keys: StrategyKeys = {
    strategy: named === undefined ? undefined : strategyNamed(named),
    'bake-time-minutes': inputs.integer('bake-time-minutes', BAKE_MINUTES),
    'linear-step-percent': percent('linear-step-percent', LINEAR_STEP_PERCENT),
    'linear-step-bake-minutes': inputs.integer('linear-step-bake-minutes', BAKE_MINUTES),
    'canary-percent': percent('canary-percent', CANARY_PERCENT),
    'canary-bake-minutes': inputs.integer('canary-bake-minutes', BAKE_MINUTES),
  };
  // A strategy given but not valid is reported once, not again by every parameter that needs it.
  const strategyValid = keys.strategy !== undefined || inputs.raw('strategy') === '';
  if (strategyValid) for (const { key, problem, fix } of strategyProblems(keys)) inputs.fail(key, problem, fix);
  return strategySettings(keys);
}
