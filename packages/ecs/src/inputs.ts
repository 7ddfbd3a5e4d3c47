/**
 * Readers for the inputs the deploy and migration actions share, so that each is read and checked once, the same
 * way: the cluster, the image for a container, the watch timing and task-definition files. Light on purpose (no AWS
 * SDK): the actions read their inputs before anything heavy is loaded.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pollIntervalProblem, typedDuration, type InputReader, type SourceLocation } from '@ecs-ship/action-kit';
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
  watchPollInterval,
  type StrategyKeys,
} from './rules.js';
import { definitionPath, readTaskDefinitionFile } from './taskdef/file.js';
import { renderTaskDefinition, type RenderOptions } from './taskdef/render.js';
import type { JsonPath } from './taskdef/shape-check.js';
import { locate, type Position } from './taskdef/source.js';

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

/**
 * A check of a template that needs more than the file (the containers other inputs name): problems at places in the
 * definition, as paths from the definition's top.
 */
export type TemplateCheck = (definition: Record<string, unknown>) => { problem: string; fix: string; path: JsonPath }[];

/**
 * A task-definition JSON file named by input `name`, read from the workspace and checked as ECS would, then by
 * `check`. Each problem is reported at its line of the file, so that the annotation shows on the pull request's diff.
 */
export function readTaskDefinitionInput(
  inputs: InputReader,
  name: string,
  path: string,
  workspace: string,
  check?: TemplateCheck,
): { path: string; definition: Record<string, unknown> } | undefined {
  const absolute = resolve(workspace, path);
  const file = repositoryPath(workspace, absolute);
  const at = (position?: Position): SourceLocation | undefined => (file ? { file, ...position } : undefined);
  const read = readTaskDefinitionFile(absolute, path);
  if ('problems' in read) {
    for (const found of read.problems) inputs.fail(name, found.problem, found.fix, at(found.position));
    return undefined;
  }
  const top = definitionPath(read.definition);
  const found = check?.(read.definition) ?? [];
  for (const problem of found) {
    const position = locate(read.text, [...top, ...problem.path], true);
    const where = position ? `, line ${position.line}` : '';
    inputs.fail(name, `the file "${path}"${where}: ${problem.problem}`, problem.fix, at(position));
  }
  return found.length > 0 ? undefined : { path, definition: read.definition };
}

/**
 * The containers that `images`, `image` (for the one essential container) and `environment` name must be in the
 * template: the rendering's own rule, checked while the inputs are read and placed at `containerDefinitions`.
 */
export function namedContainersCheck(options: RenderOptions): TemplateCheck {
  return (definition) =>
    renderTaskDefinition(definition, options).errors.map((problem) => ({
      problem,
      fix: 'Name a container the template defines, or add that container to the template',
      path: ['containerDefinitions'],
    }));
}

/** The file's path from the repository root (the workspace), as annotations name files; undefined outside it. */
function repositoryPath(workspace: string, absolute: string): string | undefined {
  const inside = relative(resolve(workspace), absolute);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return undefined;
  return inside.split(sep).join('/');
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
