import { addMask, problemWith, readProgressInterval, type InputReader } from '@ecs-ship/action-kit';
import { IMAGE_REFERENCE } from '@ecs-ship/ecr/names';
import { pullRequestOfRun, type PullRequestRun } from '@ecs-ship/github-release/light';
import type { DeployMode, DeployOptions, DiagnosisSettings } from '@ecs-ship/ecs';
import {
  namedContainersCheck,
  readCluster,
  readImageTarget,
  readStrategy,
  readWatchTiming,
} from '@ecs-ship/ecs/inputs';
import { readCodeDeploySettings, type CodeDeployInputs } from '@ecs-ship/ecs/codedeploy-settings';
import { readServiceSettings, type ServiceSettingsInputs } from '@ecs-ship/ecs/service-settings';
import { readWatchAfter } from '@ecs-ship/ecs/watch-inputs';
import {
  ALARM_NAME,
  CIRCUIT_BREAKER_MODES,
  CONTAINER_VARIABLE,
  DESIRED_COUNT,
  DIAGNOSE_LOG_LINES,
  DIAGNOSE_TASKS,
  DIAGNOSIS_DEFAULTS,
  ENVIRONMENT_VALUE,
  IMAGE_TARGET,
  SECRET_REFERENCE,
  SERVICE,
  TASK_DEFINITION,
  splitImageTarget,
} from '@ecs-ship/ecs/rules';
import { readPreview, type PreviewInputs } from './preview-settings.js';
import { readTemplates, type TemplateFile } from './template-settings.js';

/** The engine's modes, and `delete`, which removes preview services. */
export type Mode = DeployMode | 'delete';

/**
 * Everything the deploy needs, read from the step's inputs and checked before any AWS call: the engine's options,
 * with the template as the file it came from.
 */
export type DeploySettings = Omit<DeployOptions, 'templates' | 'mode' | 'codeDeploy' | 'serviceSettings'> & {
  mode: Mode;
  /** As read; the EBS volume's JSON is checked against the shape ECS takes when the step runs. */
  serviceSettings: ServiceSettingsInputs;
  /** `create-from` and `preview-host`: the service is created from a template when it does not exist. */
  preview?: PreviewInputs;
  /** The CodeDeploy inputs as read; their YAML (AppSpec, smoke checks) is parsed when the step runs. */
  codeDeploy?: CodeDeployInputs;
  /** After a failure: the stopped tasks described and the log lines read of each. */
  diagnosis: DiagnosisSettings;
  /** The parsed template file of each service `task-definition` gives one, by service. */
  templates: Map<string, TemplateFile>;
  /** The longest the log stays quiet while the deployments are watched. */
  progressIntervalMs: number;
  /** `comment-on-pull-request`: where the plan goes besides the job summary. */
  comment?: CommentSettings;
};

export interface CommentSettings {
  token: string;
  /** The pull request this run is for; none when another event started it. */
  pullRequest?: PullRequestRun;
  event: string;
}

export function readSettings(inputs: InputReader, env: NodeJS.ProcessEnv = process.env): DeploySettings {
  const cluster = readCluster(inputs);

  const services = inputs.list('services', {
    required: true,
    rule: SERVICE,
    hint: 'List the services to deploy, one per line or separated by commas',
  });
  const duplicate = services.find((service, i) => services.indexOf(service) !== i);
  if (duplicate) inputs.fail('services', `"${duplicate}" is listed twice`, 'List each service once');

  const { images, serviceImages } = readImages(inputs, services);
  const { image, container } = readImageTarget(inputs);
  if (container !== undefined && image === undefined && inputs.raw('image') === '') {
    inputs.fail(
      'container',
      'it is set but "image" is not',
      'Set "image" too, or use "images" with container=image lines',
    );
  }
  let imageForEssentialContainer: string | undefined;
  if (image !== undefined) {
    if (images.size > 0 || serviceImages.size > 0) {
      inputs.fail('image', 'it cannot be combined with "images"', 'Use either "image" (with "container") or "images"');
    } else if (container !== undefined) {
      images.set(container, image);
    } else {
      imageForEssentialContainer = image;
    }
  }

  const environment = readEnvironment(inputs);
  const secrets = readSecrets(inputs, environment);
  // Read after the inputs that name containers, so that a template lacking one is refused at its line. With several
  // services a container only has to be in one of them (checked across the services before anything changes).
  const templates = readTemplates(
    inputs,
    services,
    env.GITHUB_WORKSPACE ?? process.cwd(),
    services.length === 1 ? namedContainersCheck({ images, imageForEssentialContainer, environment }) : () => [],
  );

  const desiredCount = inputs.integer('desired-count', DESIRED_COUNT);
  const forceNewDeployment = inputs.boolean('force-new-deployment', { default: false });
  const serviceSettings = readServiceSettings(inputs);
  const circuitBreaker = inputs.enumeration('circuit-breaker', CIRCUIT_BREAKER_MODES, { default: 'rollback' });
  const alarms = inputs.list('alarms', { rule: ALARM_NAME });
  const wait = inputs.boolean('wait', { default: true });
  const { timeoutMs, pollIntervalMs } = readWatchTiming(inputs);
  const onTimeout = inputs.enumeration('on-timeout', ['rollback', 'fail'] as const, { default: 'rollback' });
  const waitForRollback = inputs.boolean('wait-for-rollback', { default: true });
  const diagnosis = {
    tasks: inputs.integer('diagnose-tasks', { ...DIAGNOSE_TASKS, default: DIAGNOSIS_DEFAULTS.tasks }),
    logLines: inputs.integer('diagnose-log-lines', { ...DIAGNOSE_LOG_LINES, default: DIAGNOSIS_DEFAULTS.logLines }),
  };
  const rollbackOthersOnFailure = inputs.boolean('rollback-others-on-failure', { default: false });
  const progressIntervalMs = readProgressInterval(inputs);
  const mode = inputs.enumeration('mode', ['deploy', 'plan', 'rollback', 'delete'] as const, { default: 'deploy' });
  const strategy = readStrategy(inputs);

  if (rollbackOthersOnFailure && !wait) {
    inputs.fail(
      'rollback-others-on-failure',
      'it needs the step to watch the deployments, and "wait" is false',
      'Set "wait: true", or remove "rollback-others-on-failure"',
    );
  }
  if (rollbackOthersOnFailure && mode === 'rollback') {
    inputs.fail(
      'rollback-others-on-failure',
      'a rollback has no earlier revision to fall back on',
      'Remove "rollback-others-on-failure" from the rollback step',
    );
  }

  const rollbackTo = readRollbackTo(inputs);
  for (const [service, taskDefinition] of rollbackTo) {
    const problem = problemWith(TASK_DEFINITION, taskDefinition);
    if (problem) inputs.fail('rollback-to', `${problem} (for service "${service}")`, TASK_DEFINITION.fix);
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
    (images.size > 0 ||
      serviceImages.size > 0 ||
      imageForEssentialContainer ||
      templates.size > 0 ||
      environment.size > 0 ||
      secrets.size > 0)
  ) {
    inputs.fail(
      'mode',
      'a rollback redeploys earlier revisions and takes no images, template, environment or secrets',
      'Remove "images", "image", "task-definition", "environment" and "secrets", or use "mode: deploy"',
    );
  }
  if (mode === 'rollback' && Object.values(serviceSettings).some((value) => value !== undefined)) {
    inputs.fail(
      'mode',
      'a rollback puts earlier revisions back as they ran and changes no service settings',
      'Remove "enable-ecs-managed-tags", "propagate-tags" and "service-managed-ebs-volume", or use "mode: deploy"',
    );
  }

  const renders = [images, serviceImages, templates, environment, secrets].some((m) => m.size > 0);
  const preview = readPreview(
    inputs,
    mode,
    services,
    renders || imageForEssentialContainer !== undefined,
    desiredCount,
  );
  const comment = readComment(inputs, mode, env, preview !== undefined);
  const codeDeploy = readCodeDeploySettings(inputs, env.GITHUB_WORKSPACE ?? process.cwd());
  const { watchAfterMs, watchMetrics } = readWatchAfter(inputs, { wait, mode });

  return {
    cluster: cluster ?? '',
    services,
    templates,
    images,
    serviceImages,
    imageForEssentialContainer,
    environment,
    secrets,
    desiredCount,
    forceNewDeployment,
    serviceSettings,
    circuitBreaker,
    alarms,
    wait,
    timeoutMs,
    pollIntervalMs,
    onTimeout,
    waitForRollback,
    diagnosis,
    rollbackOthersOnFailure,
    mode,
    rollbackTo,
    progressIntervalMs,
    strategy,
    comment,
    preview,
    codeDeploy,
    watchAfterMs,
    watchMetrics,
  };
}

/** `comment-on-pull-request` and the `github-token` it writes with (the plan, or a preview's address). */
function readComment(
  inputs: InputReader,
  mode: Mode,
  env: NodeJS.ProcessEnv,
  preview: boolean,
): CommentSettings | undefined {
  const wanted = inputs.boolean('comment-on-pull-request', { default: false });
  const token = inputs.secret('github-token');
  if (!wanted) return undefined;
  if (mode !== 'plan' && mode !== 'delete' && !preview) {
    inputs.fail(
      'comment-on-pull-request',
      `it applies to "mode: plan", to a preview ("create-from") and to "mode: delete" (here mode is ${mode})`,
      'Set "mode: plan" or "create-from", or remove "comment-on-pull-request"',
    );
  }
  if (!token) {
    inputs.fail(
      'github-token',
      'it is empty while "comment-on-pull-request" is true',
      "Leave it unset (the default is the job's GITHUB_TOKEN), or pass a token that may write pull requests",
    );
  }
  return { token: token ?? '', pullRequest: pullRequestOfRun(env), event: env.GITHUB_EVENT_NAME ?? '' };
}

/**
 * `images`: `container=image` lines for every service that has the container, and `service:container=image` lines
 * for one service.
 */
function readImages(
  inputs: InputReader,
  services: string[],
): { images: Map<string, string>; serviceImages: Map<string, Map<string, string>> } {
  const images = new Map<string, string>();
  const serviceImages = new Map<string, Map<string, string>>();
  for (const [key, image] of inputs.map('images', { keyRule: IMAGE_TARGET })) {
    const { service, container } = splitImageTarget(key);
    const problem = problemWith(IMAGE_REFERENCE, image);
    if (problem) inputs.fail('images', `${problem} (for "${key}")`, IMAGE_REFERENCE.fix);
    if (service === undefined) {
      images.set(container, image);
    } else if (services.length > 0 && !services.includes(service)) {
      inputs.fail(
        'images',
        `"${service}" (in "${key}") is not one of the services being deployed`,
        'Name a service from "services"',
      );
    } else {
      if (!serviceImages.has(service)) serviceImages.set(service, new Map());
      serviceImages.get(service)!.set(container, image);
    }
  }
  return { images, serviceImages };
}

/** `container:KEY=value` lines; a value that is a secret reference is refused and pointed to `secrets`. */
function readEnvironment(inputs: InputReader): Map<string, Map<string, string>> {
  const result = new Map<string, Map<string, string>>();
  for (const [key, value] of inputs.map('environment', { keyRule: CONTAINER_VARIABLE })) {
    const problem = problemWith(ENVIRONMENT_VALUE, value);
    if (problem) inputs.fail('environment', `${key}: ${problem}`, ENVIRONMENT_VALUE.fix);
    const [container, name] = key.split(':') as [string, string];
    if (!result.has(container)) result.set(container, new Map());
    result.get(container)!.set(name, value);
  }
  return result;
}

/**
 * `secrets`: `container:NAME=arn` lines, each a Secrets Manager or SSM parameter ARN that ECS reads when the task
 * starts. A name given in `environment` too is refused: the container would get two values for it. A value that is
 * no ARN may be the secret itself, so it is masked and no message repeats it.
 */
function readSecrets(
  inputs: InputReader,
  environment: Map<string, Map<string, string>>,
): Map<string, Map<string, string>> {
  const result = new Map<string, Map<string, string>>();
  for (const [key, reference] of inputs.map('secrets', {
    keyRule: CONTAINER_VARIABLE,
    hint: 'Write container:NAME=arn lines, for example web:DB_PASSWORD=arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf',
  })) {
    if (problemWith(SECRET_REFERENCE, reference)) {
      // Not an ARN: perhaps the secret itself, pasted where its ARN belongs. Masked, and never repeated.
      addMask(reference);
      inputs.fail('secrets', `the value of ${key} is not ${SECRET_REFERENCE.what}`, SECRET_REFERENCE.fix);
    }
    const [container, name] = key.split(':') as [string, string];
    if (environment.get(container)?.has(name)) {
      inputs.fail(
        'secrets',
        `${key} is also set in "environment"`,
        'Set each variable in one of "environment" and "secrets"',
      );
    }
    if (!result.has(container)) result.set(container, new Map());
    result.get(container)!.set(name, reference);
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
    return inputs.map('rollback-to', { keyRule: SERVICE });
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
