// The parts of the `ecs` scenario section for blue/green, linear and canary deployments: the strategy settings of a
// service's deployment configuration, its load balancers (with the alternate target group and listener rules that
// traffic shifting moves), how each lifecycle hook's Lambda function answers, and how long a stage without a hook
// lasts. Durations are scenario seconds (scaled by the scenario's timeScale); the strategy's own times are the
// minutes of the deployment configuration, as in ECS.
import * as z from 'zod';

export const STRATEGIES = ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'] as const;
export const HOOK_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
] as const;
export type HookStage = (typeof HOOK_STAGES)[number];

/** The strategy members of a deployment configuration (DeploymentConfiguration in ECS's API). */
export const strategyFields = {
  strategy: z.enum(STRATEGIES).optional().describe('ROLLING (the default), BLUE_GREEN, LINEAR or CANARY.'),
  bakeTimeInMinutes: z
    .number()
    .int()
    .min(0)
    .max(1440)
    .optional()
    .describe('Minutes blue and green both run after all production traffic shifted, before blue is removed.'),
  linearConfiguration: z
    .object({
      stepPercent: z.number().min(3).max(100).optional(),
      stepBakeTimeInMinutes: z.number().int().min(0).max(1440).optional(),
    })
    .strict()
    .optional(),
  canaryConfiguration: z
    .object({
      canaryPercent: z.number().min(0.1).max(100).optional(),
      canaryBakeTimeInMinutes: z.number().int().min(0).max(1440).optional(),
    })
    .strict()
    .optional(),
  lifecycleHooks: z
    .array(
      z
        .object({
          targetType: z.enum(['AWS_LAMBDA', 'PAUSE']).optional(),
          hookTargetArn: z.string().optional(),
          roleArn: z.string().optional(),
          lifecycleStages: z.array(z.enum(HOOK_STAGES)).min(1),
          hookDetails: z.json().optional(),
          timeoutConfiguration: z
            .object({
              timeoutInMinutes: z.number().int().min(1).max(20160).optional(),
              action: z.enum(['ROLLBACK', 'CONTINUE']).optional(),
            })
            .strict()
            .optional(),
        })
        .strict(),
    )
    .optional(),
};

/** A service's load balancer; target groups and rules are ARNs or the names the `elbv2` section gives them. */
export const loadBalancerSchema = z
  .object({
    targetGroupArn: z.string().min(1).describe('The production target group: its ARN or its name in `elbv2`.'),
    containerName: z.string().min(1),
    containerPort: z.number().int().min(1).max(65535),
    advancedConfiguration: z
      .object({
        alternateTargetGroupArn: z.string().min(1).describe('The other target group: its ARN or name.'),
        productionListenerRule: z.string().min(1).describe('The production listener rule: its ARN or name.'),
        testListenerRule: z.string().min(1).optional().describe('The test listener rule: its ARN or name.'),
        roleArn: z
          .string()
          .optional()
          .describe('The infrastructure role ECS uses with ELB. Default: ecsInfrastructureRoleForLoadBalancers.'),
      })
      .strict()
      .optional(),
  })
  .strict();

/** How a lifecycle hook's Lambda function answers. The first entry that matches a hook decides; others succeed. */
export const hookBehaviourSchema = z
  .object({
    function: z.string().min(1).describe("The hook's Lambda function: its ARN, or its name."),
    stage: z.enum(HOOK_STAGES).optional().describe('Only at this stage (default: every stage the hook runs at).'),
    whenImageRuns: z
      .string()
      .optional()
      .describe('Only when the revision being deployed (green) runs this image (a bad release failing its tests).'),
    outcome: z
      .enum(['succeed', 'fail', 'keep-in-progress'])
      .default('succeed')
      .describe(
        'The hookStatus the function finally returns: SUCCEEDED, FAILED (also a function error), or IN_PROGRESS until the hook times out.',
      ),
    seconds: z
      .number()
      .min(0)
      .default(0)
      .describe(
        'Seconds the function answers IN_PROGRESS before its final hookStatus; ECS invokes it again every callBackDelay seconds.',
      ),
    callBackDelay: z
      .number()
      .int()
      .min(1)
      .default(30)
      .describe('The callBackDelay the function returns with IN_PROGRESS (ECS waits 30 s without one).'),
  })
  .strict();
export type HookBehaviour = z.infer<typeof hookBehaviourSchema>;

/** Section-level keys of the `ecs` section for traffic-shifting deployments. */
export const trafficSectionFields = {
  hooks: z
    .array(hookBehaviourSchema)
    .default([])
    .describe('How lifecycle hooks answer (their Lambda functions are not run; the ARN is only recorded).'),
  stageSeconds: z
    .number()
    .min(0)
    .default(1)
    .describe(
      'Seconds a blue/green, linear or canary deployment spends in a lifecycle stage with no hook or traffic step to wait for.',
    ),
};
