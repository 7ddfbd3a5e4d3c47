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

const image = z
  .object({
    repository: z.string().regex(/^[a-z0-9]+(?:[._/-][a-z0-9]+)*$/, 'use an ECR repository name such as "shop"'),
    source: z
      .enum(['build', 'push-archive', 'promote'])
      .describe('build: docker buildx; push-archive: an OCI layout; promote: retag an image staging already tested'),
    tags: z.array(template).min(1).default(['{sha}']).describe('Tags to give the image'),
    context: z.string().optional().describe('build: the build context'),
    file: z.string().optional().describe('build: the Dockerfile'),
    platforms: z.array(z.string()).optional(),
    'build-args': z.record(z.string(), z.string()).optional(),
    archive: z.string().optional().describe('push-archive: an OCI image layout directory or tar'),
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
