import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  isContainerName,
  isEcsName,
  isEnvironmentName,
  isImageReference,
  isTaskDefinitionReference,
  splitList,
  type InputReader,
} from '@ecs-ship/action-kit';

export type Mode = 'deploy' | 'plan' | 'rollback';

/** Everything the deploy needs, read from the step's inputs and checked before any AWS call. */
export interface DeploySettings {
  cluster: string;
  services: string[];
  /** The parsed template file of each service `task-definition` gives one, by service. */
  templates: Map<string, { path: string; definition: Record<string, unknown> }>;
  /** Image per container name. */
  images: Map<string, string>;
  /** The `image` input for the one essential container, when `container` is not given. */
  imageForEssentialContainer?: string;
  /** Environment variables to merge, per container name. */
  environment: Map<string, Map<string, string>>;
  desiredCount?: number;
  forceNewDeployment: boolean;
  circuitBreaker: 'rollback' | 'fail-only';
  alarms: string[];
  wait: boolean;
  timeoutMs: number;
  pollIntervalMs: number;
  onTimeout: 'rollback' | 'fail';
  waitForRollback: boolean;
  mode: Mode;
  rollbackTo: Map<string, string>;
}

export function readSettings(inputs: InputReader): DeploySettings {
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

  const services = inputs.list('services', {
    required: true,
    hint: 'List the services to deploy, one per line or separated by commas',
  });
  for (const service of services) {
    if (!isEcsName(service)) {
      inputs.fail(
        'services',
        `"${service}" is not a service name or ARN`,
        'Use up to 255 letters, digits, hyphens and underscores, or the service ARN',
      );
    }
  }
  const duplicate = services.find((service, i) => services.indexOf(service) !== i);
  if (duplicate) inputs.fail('services', `"${duplicate}" is listed twice`, 'List each service once');

  const templates = readTemplates(inputs, services);

  const images = new Map<string, string>();
  for (const [container, image] of inputs.map('images', {
    keyPattern: /^[a-zA-Z0-9_-]{1,255}$/,
    keyDescription: 'a container name',
  })) {
    if (!isImageReference(image)) {
      inputs.fail(
        'images',
        `"${image}" (for container "${container}") is not an image reference`,
        'Use repository:tag or repository@sha256:<64 hex digits>',
      );
    }
    images.set(container, image);
  }
  const image = inputs.string('image');
  const container = inputs.string('container');
  if (image !== undefined && !isImageReference(image)) {
    inputs.fail(
      'image',
      `"${image}" is not an image reference`,
      'Use repository:tag or repository@sha256:<64 hex digits>',
    );
  }
  if (container !== undefined && !isContainerName(container)) {
    inputs.fail(
      'container',
      `"${container}" is not a container name`,
      'Use the name of a container in the task definition',
    );
  }
  if (container !== undefined && image === undefined) {
    inputs.fail(
      'container',
      'it is set but "image" is not',
      'Set "image" too, or use "images" with container=image lines',
    );
  }
  let imageForEssentialContainer: string | undefined;
  if (image !== undefined) {
    if (images.size > 0) {
      inputs.fail('image', 'it cannot be combined with "images"', 'Use either "image" (with "container") or "images"');
    } else if (container !== undefined) {
      images.set(container, image);
    } else {
      imageForEssentialContainer = image;
    }
  }

  const environment = readEnvironment(inputs);

  const desiredCount = inputs.integer('desired-count', { min: 0, max: 5000 });
  const forceNewDeployment = inputs.boolean('force-new-deployment', { default: false });
  const circuitBreaker = inputs.enumeration('circuit-breaker', ['rollback', 'fail-only'] as const, {
    default: 'rollback',
  });
  const alarms = inputs.list('alarms');
  for (const alarm of alarms) {
    if (alarm.length > 255)
      inputs.fail(
        'alarms',
        `"${alarm.slice(0, 40)}..." is longer than 255 characters`,
        'Use the CloudWatch alarm names',
      );
  }
  const wait = inputs.boolean('wait', { default: true });
  const timeoutMs = inputs.duration('timeout-minutes', {
    unit: 'm',
    // Short limits are allowed (a fraction of a minute, or "30s"): a quick service can promise a quick verdict.
    min: 1000,
    max: 24 * 3_600_000,
    default: 30 * 60_000,
  });
  const pollIntervalMs = inputs.duration('poll-interval-seconds', { unit: 's', min: 100, max: 300_000, default: 5000 });
  const onTimeout = inputs.enumeration('on-timeout', ['rollback', 'fail'] as const, { default: 'rollback' });
  const waitForRollback = inputs.boolean('wait-for-rollback', { default: true });
  const mode = inputs.enumeration('mode', ['deploy', 'plan', 'rollback'] as const, { default: 'deploy' });

  const rollbackTo = readRollbackTo(inputs);
  for (const [service, taskDefinition] of rollbackTo) {
    if (!isTaskDefinitionReference(taskDefinition)) {
      inputs.fail(
        'rollback-to',
        `"${taskDefinition}" (for service "${service}") is not a task definition`,
        'Use family:revision or a task-definition ARN',
      );
    }
    if (services.length > 0 && !services.includes(service)) {
      inputs.fail(
        'rollback-to',
        `"${service}" is not one of the services being deployed`,
        'Name a service from "services"',
      );
    }
  }
  if (rollbackTo.size > 0 && mode !== 'rollback') {
    inputs.fail(
      'rollback-to',
      'it only applies when "mode" is rollback',
      'Set "mode: rollback", or remove "rollback-to"',
    );
  }
  if (
    mode === 'rollback' &&
    (images.size > 0 || imageForEssentialContainer || templates.size > 0 || environment.size > 0)
  ) {
    inputs.fail(
      'mode',
      'a rollback redeploys earlier revisions and takes no images, template or environment',
      'Remove "images", "image", "task-definition" and "environment", or use "mode: deploy"',
    );
  }

  return {
    cluster: cluster ?? '',
    services,
    templates,
    images,
    imageForEssentialContainer,
    environment,
    desiredCount,
    forceNewDeployment,
    circuitBreaker,
    alarms,
    wait,
    timeoutMs,
    pollIntervalMs,
    onTimeout,
    waitForRollback,
    mode,
    rollbackTo,
  };
}

/**
 * `task-definition`: `service=path` lines, one template per service (a service without a line renders from its
 * current definition), or a single path, which is only taken for a single service: rendering several services from
 * one file would give them all its family and containers.
 */
function readTemplates(inputs: InputReader, services: string[]): DeploySettings['templates'] {
  const templates: DeploySettings['templates'] = new Map();
  const text = inputs.raw('task-definition');
  if (text === '') return templates;
  const given = splitList(text, 'lines');
  if (!given.some((line) => line.includes('='))) {
    const path = given[0]!;
    if (given.length > 1) {
      inputs.fail(
        'task-definition',
        `${given.length} paths are given without the services they belong to`,
        `Write one service=path line per service, for example "${services[0] ?? 'web'}=${path}"`,
      );
      return templates;
    }
    if (services.length > 1) {
      inputs.fail(
        'task-definition',
        `one template ("${path}") is given for ${services.length} services (${services.join(', ')}), so every service would be rendered from it`,
        `Give one template per service as service=path lines, for example "${services[0]}=${path}"`,
      );
      return templates;
    }
    const template = readTemplate(inputs, path);
    if (template && services[0]) templates.set(services[0], template);
    return templates;
  }
  const lines = inputs.map('task-definition', {
    keyPattern: /^[a-zA-Z0-9_:/.-]{1,255}$/,
    keyDescription: 'a service name',
  });
  for (const [service, path] of lines) {
    if (!services.includes(service)) {
      inputs.fail(
        'task-definition',
        `"${service}" is not one of the services being deployed`,
        'Name a service from "services"',
      );
      continue;
    }
    const template = readTemplate(inputs, path);
    if (template) templates.set(service, template);
  }
  return templates;
}

function readTemplate(
  inputs: InputReader,
  path: string,
): { path: string; definition: Record<string, unknown> } | undefined {
  const absolute = resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch {
    return inputs.fail(
      'task-definition',
      `the file "${path}" cannot be read`,
      'Give the path of a task-definition JSON file in the repository',
    );
  }
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (error) {
    return inputs.fail('task-definition', `"${path}" is not valid JSON (${(error as Error).message})`, 'Fix the file');
  }
  // `aws ecs describe-task-definition` prints { taskDefinition, tags }: accept that as well as the bare definition.
  const inner = (definition as { taskDefinition?: unknown } | null)?.taskDefinition;
  const body = inner && typeof inner === 'object' ? inner : definition;
  const containers = (body as { containerDefinitions?: unknown } | null)?.containerDefinitions;
  if (typeof definition !== 'object' || definition === null || !Array.isArray(containers) || containers.length === 0) {
    return inputs.fail(
      'task-definition',
      `"${path}" has no containerDefinitions`,
      'Give a task definition as `aws ecs describe-task-definition` prints it, or as you would register it',
    );
  }
  return { path, definition: definition as Record<string, unknown> };
}

/** `container:KEY=value` lines. */
function readEnvironment(inputs: InputReader): Map<string, Map<string, string>> {
  const result = new Map<string, Map<string, string>>();
  for (const [key, value] of inputs.map('environment', {
    keyPattern: /^[a-zA-Z0-9_-]{1,255}:[A-Za-z_][A-Za-z0-9_]*$/,
    keyDescription: 'container:NAME (for example web:LOG_LEVEL)',
  })) {
    const [container, name] = key.split(':') as [string, string];
    if (!isEnvironmentName(name)) continue;
    if (!result.has(container)) result.set(container, new Map());
    result.get(container)!.set(name, value);
  }
  return result;
}

/**
 * `service=task-definition` lines, or the JSON object that an earlier run gave as `previous-task-definition-arns`
 * (so that a rollback step can take that output as it is).
 */
function readRollbackTo(inputs: InputReader): Map<string, string> {
  const text = inputs.raw('rollback-to');
  if (!text.startsWith('{')) {
    return inputs.map('rollback-to', { keyPattern: /^[a-zA-Z0-9_:/.-]{1,255}$/, keyDescription: 'a service name' });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    inputs.fail(
      'rollback-to',
      `it is not valid JSON (${(error as Error).message})`,
      'Use service=task-definition lines or a JSON object',
    );
    return new Map();
  }
  const entries = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.entries(parsed) : [];
  if (entries.length === 0 || entries.some(([, value]) => typeof value !== 'string')) {
    inputs.fail(
      'rollback-to',
      'the JSON is not an object of task definitions by service',
      'Use {"service": "family:revision", ...}',
    );
    return new Map();
  }
  return new Map(entries as [string, string][]);
}
