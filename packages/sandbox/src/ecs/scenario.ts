// The `ecs` section of a scenario file: clusters, task definitions, services already running, how each image behaves
// when ECS runs it, CloudWatch alarms and placement failures. Every duration is in scenario seconds (scaled by the
// scenario's timeScale).
import { z } from 'zod';

export const OUTCOMES = ['healthy', 'fails-to-start', 'crashes', 'fails-health-checks', 'exits'] as const;
export type Outcome = (typeof OUTCOMES)[number];

const imageSchema = z
  .object({
    /** What a task running this image does. Default: `exits` when `duration` is given, else `healthy`. */
    behaviour: z.enum(OUTCOMES).optional(),
    /** Outcomes applied in turn to the tasks launched with this image (round robin), e.g. a flaky image. */
    sequence: z.array(z.enum(OUTCOMES)).min(1).optional(),
    /** Seconds from PENDING until the container runs (image pull and start). */
    startDelay: z.number().min(0).default(1),
    /** Seconds from RUNNING until the container health check passes (service tasks). */
    healthyAfter: z.number().min(0).default(0),
    /** crashes / fails-health-checks: seconds after RUNNING before it happens. */
    after: z.number().min(0).default(5),
    /** exits: seconds the container runs before it exits on its own. */
    duration: z.number().min(0).optional(),
    /** Exit code when the container exits on its own (exits, crashes). Default 0 for exits, 1 for crashes. */
    exitCode: z.number().int().optional(),
    /** fails-to-start: the reason ECS gives. */
    reason: z.string().optional(),
    /** The task is so short that ECS never reports it RUNNING: PENDING goes straight to STOPPED. */
    straightToStopped: z.boolean().default(false),
    /** Lines the container writes to its awslogs stream, spread over its run. */
    logLines: z.array(z.string()).default([]),
    /** Extra lines "generated line <n> of <N>" after `logLines`, for large-volume tests. */
    generatedLines: z.number().int().min(0).default(0),
  })
  .strict();
export type ImageSection = z.infer<typeof imageSchema>;

const deploymentConfigurationSchema = z
  .object({
    maximumPercent: z.number().int().min(0).optional(),
    minimumHealthyPercent: z.number().int().min(0).optional(),
    deploymentCircuitBreaker: z
      .object({
        enable: z.boolean(),
        rollback: z.boolean(),
        resetOnHealthyTask: z.boolean().optional(),
        thresholdConfiguration: z
          .object({ type: z.enum(['COUNT', 'BOUNDED_PERCENT', 'UNBOUNDED_PERCENT']), value: z.number().int().min(0) })
          .optional(),
      })
      .optional(),
    alarms: z.object({ alarmNames: z.array(z.string()), enable: z.boolean(), rollback: z.boolean() }).optional(),
  })
  .passthrough();

const serviceSchema = z
  .object({
    cluster: z.string().default('default'),
    serviceName: z.string().min(1),
    /** family, family:revision or ARN of a task definition of this scenario. */
    taskDefinition: z.string().min(1),
    desiredCount: z.number().int().min(0).default(1),
    launchType: z.enum(['FARGATE', 'EC2', 'EXTERNAL']).default('FARGATE'),
    deploymentController: z.enum(['ECS', 'CODE_DEPLOY', 'EXTERNAL']).default('ECS'),
    deploymentConfiguration: deploymentConfigurationSchema.optional(),
    status: z.enum(['ACTIVE', 'DRAINING', 'INACTIVE']).default('ACTIVE'),
    tags: z.array(z.object({ key: z.string(), value: z.string() })).default([]),
  })
  .strict();

const alarmSchema = z
  .object({
    name: z.string().min(1),
    /** Scenario seconds after the scenario loads when the alarm enters ALARM. */
    at: z.number().min(0).optional(),
    /** The alarm enters ALARM once a task with this image has been RUNNING for `after` seconds, and returns to OK
     *  when no task with this image runs any more (an error-rate alarm fed by a bad release). */
    whenImageRuns: z.string().optional(),
    after: z.number().min(0).default(0),
    /** Seconds the alarm stays in ALARM after the last such task stopped (its metric recovering). */
    okAfter: z.number().min(0).default(10),
  })
  .strict();

const placementFailureSchema = z
  .object({
    /** Only RunTask calls for this task definition family (all when absent). */
    family: z.string().optional(),
    reason: z.string().default('RESOURCE:MEMORY'),
    /** How many RunTask calls fail this way (all when absent). */
    times: z.number().int().min(1).optional(),
  })
  .strict();

const timingsSchema = z
  .object({
    provisioning: z.number().min(0).default(0.5),
    activating: z.number().min(0).default(0.5),
    deactivating: z.number().min(0).default(0.5),
    stopping: z.number().min(0).default(0.5),
    deprovisioning: z.number().min(0).default(0.5),
  })
  .strict();

export const ecsSectionSchema = z
  .object({
    clusters: z.array(z.string().min(1)).default(['default']),
    images: z.record(z.string(), imageSchema).default({}),
    /** How an image the scenario does not list behaves. */
    defaultImage: imageSchema.default(imageSchema.parse({})),
    /** Registered up front, in order (a family listed twice gets revisions 1 and 2). Any RegisterTaskDefinition field. */
    taskDefinitions: z
      .array(
        z
          .object({
            family: z.string().min(1),
            containerDefinitions: z.array(z.record(z.string(), z.unknown())).min(1),
          })
          .passthrough(),
      )
      .default([]),
    /** Services already running their task definition, healthy, with one COMPLETED deployment. */
    services: z.array(serviceSchema).default([]),
    alarms: z.array(alarmSchema).default([]),
    placementFailures: z.array(placementFailureSchema).default([]),
    /** Seconds each task lifecycle step takes. */
    timings: timingsSchema.default(timingsSchema.parse({})),
  })
  .strict();

export type EcsSection = z.infer<typeof ecsSectionSchema>;
export type ServiceSection = z.infer<typeof serviceSchema>;
export type AlarmSection = z.infer<typeof alarmSchema>;
export type Timings = z.infer<typeof timingsSchema>;

/** An empty section with every default applied (what a scenario without `ecs:` gets). */
export function defaultEcsSection(): EcsSection {
  return ecsSectionSchema.parse({});
}
