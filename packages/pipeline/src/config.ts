// The release config file (`.github/ecs-release.yml` by default): one entry per environment saying where it runs and
// how each stage behaves. Validated with zod; `npm run schema` publishes the same schema as JSON Schema for editors.
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import {
  AWS_REGION,
  DEFAULT_PROGRESS_INTERVAL_MS,
  ENVIRONMENT_VARIABLE,
  PROGRESS_INTERVAL,
  pollIntervalProblem,
  typedDuration,
} from '@ecs-ship/action-kit';
import { count, duration, keyMessage, ruled, ruledKeys } from '@ecs-ship/action-kit/zod';
import { BUILD_ARG, BUILD_TARGET, LABEL_KEY, PLATFORM, PROVENANCE, SECRET_ID } from '@ecs-ship/ecr/docker';
import { REPOSITORY_NAME } from '@ecs-ship/ecr/names';
import { CHUNK_SIZE, PUBLISH_MODES, SCAN_TIMEOUT, SEVERITIES } from '@ecs-ship/ecr/options';
import * as ecs from '@ecs-ship/ecs/rules';
import * as probe from '@ecs-ship/probe/rules';
import { checksSchema } from '@ecs-ship/probe/check-schema';
import { DB_CLUSTER, DB_INSTANCE, DEFAULT_SNAPSHOT_TIMEOUT_MINUTES, SNAPSHOT_TIMEOUT } from '@ecs-ship/rds/snapshot-id';
import { describeIssue, readYaml } from './config-errors.js';
import { ENVIRONMENT_NAME } from './rules.js';
import { checkWatch, watchKeys } from './config-watch.js';
import { codedeployKey, type CodeDeployConfig } from './config-codedeploy.js';

// Every key that an action input also takes is checked by the rule the action uses (from the package that owns the
// concept), so a config means what the action's inputs would mean.

export const PLACEHOLDERS = ['env', 'date', 'time', 'sha', 'sha7', 'run'];

const template = z
  .string()
  .min(1)
  .refine((text) => [...text.matchAll(/\{([^{}]*)\}/g)].every((m) => PLACEHOLDERS.includes(m[1]!)), {
    message: 'use only the placeholders {env}, {date}, {time}, {sha}, {sha7} and {run}',
  });

const MIB = 1024 * 1024;

/** The image keys that only some sources use. */
const SOURCE_KEYS: Record<string, string[]> = {
  context: ['build'],
  file: ['build'],
  platforms: ['build'],
  'build-args': ['build'],
  target: ['build'],
  labels: ['build'],
  'secret-env': ['build'],
  'cache-from': ['build'],
  'cache-to': ['build'],
  provenance: ['build'],
  archive: ['push-archive'],
  'mount-from': ['push-archive'],
  'chunk-size-mib': ['push-archive'],
  'skip-existing': ['build', 'push-archive'],
  'fail-on-severity': ['build', 'push-archive'],
  'scan-timeout-minutes': ['build', 'push-archive'],
  'allow-tag-move': ['promote'],
};

const image = z
  .object({
    repository: ruled(REPOSITORY_NAME),
    source: z
      .enum(PUBLISH_MODES)
      .describe('build: docker buildx; push-archive: an OCI layout; promote: retag an image staging already tested'),
    tags: z
      .array(template)
      .min(1)
      .default(['{sha}'])
      .describe('Tags to give the image; with build, skip-existing looks for the first one'),
    context: z.string().min(1).optional().describe('build: the build context, relative to the workspace'),
    file: z.string().min(1).optional().describe('build: the Dockerfile, relative to the workspace'),
    platforms: z.array(ruled(PLATFORM)).optional().describe("build: target platforms; default: the builder's own"),
    'build-args': ruledKeys(BUILD_ARG, z.string()).optional().describe('build: --build-arg values'),
    target: ruled(BUILD_TARGET).optional().describe('build: the Dockerfile stage to build'),
    labels: ruledKeys(LABEL_KEY, z.string())
      .optional()
      .describe('build: image labels, besides org.opencontainers.image.revision and source'),
    'secret-env': ruledKeys(SECRET_ID, ruled(ENVIRONMENT_VARIABLE))
      .optional()
      .describe('build: build secrets, each id mapped to the environment variable that holds its value'),
    'cache-from': z
      .array(z.string().min(1))
      .optional()
      .describe('build: cache sources; [] for none; default: <repository>:buildcache'),
    'cache-to': z
      .array(z.string().min(1))
      .optional()
      .describe('build: cache destinations; [] for none; default: <repository>:buildcache'),
    provenance: z
      .union([z.boolean(), ruled(PROVENANCE)])
      .optional()
      .describe("build: provenance attestation; default: buildx's own"),
    archive: z
      .string()
      .min(1)
      .optional()
      .describe('push-archive: an OCI image layout directory or tar, relative to the workspace'),
    'mount-from': z
      .array(ruled(REPOSITORY_NAME))
      .optional()
      .describe('push-archive: repositories to mount blobs from before uploading them'),
    'chunk-size-mib': count({ min: CHUNK_SIZE.min / MIB, max: CHUNK_SIZE.max / MIB })
      .optional()
      .describe('push-archive: blobs larger than this go up in chunks of this size; default 16'),
    'skip-existing': z
      .boolean()
      .optional()
      .describe('build, push-archive: reuse the image already under the first tag instead of building; default true'),
    'fail-on-severity': z
      .enum(SEVERITIES)
      .optional()
      .describe('build, push-archive: wait for the ECR scan and fail on findings at or above this severity'),
    'scan-timeout-minutes': duration('minutes', SCAN_TIMEOUT)
      .optional()
      .describe('build, push-archive: how long to wait for the scan; default 10'),
    from: template.default('{sha}').describe('promote: the tag of the image to promote'),
    'allow-tag-move': z
      .boolean()
      .optional()
      .describe('promote: let a tag that points at another image move to the promoted one; default false (refused)'),
  })
  .strict()
  .superRefine((value, context) => {
    if (value.source === 'build' && !value.context) {
      context.addIssue({ code: 'custom', path: ['context'], message: 'a build needs a context' });
    }
    if (value.source === 'push-archive' && !value.archive) {
      context.addIssue({ code: 'custom', path: ['archive'], message: 'push-archive needs an archive' });
    }
    // A key of another source is a mistake, not something to ignore silently.
    for (const [key, owners] of Object.entries(SOURCE_KEYS)) {
      if (value[key as keyof typeof value] !== undefined && !owners.includes(value.source)) {
        context.addIssue({
          code: 'custom',
          path: [key],
          message: `applies to source ${owners.join(' or ')}, not ${value.source}`,
        });
      }
    }
  });

const service = z.union([
  ruled(ecs.SERVICE).transform((serviceName) => ({
    name: serviceName,
    containers: undefined as string[] | undefined,
    image: undefined as z.infer<typeof image> | undefined,
    codedeploy: undefined as CodeDeployConfig | undefined,
  })),
  z
    .object({
      name: ruled(ecs.SERVICE),
      containers: z
        .array(ruled(ecs.CONTAINER))
        .min(1)
        .optional()
        .describe('Containers that get the image; default: the essential one'),
      image: image
        .optional()
        .describe(
          "This service's own image, with the same keys as the environment's; default: the environment's image",
        ),
      codedeploy: codedeployKey.optional(),
    })
    .strict(),
]);

const network = {
  subnets: z.array(ruled(ecs.SUBNET)).default([]),
  'security-groups': z.array(ruled(ecs.SECURITY_GROUP)).default([]),
  'assign-public-ip': z.boolean().default(false),
};
const watchTiming = {
  'timeout-minutes': duration('minutes', ecs.WATCH_TIMEOUT).default(ecs.WATCH_DEFAULTS.timeoutMinutes),
  'poll-interval-seconds': duration('seconds', ecs.POLL_INTERVAL)
    .optional()
    .describe(
      `How often ECS is asked; at most timeout-minutes. Default: ${ecs.WATCH_DEFAULTS.pollIntervalSeconds}, or timeout-minutes when shorter`,
    ),
};

/** A snapshot of an RDS instance or Aurora cluster, taken before the migration and the deploy. */
function snapshotSchema(defaultId: string) {
  return z
    .object({
      'db-instance': ruled(DB_INSTANCE).optional(),
      'db-cluster': ruled(DB_CLUSTER).optional(),
      id: template.default(defaultId).describe(`The snapshot identifier; default ${defaultId}`),
      'timeout-minutes': duration('minutes', SNAPSHOT_TIMEOUT).default(DEFAULT_SNAPSHOT_TIMEOUT_MINUTES),
    })
    .strict()
    .refine((value) => Boolean(value['db-instance']) !== Boolean(value['db-cluster']), {
      message: 'name exactly one of db-instance and db-cluster',
    });
}

/** A poll interval longer than its timeout is refused: the stage would sleep past its own deadline. */
function checkPollInterval(
  value: { 'timeout-minutes': number; 'poll-interval-seconds'?: number },
  context: z.RefinementCtx,
): void {
  const poll = value['poll-interval-seconds'];
  if (poll === undefined) return;
  const timeout = value['timeout-minutes'];
  const problem = pollIntervalProblem(
    { ...typedDuration(String(poll), poll * 1000, 's'), unit: 's' },
    { ...typedDuration(String(timeout), timeout * 60_000, 'm'), name: 'timeout-minutes' },
  );
  if (problem) {
    context.addIssue({
      code: 'custom',
      path: ['poll-interval-seconds'],
      message: keyMessage(problem.problem, problem.fix),
    });
  }
}

const migration = z
  .object({
    'task-definition': ruled(ecs.TASK_DEFINITION).describe('A family, family:revision or task-definition ARN'),
    container: ruled(ecs.CONTAINER).optional(),
    command: z.array(z.string()).min(1).optional(),
    environment: ruledKeys(ENVIRONMENT_VARIABLE, z.string()).default({}),
    'launch-type': z.enum(ecs.LAUNCH_TYPES).optional(),
    ...network,
    ...watchTiming,
    snapshot: snapshotSchema('pre-migration-{env}-{date}-{time}-{sha7}')
      .optional()
      .describe('The same as the environment\'s "snapshot", kept here for configs written before it existed'),
  })
  .strict()
  .superRefine((value, context) => {
    checkPollInterval(value, context);
    const given = { subnets: value.subnets, securityGroups: value['security-groups'] };
    for (const { key, problem, fix } of ecs.networkProblems({ ...given, assignPublicIp: value['assign-public-ip'] })) {
      context.addIssue({ code: 'custom', path: [key], message: keyMessage(problem, fix) });
    }
  });

/** A percentage ECS takes in steps of 0.1 (linear-step-percent, canary-percent), with the action input's words. */
const tenths = (bounds: typeof ecs.CANARY_PERCENT) =>
  z.number().superRefine((value, context) => {
    const problem = ecs.percentProblem(value, bounds);
    if (problem) {
      const fix = `Use a multiple of 0.1 from ${bounds.min} to ${bounds.max}`;
      context.addIssue({ code: 'custom', message: keyMessage(problem, fix) });
    }
  });

const deploy = z
  .object({
    'circuit-breaker': z.enum(ecs.CIRCUIT_BREAKER_MODES).default('rollback'),
    alarms: z.array(ruled(ecs.ALARM_NAME)).default([]),
    'diagnose-tasks': count(ecs.DIAGNOSE_TASKS)
      .default(ecs.DIAGNOSIS_DEFAULTS.tasks)
      .describe("After a failed rollout, how many of the new deployment's stopped tasks are described"),
    'diagnose-log-lines': count(ecs.DIAGNOSE_LOG_LINES)
      .default(ecs.DIAGNOSIS_DEFAULTS.logLines)
      .describe('How many last log lines of each awslogs container of those tasks are shown'),
    environment: ruledKeys(ecs.CONTAINER_VARIABLE, ruled(ecs.ENVIRONMENT_VALUE))
      .default({})
      .describe(
        'Environment variables, container:NAME to a plain value, merged into every service that has the container',
      ),
    secrets: ruledKeys(ecs.CONTAINER_VARIABLE, ruled(ecs.SECRET_REFERENCE))
      .default({})
      .describe(
        'Secrets by reference, container:NAME to a Secrets Manager or SSM parameter ARN, written as valueFrom into every service that has the container',
      ),
    ...watchTiming,
    strategy: ruled(ecs.STRATEGY)
      .transform((value) => ecs.strategyNamed(value)!)
      .optional()
      .describe("Default: each service's own"),
    'bake-time-minutes': count(ecs.BAKE_MINUTES).optional(),
    'linear-step-percent': tenths(ecs.LINEAR_STEP_PERCENT).optional(),
    'linear-step-bake-minutes': count(ecs.BAKE_MINUTES).optional(),
    'canary-percent': tenths(ecs.CANARY_PERCENT).optional(),
    'canary-bake-minutes': count(ecs.BAKE_MINUTES).optional(),
    ...watchKeys,
  })
  .strict()
  .superRefine((value, context) => {
    checkPollInterval(value, context);
    checkWatch(value, context);
    for (const { key, problem, fix } of ecs.strategyProblems(value)) {
      context.addIssue({ code: 'custom', path: [key], message: keyMessage(problem, fix) });
    }
    for (const key of Object.keys(value.secrets)) {
      if (key in value.environment) {
        context.addIssue({
          code: 'custom',
          path: ['secrets', key],
          message: 'it is also set in deploy.environment (set each variable in one of environment and secrets)',
        });
      }
    }
  });

const smoke = z
  .object({
    'base-url': ruled(probe.BASE_URL).optional(),
    'version-header': ruled(probe.HEADER_NAME).optional(),
    'version-json-path': ruled(probe.JSON_PATH).optional(),
    'expect-version': z.boolean().default(true).describe('Require the released SHA in every answer'),
    'wait-for-healthy-seconds': duration('seconds', probe.WAIT_FOR_HEALTHY).default(
      probe.PROBE_DEFAULTS.waitForHealthySeconds,
    ),
    'consecutive-successes': count(probe.CONSECUTIVE_SUCCESSES).default(probe.PROBE_DEFAULTS.consecutiveSuccesses),
    'request-timeout-seconds': duration('seconds', probe.REQUEST_TIMEOUT).default(
      probe.PROBE_DEFAULTS.requestTimeoutSeconds,
    ),
    checks: checksSchema.describe('The same checks as the smoke-test action'),
  })
  .strict()
  .refine((value) => !(value['version-header'] && value['version-json-path']), {
    path: ['version-json-path'],
    message: 'it is given together with version-header (say where the version is shown with one of them)',
  });

const tag = z
  .object({
    template: template.describe('For example production-{date}-{sha7}'),
    release: z.boolean().default(false).describe('Also publish a GitHub release'),
  })
  .strict();

const environment = z
  .object({
    region: ruled(AWS_REGION).optional(),
    cluster: ruled(ecs.CLUSTER),
    services: z.array(service).min(1),
    'progress-interval-seconds': duration('seconds', PROGRESS_INTERVAL)
      .default(DEFAULT_PROGRESS_INTERVAL_MS / 1000)
      .describe(
        'During every wait (snapshot, migration, deploy, scan, smoke warm-up), the longest the log stays quiet: a line says where it stands, time elapsed and time left',
      ),
    image,
    snapshot: snapshotSchema('pre-release-{env}-{date}-{time}-{sha7}')
      .optional()
      .describe('A snapshot of the database before the migration and the deploy, its own stage'),
    migration: migration.optional(),
    deploy: deploy.prefault({}),
    smoke: smoke.optional(),
    tag: tag.optional(),
    'deployment-record': z
      .object({ url: z.url().optional() })
      .strict()
      .optional()
      .describe('Record a GitHub deployment for this environment'),
    slack: z
      .object({
        'webhook-env': ruled(ENVIRONMENT_VARIABLE).describe('Variable holding the webhook URL'),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((value) => !(value.snapshot && value.migration?.snapshot), {
    path: ['snapshot'],
    message: 'it is given together with migration.snapshot (one snapshot is taken: keep this one and remove the other)',
  });

export const releaseConfigSchema = z
  .object({
    $schema: z.string().optional(),
    environments: ruledKeys(ENVIRONMENT_NAME, environment),
  })
  .strict();

export type ReleaseConfig = z.infer<typeof releaseConfigSchema>;
export type EnvironmentConfig = z.infer<typeof environment>;
export type ImageConfig = EnvironmentConfig['image'];

export class ConfigError extends Error {}

/** Reads and validates the config file; every problem names the file and the key, in one line. */
export function loadConfig(path: string, text = readFileSync(path, 'utf8')): ReleaseConfig {
  const read = readYaml(text);
  if ('problem' in read) throw new ConfigError(`${path} ${read.problem}. ${read.fix}.`);
  const result = releaseConfigSchema.safeParse(read.value);
  if (!result.success) {
    const schema = releaseConfigJsonSchema();
    const problems = result.error.issues.map((issue) => describeIssue(issue, schema));
    throw new ConfigError(
      `${path} is not a valid release config: ${problems.join('; ')}. Fix ${problems.length === 1 ? 'that key' : 'those keys'}; schemas/ecs-release.schema.json describes every key.`,
    );
  }
  return result.data;
}

export function releaseConfigJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://github.com/ecs-ship/ecs-ship/schemas/ecs-release.schema.json',
    title: 'ecs-ship release config',
    ...z.toJSONSchema(releaseConfigSchema, { io: 'input' }),
  };
}
