/**
 * The release config file (`.github/ecs-release.yml` by default): one entry per environment saying where it runs and
 * how each stage behaves. Validated with zod; `npm run schema` publishes the same schema as JSON Schema for editors.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

const name = z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, 'use letters, digits, hyphens and underscores');
const template = z
  .string()
  .min(1)
  .refine((text) => [...text.matchAll(/\{([^{}]*)\}/g)].every((m) => PLACEHOLDERS.includes(m[1]!)), {
    message: 'use only the placeholders {env}, {date}, {time}, {sha}, {sha7} and {run}',
  });
const minutes = z
  .number()
  .positive()
  .max(24 * 60);
const seconds = z.number().positive().max(3600);

export const PLACEHOLDERS = ['env', 'date', 'time', 'sha', 'sha7', 'run'];

const service = z.union([
  name.transform((serviceName) => ({ name: serviceName, containers: undefined as string[] | undefined })),
  z
    .object({
      name,
      containers: z.array(name).min(1).optional().describe('Containers that get the image; default: the essential one'),
    })
    .strict(),
]);

// The same rules as the build-push-ecr action's inputs, so a config means what the action's inputs would mean.
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
const BUILD_ARG = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_ID = /^[A-Za-z0-9_.-]{1,128}$/;
const LABEL = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const REPOSITORY = /^[a-z0-9]+(?:[._/-][a-z0-9]+)*$/;
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SEVERITY = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'] as const;
/** ECR refuses upload parts smaller than 5 MiB (except the last). */
const MIN_CHUNK_MIB = 5;

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
};

/** A string map whose keys must match `pattern`; a bad key is named in the message (the path ends with it). */
const recordKeys = (pattern: RegExp, what: string) =>
  z.record(z.string().regex(pattern), z.string(), {
    error: (issue) => (issue.code === 'invalid_key' ? `use ${what}` : undefined),
  });

const image = z
  .object({
    repository: z.string().regex(REPOSITORY, 'use an ECR repository name such as "shop"'),
    source: z
      .enum(['build', 'push-archive', 'promote'])
      .describe('build: docker buildx; push-archive: an OCI layout; promote: retag an image staging already tested'),
    tags: z
      .array(template)
      .min(1)
      .default(['{sha}'])
      .describe('Tags to give the image; with build, skip-existing looks for the first one'),
    context: z.string().min(1).optional().describe('build: the build context, relative to the workspace'),
    file: z.string().min(1).optional().describe('build: the Dockerfile, relative to the workspace'),
    platforms: z
      .array(z.string().regex(PLATFORM, 'use os/architecture[/variant], e.g. linux/arm64'))
      .optional()
      .describe("build: target platforms; default: the builder's own"),
    'build-args': recordKeys(BUILD_ARG, 'build argument names').optional().describe('build: --build-arg values'),
    target: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'use a build stage name')
      .optional()
      .describe('build: the Dockerfile stage to build'),
    labels: recordKeys(LABEL, 'label keys')
      .optional()
      .describe('build: image labels, besides org.opencontainers.image.revision and source'),
    'secret-env': recordKeys(SECRET_ID, 'secret ids (letters, digits, ".", "_", "-")')
      .refine((value) => Object.values(value).every((variable) => VARIABLE.test(variable)), {
        message: 'give the name of an environment variable for each secret',
      })
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
      .union([z.boolean(), z.enum(['mode=min', 'mode=max'])])
      .optional()
      .describe("build: provenance attestation; default: buildx's own"),
    archive: z
      .string()
      .min(1)
      .optional()
      .describe('push-archive: an OCI image layout directory or tar, relative to the workspace'),
    'mount-from': z
      .array(z.string().regex(REPOSITORY, 'use ECR repository names of the same registry'))
      .optional()
      .describe('push-archive: repositories to mount blobs from before uploading them'),
    'chunk-size-mib': z
      .number()
      .int()
      .min(MIN_CHUNK_MIB)
      .max(1024)
      .optional()
      .describe('push-archive: blobs larger than this go up in chunks of this size; default 16'),
    'skip-existing': z
      .boolean()
      .optional()
      .describe('build, push-archive: reuse the image already under the first tag instead of building; default true'),
    'fail-on-severity': z
      .enum(SEVERITY)
      .optional()
      .describe('build, push-archive: wait for the ECR scan and fail on findings at or above this severity'),
    'scan-timeout-minutes': minutes
      .optional()
      .describe('build, push-archive: how long to wait for the scan; default 10'),
    from: template.default('{sha}').describe('promote: the tag of the image to promote'),
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

const migration = z
  .object({
    'task-definition': z.string().min(1),
    container: name.optional(),
    command: z.array(z.string()).min(1).optional(),
    environment: z.record(z.string(), z.string()).default({}),
    'launch-type': z.enum(['FARGATE', 'EC2', 'EXTERNAL']).optional(),
    subnets: z.array(z.string().regex(/^subnet-[0-9a-f]+$/)).default([]),
    'security-groups': z.array(z.string().regex(/^sg-[0-9a-f]+$/)).default([]),
    'assign-public-ip': z.boolean().default(false),
    'timeout-minutes': minutes.default(30),
    'poll-interval-seconds': seconds.default(5),
    snapshot: z
      .object({
        'db-instance': z.string().optional(),
        'db-cluster': z.string().optional(),
        id: template.default('pre-migration-{env}-{date}-{time}-{sha7}'),
        'timeout-minutes': minutes.default(60),
      })
      .strict()
      .refine((value) => Boolean(value['db-instance']) !== Boolean(value['db-cluster']), {
        message: 'name exactly one of db-instance and db-cluster',
      })
      .optional(),
  })
  .strict();

const deploy = z
  .object({
    'circuit-breaker': z.enum(['rollback', 'fail-only']).default('rollback'),
    alarms: z.array(z.string().min(1)).default([]),
    'timeout-minutes': minutes.default(30),
    'poll-interval-seconds': seconds.default(5),
  })
  .strict();

const smoke = z
  .object({
    'base-url': z.url().optional(),
    'version-header': z.string().optional(),
    'version-json-path': z.string().optional(),
    'expect-version': z.boolean().default(true).describe('Require the released SHA in every answer'),
    'wait-for-healthy-seconds': z.number().min(0).max(3600).default(60),
    'consecutive-successes': z.number().int().min(1).max(100).default(1),
    'request-timeout-seconds': seconds.default(10),
    checks: z.array(z.unknown()).min(1).describe('The same checks as the smoke-test action'),
  })
  .strict();

const tag = z
  .object({
    template: template.describe('For example production-{date}-{sha7}'),
    release: z.boolean().default(false).describe('Also publish a GitHub release'),
  })
  .strict();

const environment = z
  .object({
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'use an AWS region such as us-east-1')
      .optional(),
    cluster: name,
    services: z.array(service).min(1),
    image,
    migration: migration.optional(),
    deploy: deploy.default({
      'circuit-breaker': 'rollback',
      alarms: [],
      'timeout-minutes': 30,
      'poll-interval-seconds': 5,
    }),
    smoke: smoke.optional(),
    tag: tag.optional(),
    'deployment-record': z
      .object({ url: z.url().optional() })
      .strict()
      .optional()
      .describe('Record a GitHub deployment for this environment'),
    slack: z
      .object({
        'webhook-env': z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
          .describe('Variable holding the webhook URL'),
      })
      .strict()
      .optional(),
  })
  .strict();

export const releaseConfigSchema = z
  .object({
    $schema: z.string().optional(),
    environments: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), environment),
  })
  .strict();

export type ReleaseConfig = z.infer<typeof releaseConfigSchema>;
export type EnvironmentConfig = z.infer<typeof environment>;
export type ImageConfig = EnvironmentConfig['image'];

export class ConfigError extends Error {}

/** Reads and validates the config file; every problem names the file and the key, in one line. */
export function loadConfig(path: string, text = readFileSync(path, 'utf8')): ReleaseConfig {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    const first = (error as Error).message.split('\n')[0]!.replace(/:\s*$/, '');
    throw new ConfigError(`${path} is not valid YAML: ${first}. Fix the YAML syntax there.`);
  }
  const result = releaseConfigSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
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
