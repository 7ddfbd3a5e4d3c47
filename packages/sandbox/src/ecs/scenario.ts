// The `ecs` section of a scenario file: clusters, task definitions, services already running, how each image behaves
// when ECS runs it, CloudWatch alarms and placement failures. Every duration is in scenario seconds (scaled by the
// scenario's timeScale).
import * as z from 'zod';
import { loadBalancerSchema, strategyFields, trafficSectionFields } from './traffic-scenario.js';

export const OUTCOMES = ['healthy', 'fails-to-start', 'crashes', 'fails-health-checks', 'exits'] as const;
export type Outcome = (typeof OUTCOMES)[number];

const behaviourFields = {
  behaviour: z
    .enum(OUTCOMES)
    .optional()
    .describe('What a task running this image does. Default: `exits` when `duration` is given, else `healthy`.'),
  sequence: z
    .array(z.enum(OUTCOMES))
    .min(1)
    .optional()
    .describe(
      'Outcomes applied in turn to the tasks launched with this image, e.g. a flaky image; after the last one the sequence starts over, unless `then` is given.',
    ),
  then: z
    .enum(OUTCOMES)
    .optional()
    .describe('With `sequence`: the outcome of every task after the sequence ran out (e.g. healthy from here on).'),
  startDelay: z
    .number()
    .min(0)
    .default(1)
    .describe('Seconds from PENDING until the container runs (image pull and start).'),
  healthyAfter: z
    .number()
    .min(0)
    .default(0)
    .describe('Seconds from RUNNING until the container health check passes (service tasks).'),
  after: z
    .number()
    .min(0)
    .default(5)
    .describe('crashes / fails-health-checks: seconds after RUNNING before it happens.'),
  duration: z.number().min(0).optional().describe('exits: seconds the container runs before it exits on its own.'),
  exitCode: z
    .number()
    .int()
    .optional()
    .describe('Exit code when the container exits on its own (exits, crashes). Default 0 for exits, 1 for crashes.'),
  reason: z.string().optional().describe('fails-to-start: the reason ECS gives.'),
  straightToStopped: z
    .boolean()
    .default(false)
    .describe('The task is so short that ECS never reports it RUNNING: PENDING goes straight to STOPPED.'),
  logLines: z
    .array(z.string())
    .default([])
    .describe('Lines the container writes to its awslogs stream, spread over its run.'),
  generatedLines: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe('Extra lines "generated line <n> of <N>" after `logLines`, for large-volume tests.'),
};

const imageSchema = z
  .object({
    ...behaviourFields,
    commands: z
      .record(z.string(), z.object(behaviourFields).strict())
      .default({})
      .describe(
        'How a task behaves when a container override runs this command (its words joined by spaces), e.g. the same image running "npm run migrate" as a one-off task.',
      ),
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
    ...strategyFields,
  })
  .passthrough();

const networkConfigurationSchema = z
  .object({
    awsvpcConfiguration: z
      .object({
        subnets: z.array(z.string()).min(1),
        securityGroups: z.array(z.string()).optional(),
        assignPublicIp: z.enum(['ENABLED', 'DISABLED']).optional(),
      })
      .strict(),
  })
  .strict();

const serviceSchema = z
  .object({
    cluster: z.string().default('default'),
    serviceName: z.string().min(1),
    taskDefinition: z.string().min(1).describe('family, family:revision or ARN of a task definition of this scenario.'),
    desiredCount: z.number().int().min(0).default(1),
    launchType: z
      .enum(['FARGATE', 'EC2', 'EXTERNAL'])
      .optional()
      .describe('Default: FARGATE when the task definition requires it, else EC2 (which needs container instances).'),
    networkConfiguration: networkConfigurationSchema
      .optional()
      .describe(
        'For a task definition with networkMode awsvpc; default: one sandbox subnet and security group, no public IP.',
      ),
    enableECSManagedTags: z.boolean().default(false),
    propagateTags: z.enum(['TASK_DEFINITION', 'SERVICE', 'NONE']).default('NONE'),
    deploymentController: z.enum(['ECS', 'CODE_DEPLOY', 'EXTERNAL']).default('ECS'),
    deploymentConfiguration: deploymentConfigurationSchema.optional(),
    loadBalancers: z
      .array(loadBalancerSchema)
      .default([])
      .describe('Load balancers; with advancedConfiguration, blue/green, linear and canary deployments shift traffic.'),
    status: z.enum(['ACTIVE', 'DRAINING', 'INACTIVE']).default('ACTIVE'),
    tags: z.array(z.object({ key: z.string(), value: z.string() })).default([]),
  })
  .strict();

const alarmSchema = z
  .object({
    name: z.string().min(1),
    at: z.number().min(0).optional().describe('Scenario seconds after the scenario loads when the alarm enters ALARM.'),
    whenImageRuns: z
      .string()
      .optional()
      .describe(
        'The alarm enters ALARM once a task with this image has been RUNNING for `after` seconds, and returns to OK when no task with this image runs any more (an error-rate alarm fed by a bad release).',
      ),
    after: z.number().min(0).default(0),
    okAfter: z
      .number()
      .min(0)
      .default(10)
      .describe('Seconds the alarm stays in ALARM after the last such task stopped (its metric recovering).'),
  })
  .strict();

const placementFailureSchema = z
  .object({
    family: z.string().optional().describe('Only RunTask calls for this task definition family (all when absent).'),
    reason: z.string().default('RESOURCE:MEMORY'),
    times: z.number().int().min(1).optional().describe('How many RunTask calls fail this way (all when absent).'),
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
    clusters: z
      .array(
        z.union([
          z.string().min(1),
          z
            .object({
              name: z.string().min(1),
              containerInstances: z
                .number()
                .int()
                .min(0)
                .default(0)
                .describe(
                  'EC2 container instances registered in the cluster: tasks with the EC2 launch type need one.',
                ),
            })
            .strict(),
        ]),
      )
      .default(['default'])
      .describe('Clusters that exist when the scenario loads: a name, or { name, containerInstances }.'),
    images: z
      .record(z.string(), imageSchema)
      .default({})
      .describe(
        'How a task behaves per container image. A key matches an image exactly or its part after the registry host.',
      ),
    defaultImage: imageSchema
      .default(imageSchema.parse({}))
      .describe('How an image the scenario does not list behaves.'),
    taskDefinitions: z
      .array(
        z
          .object({
            family: z.string().min(1),
            containerDefinitions: z.array(z.record(z.string(), z.unknown())).min(1),
          })
          .passthrough(),
      )
      .default([])
      .describe(
        'Registered up front, in order (a family listed twice gets revisions 1 and 2). Any RegisterTaskDefinition field.',
      ),
    services: z
      .array(serviceSchema)
      .default([])
      .describe('Services already running their task definition, healthy, with one COMPLETED deployment.'),
    alarms: z.array(alarmSchema).default([]).describe('CloudWatch alarms that deployments can monitor.'),
    alarmBakeTime: z
      .number()
      .min(0)
      .default(0)
      .describe(
        'Seconds ECS keeps watching the alarms of a deployment that monitors them after it is steady, before COMPLETED.',
      ),
    placementFailures: z
      .array(placementFailureSchema)
      .default([])
      .describe('RunTask calls answered with failures[] (e.g. RESOURCE:MEMORY) instead of a task.'),
    timings: timingsSchema.default(timingsSchema.parse({})).describe('Seconds each task lifecycle step takes.'),
    ...trafficSectionFields,
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
