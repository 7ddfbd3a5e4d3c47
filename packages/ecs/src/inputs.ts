/**
 * Readers for the inputs the deploy and migration actions share, so that each is read and checked once, the same
 * way: the cluster, the image for a container, the watch timing and task-definition files. Light on purpose (no AWS
 * SDK): the actions read their inputs before anything heavy is loaded.
 */
import { resolve } from 'node:path';
import { pollIntervalProblem, typedDuration, type InputReader } from '@ecs-ship/action-kit';
import { IMAGE_REFERENCE } from '@ecs-ship/ecr/names';
import { CLUSTER, CONTAINER, POLL_INTERVAL, WATCH_DEFAULTS, WATCH_TIMEOUT, watchPollInterval } from './rules.js';
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

/**
 * `timeout-minutes` and `poll-interval-seconds`: how long the step watches, and how often it asks ECS. A poll
 * interval longer than the timeout is refused (the step would sleep past its deadline); when none is given, the
 * default never exceeds the timeout.
 */
export function readWatchTiming(inputs: InputReader): { timeoutMs: number; pollIntervalMs: number } {
  const timeoutMs = inputs.duration('timeout-minutes', {
    unit: 'm',
    ...WATCH_TIMEOUT,
    default: WATCH_DEFAULTS.timeoutMinutes * 60_000,
  });
  const pollText = inputs.raw('poll-interval-seconds');
  const pollMs = inputs.duration('poll-interval-seconds', { unit: 's', ...POLL_INTERVAL });
  if (pollMs !== undefined && timeoutMs !== undefined) {
    const timeoutText = inputs.raw('timeout-minutes') || String(WATCH_DEFAULTS.timeoutMinutes);
    const problem = pollIntervalProblem(
      { ...typedDuration(pollText, pollMs, 's'), unit: 's' },
      { ...typedDuration(timeoutText, timeoutMs, 'm'), name: 'timeout-minutes' },
    );
    if (problem) inputs.fail('poll-interval-seconds', problem.problem, problem.fix);
  }
  return { timeoutMs, pollIntervalMs: watchPollInterval(timeoutMs, pollMs) };
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
