/**
 * What ECS accepts, checked before anything is sent: names, references, networking and the watchers' timing. The
 * deploy and migration actions read their inputs with these rules and the release config is validated with them,
 * so a value means the same everywhere. Light on purpose (no AWS SDK): settings load it before anything heavy.
 */
import {
  ENVIRONMENT_VARIABLE,
  brokenNamePart,
  problemWith,
  quote,
  type Bounds,
  type NameParts,
  type Rule,
} from '@ecs-ship/action-kit';

const NAME = '[a-zA-Z0-9_-]{1,255}';
const ECS_ARN = 'arn:aws[a-z-]*:ecs:[a-z0-9-]*:\\d{12}:';
const NAME_PARTS: NameParts = {
  allowed: /[a-zA-Z0-9_-]/,
  allowedWords: 'letters, digits, hyphens and underscores',
  max: 255,
};

/** Which part of the naming rule a name (or an ARN that is not ECS's) breaks. */
function explainName(value: string): string | undefined {
  if (value.startsWith('arn:'))
    return 'it starts like an ARN but is not an ECS ARN (arn:aws:ecs:<region>:<account>:...)';
  return brokenNamePart(value, NAME_PARTS);
}

export const CLUSTER: Rule = {
  what: 'a cluster name or ARN',
  fix: 'Use up to 255 letters, digits, hyphens and underscores, or the cluster ARN',
  pattern: new RegExp(`^(?:${NAME}|${ECS_ARN}.+)$`),
  explain: explainName,
};

export const SERVICE: Rule = {
  what: 'a service name or ARN',
  fix: 'Use up to 255 letters, digits, hyphens and underscores, or the service ARN',
  pattern: new RegExp(`^(?:${NAME}|${ECS_ARN}.+)$`),
  explain: explainName,
};

/** CodeDeploy's names of applications, deployment groups and deployment configurations. */
export const CODEDEPLOY_NAME: Rule = {
  what: 'a CodeDeploy name',
  fix: 'Use 1 to 100 letters, digits, ".", "_", "-" and "+", as the CodeDeploy console shows the name',
  pattern: /^[A-Za-z0-9._+-]{1,100}$/,
};

/** A CodeDeploy deployment's description: CreateDeployment refuses one over 512 characters. */
export const CODEDEPLOY_DESCRIPTION: Rule = {
  what: 'a CodeDeploy deployment description',
  fix: 'Keep it to 512 characters (CodeDeploy refuses longer descriptions)',
  refine: (value) => (value.length > 512 ? `it is ${value.length} characters long` : undefined),
};

export const CONTAINER: Rule = {
  what: 'a container name',
  fix: 'Use the name of a container in the task definition (up to 255 letters, digits, hyphens and underscores)',
  pattern: new RegExp(`^${NAME}$`),
  explain: (value) => brokenNamePart(value, NAME_PARTS),
};

/** `container:NAME`: an environment variable or secret of one container (`web:LOG_LEVEL`). */
export const CONTAINER_VARIABLE: Rule = {
  what: 'container:NAME (for example web:LOG_LEVEL)',
  fix: 'Write container:NAME=value lines, for example web:LOG_LEVEL=debug',
  refine: (key) => {
    const [container = '', name, extra] = key.split(':');
    const wrong = name === undefined || extra !== undefined || problemWith(CONTAINER, container);
    return wrong || problemWith(ENVIRONMENT_VARIABLE, name)
      ? `${quote(key)} is not container:NAME (for example web:LOG_LEVEL)`
      : undefined;
  },
};

/**
 * Where ECS reads a secret from when the task starts (a container's `secrets[].valueFrom`): a Secrets Manager
 * secret ARN, optionally followed by `:json-key:version-stage:version-id` (each part may be empty), or a Systems
 * Manager Parameter Store parameter ARN. Only ARNs: a bare parameter name works only in the task's own region and
 * cannot be told apart from a typo.
 */
export const SECRET_REFERENCE: Rule = {
  what: 'a Secrets Manager secret ARN or an SSM parameter ARN',
  fix: 'Use arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME or arn:aws:ssm:REGION:ACCOUNT:parameter/NAME',
  pattern:
    /^arn:aws[a-z-]*:(?:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+(?::[^:\s]*:[^:\s]*:[^:\s]*)?|ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9/_.-]+)$/,
};

/** A value that names a secret rather than being one: ECS would hand the ARN itself to the container. */
export function looksLikeSecretReference(value: string): boolean {
  return /^arn:aws[a-z-]*:(?:secretsmanager|ssm):/.test(value.trim());
}

/** The value of a plain environment variable: anything but a reference to a secret, which belongs in `secrets`. */
export const ENVIRONMENT_VALUE: Rule = {
  what: 'a plain environment value',
  fix: 'Give secret references in "secrets" as container:NAME=arn lines, so that ECS reads the secret when the task starts',
  refine: (value) =>
    looksLikeSecretReference(value)
      ? `${quote(value)} is a secret reference: as an environment value the container would get the ARN, not the secret`
      : undefined,
};

/**
 * A key of `images`: `container`, for every service that has that container, or `service:container` for one
 * service. A service given by ARN contains colons itself, so the container is what follows the last colon.
 */
export const IMAGE_TARGET: Rule = {
  what: 'container or service:container (for example web or api:app)',
  fix: 'Write container=image lines, or service:container=image for one service, for example api:app=repo/api:2',
  refine: (key) => {
    const { service, container } = splitImageTarget(key);
    return problemWith(CONTAINER, container) || (service !== undefined && problemWith(SERVICE, service))
      ? `${quote(key)} is not container or service:container (for example web or api:app)`
      : undefined;
  },
};

export function splitImageTarget(key: string): { service?: string; container: string } {
  const colon = key.lastIndexOf(':');
  return colon < 0 ? { container: key } : { service: key.slice(0, colon), container: key.slice(colon + 1) };
}

/** `family`, `family:revision` or a task-definition ARN. */
export const TASK_DEFINITION: Rule = {
  what: 'a task definition',
  fix: 'Use a family, family:revision or a task-definition ARN',
  pattern: new RegExp(`^(?:${NAME}(?::[1-9]\\d*)?|${ECS_ARN}task-definition/.+)$`),
  explain: (value) => {
    if (value.startsWith('arn:')) return explainName(value);
    const [family = '', revision, extra] = value.split(':');
    if (extra !== undefined) return 'it has more than one ":" (family:revision has one)';
    if (revision !== undefined && !/^[1-9]\d*$/.test(revision)) {
      return `its revision "${revision}" is not a whole number from 1`;
    }
    return brokenNamePart(family, NAME_PARTS);
  },
};

export const SUBNET: Rule = {
  what: 'a subnet ID',
  fix: 'Use IDs such as subnet-0123456789abcdef0',
  pattern: /^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/,
};

export const SECURITY_GROUP: Rule = {
  what: 'a security group ID',
  fix: 'Use IDs such as sg-0123456789abcdef0',
  pattern: /^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$/,
};

/** RunTask's awsvpcConfiguration takes at most this many subnets and security groups. */
export const MAX_SUBNETS = 16;
export const MAX_SECURITY_GROUPS = 5;

export const CAPACITY_PROVIDER: Rule = {
  what: 'a capacity provider name',
  fix: 'Use the name of a capacity provider of the cluster, such as FARGATE_SPOT',
  pattern: new RegExp(`^${NAME}$`),
};

export const LAUNCH_TYPES = ['FARGATE', 'EC2', 'EXTERNAL'] as const;

export const PLATFORM_VERSION: Rule = {
  what: 'a Fargate platform version (LATEST or a version such as 1.4.0)',
  fix: 'Use LATEST or a version such as 1.4.0',
  pattern: /^(?:LATEST|\d+\.\d+\.\d+)$/,
};

/** RunTask takes at most 36 of these characters in startedBy (ListTasks filters on it). */
export const STARTED_BY: Rule = {
  what: 'up to 36 letters, digits, hyphens, underscores and slashes',
  fix: 'Shorten it to 36 characters of letters, digits, -, _ and /',
  pattern: /^[A-Za-z0-9_/-]{1,36}$/,
};

export const ALARM_NAME: Rule = {
  what: 'a CloudWatch alarm name (1 to 255 characters)',
  fix: 'Use the CloudWatch alarm names',
  pattern: /^.{1,255}$/s,
};

/** Where a service's tasks take their tags from (the service's `propagateTags`). */
export const PROPAGATE_TAGS = ['SERVICE', 'TASK_DEFINITION', 'NONE'] as const;

export const VOLUME_NAME: Rule = {
  what: 'a task definition volume name',
  fix: 'Use the name of the volume marked configuredAtLaunch in the task definition (up to 255 letters, digits, hyphens and underscores)',
  pattern: new RegExp(`^${NAME}$`),
};

export const CIRCUIT_BREAKER_MODES = ['rollback', 'fail-only'] as const;

/** ECS's deployment strategies, as the API names them. */
export const STRATEGIES = ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/**
 * A deployment strategy as a person writes it: `rolling`, `blue-green`, `linear`, `canary` (the action's style), or
 * as ECS spells it (`BLUE_GREEN`); any case.
 */
export const STRATEGY: Rule = {
  what: 'a deployment strategy (rolling, blue-green, linear or canary)',
  fix: 'Use rolling, blue-green, linear or canary',
  refine: (value) =>
    strategyNamed(value)
      ? undefined
      : `"${value}" is not a deployment strategy (rolling, blue-green, linear or canary)`,
};

/** The strategy a text names (see STRATEGY), or undefined. */
export function strategyNamed(text: string): Strategy | undefined {
  const name = text.trim().toUpperCase().replace(/[-\s]/g, '_');
  return (STRATEGIES as readonly string[]).includes(name) ? (name as Strategy) : undefined;
}

/** The bake times ECS takes, in whole minutes: bakeTimeInMinutes, stepBakeTimeInMinutes, canaryBakeTimeInMinutes. */
export const BAKE_MINUTES: Bounds = { min: 0, max: 1440 };
/** LinearConfiguration.stepPercent and CanaryConfiguration.canaryPercent: multiples of 0.1 in these bounds. */
export const LINEAR_STEP_PERCENT: Bounds = { min: 3, max: 100 };
export const CANARY_PERCENT: Bounds = { min: 0.1, max: 100 };

/** What is wrong with a percentage ECS takes in steps of 0.1 (stepPercent, canaryPercent); undefined when fine. */
export function percentProblem(value: number, bounds: Bounds): string | undefined {
  if (!Number.isFinite(value) || value < bounds.min || value > bounds.max) {
    return `${value} is not from ${bounds.min} to ${bounds.max}`;
  }
  if (Math.abs(value * 10 - Math.round(value * 10)) > 1e-9) return `${value} is not a multiple of 0.1`;
  return undefined;
}

export const DESIRED_COUNT: Bounds = { min: 0, max: 5000 };

/** After a failed rollout: how many stopped tasks are described, and how many of their last log lines are shown. */
export const DIAGNOSE_TASKS: Bounds = { min: 0, max: 10 };
export const DIAGNOSE_LOG_LINES: Bounds = { min: 0, max: 200 };
export const DIAGNOSIS_DEFAULTS = { tasks: 3, logLines: 30 } as const;

/**
 * How long a deploy or a one-off task is watched before it counts as timed out (milliseconds). Short limits are
 * allowed (a fraction of a minute, or "30s"): a quick service can promise a quick verdict.
 */
export const WATCH_TIMEOUT: Bounds = { min: 1000, max: 24 * 3_600_000 };
/** How often ECS is asked how the deploy or the task is doing (milliseconds). */
export const POLL_INTERVAL: Bounds = { min: 100, max: 300_000 };
export const WATCH_DEFAULTS = { timeoutMinutes: 30, pollIntervalSeconds: 5 } as const;

/** The poll interval of a watch: the one given, else the default, never longer than the timeout (milliseconds). */
export function watchPollInterval(timeoutMs: number, pollMs?: number): number {
  return pollMs ?? Math.min(WATCH_DEFAULTS.pollIntervalSeconds * 1000, timeoutMs);
}

/** Problems with the awsvpc networking of a one-off task, by the key (input or config key) at fault. */
export function networkProblems(network: {
  subnets: readonly string[];
  securityGroups: readonly string[];
  assignPublicIp: boolean;
}): { key: 'subnets' | 'security-groups' | 'assign-public-ip'; problem: string; fix: string }[] {
  const problems: ReturnType<typeof networkProblems> = [];
  if (network.subnets.length > MAX_SUBNETS) {
    problems.push({
      key: 'subnets',
      problem: `${network.subnets.length} subnets are given`,
      fix: `Give at most ${MAX_SUBNETS}`,
    });
  }
  if (network.securityGroups.length > MAX_SECURITY_GROUPS) {
    problems.push({
      key: 'security-groups',
      problem: `${network.securityGroups.length} groups are given`,
      fix: `Give at most ${MAX_SECURITY_GROUPS}`,
    });
  }
  if (network.subnets.length === 0) {
    if (network.securityGroups.length > 0) {
      problems.push({
        key: 'security-groups',
        problem: 'they only apply to awsvpc networking, and no "subnets" are given',
        fix: 'Set "subnets" too',
      });
    }
    if (network.assignPublicIp) {
      problems.push({
        key: 'assign-public-ip',
        problem: 'it only applies to awsvpc networking, and no "subnets" are given',
        fix: 'Set "subnets" too',
      });
    }
  }
  return problems;
}

/** The strategy keys of a deploy, named as the action's inputs and the release config's keys both name them. */
export interface StrategyKeys {
  strategy?: Strategy;
  'bake-time-minutes'?: number;
  'linear-step-percent'?: number;
  'linear-step-bake-minutes'?: number;
  'canary-percent'?: number;
  'canary-bake-minutes'?: number;
}

/** Keys given for a strategy the deploy does not use, by the key at fault. */
export function strategyProblems(given: StrategyKeys): { key: keyof StrategyKeys; problem: string; fix: string }[] {
  const problems: ReturnType<typeof strategyProblems> = [];
  const only = (keys: (keyof StrategyKeys)[], strategies: Strategy[], names: string) => {
    for (const key of keys) {
      if (given[key] === undefined || (given.strategy && strategies.includes(given.strategy))) continue;
      problems.push({
        key,
        problem: `it applies only to the ${names} strateg${strategies.length > 1 ? 'ies' : 'y'}${given.strategy ? '' : ', and no "strategy" is given'}`,
        fix: `Set "strategy" to ${strategies.length > 1 ? 'one of them' : names}, or remove "${key}"`,
      });
    }
  };
  only(['bake-time-minutes'], ['BLUE_GREEN', 'LINEAR', 'CANARY'], 'blue-green, linear and canary');
  only(['linear-step-percent', 'linear-step-bake-minutes'], ['LINEAR'], 'linear');
  only(['canary-percent', 'canary-bake-minutes'], ['CANARY'], 'canary');
  return problems;
}

/**
 * The name of a service `create-from` may create: CreateService takes a name, never an ARN. A name derived from a
 * branch must be cleaned first (the example workflows use `<app>-pr-<number>`).
 */
export const NEW_SERVICE_NAME: Rule = {
  what: 'a name a new ECS service can have',
  fix: 'Use up to 255 letters, digits, hyphens and underscores (for a pull request, for example shop-pr-42)',
  pattern: new RegExp(`^${NAME}$`),
  explain: (value) =>
    value.startsWith('arn:') ? 'a service to be created is named, not given by ARN' : brokenNamePart(value, NAME_PARTS),
};

/**
 * `preview-host`: the host name a listener rule's host-header condition sends to the preview (ELB: up to 128
 * characters). One concrete name, so that it is also the preview's URL: no scheme, port, path or wildcard.
 */
export const PREVIEW_HOST: Rule = {
  what: 'a host name such as shop-pr-42.preview.example.com',
  fix: 'Give the host name alone (no https://, port or path), up to 128 letters, digits, hyphens and dots',
  pattern:
    /^(?=.{1,128}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/,
  explain: (value) => {
    if (/^[a-z]+:\/\//i.test(value)) return 'it starts with a scheme';
    if (/[*?]/.test(value)) return 'it has a wildcard, so it is no address a preview can be reached at';
    if (/[/:]/.test(value)) return 'it has a port or a path';
    if (value.length > 128) return 'it is longer than 128 characters';
    return undefined;
  },
};
