// The `codedeploy` section of a scenario file: CodeDeploy applications whose deployment groups move an ECS service
// (deployment controller CODE_DEPLOY) from its original task set to a replacement one, through the load balancer's
// production and test listener rules of the `elbv2` section, and how the lifecycle hooks an AppSpec names answer.
import * as z from 'zod';

/** The lifecycle events of an ECS blue/green deployment, in order (CodeDeploy's AppSpec "hooks" section for ECS). */
export const ECS_LIFECYCLE_EVENTS = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
] as const;
export type LifecycleEventName = (typeof ECS_LIFECYCLE_EVENTS)[number];

/** The events an AppSpec may run a Lambda hook at (the others are CodeDeploy's own work). */
export const HOOK_EVENTS = [
  'BeforeInstall',
  'AfterInstall',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AfterAllowTraffic',
] as const;

const deploymentGroupSchema = z
  .object({
    name: z.string().min(1),
    service: z
      .object({ cluster: z.string().min(1), service: z.string().min(1) })
      .strict()
      .describe('The ECS service (deployment controller CODE_DEPLOY) the group deploys.'),
    deploymentConfig: z
      .string()
      .default('CodeDeployDefault.ECSAllAtOnce')
      .describe('A predefined ECS deployment configuration, such as CodeDeployDefault.ECSCanary10Percent5Minutes.'),
    targetGroups: z
      .tuple([z.string().min(1), z.string().min(1)])
      .describe('The two target groups, by name (as the elbv2 section names them): blue first.'),
    productionListenerRule: z.string().min(1).describe('The listener rule carrying production traffic, by label.'),
    testListenerRule: z.string().min(1).optional().describe('The listener rule carrying test traffic, by label.'),
    autoRollback: z
      .object({
        enabled: z.boolean().default(false),
        events: z
          .array(z.enum(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST']))
          .default(['DEPLOYMENT_FAILURE']),
      })
      .strict()
      .default({ enabled: false, events: ['DEPLOYMENT_FAILURE'] }),
    alarms: z.array(z.string().min(1)).default([]).describe("CloudWatch alarms (the ecs section's) that stop it."),
    readyWait: z
      .object({
        actionOnTimeout: z.enum(['CONTINUE_DEPLOYMENT', 'STOP_DEPLOYMENT']),
        waitTimeInMinutes: z.number().int().min(0).default(0),
      })
      .strict()
      .optional()
      .describe(
        'deploymentReadyOption: with STOP_DEPLOYMENT the deployment waits, Ready, with test traffic on the replacement, until ContinueDeployment (or stops when the wait runs out).',
      ),
    terminationWaitMinutes: z
      .number()
      .min(0)
      .default(0)
      .describe('Minutes the original task set is kept after the traffic moved, before it is terminated.'),
  })
  .strict();

const hookSchema = z
  .object({
    event: z.enum(HOOK_EVENTS),
    function: z.string().optional().describe('Only this hook function (its name or ARN, as the AppSpec gives it).'),
    whenImageRuns: z.string().optional().describe('Only when the replacement task set runs this image.'),
    outcome: z.enum(['Succeeded', 'Failed']).default('Succeeded'),
    message: z.string().optional().describe('What the function reported with a Failed outcome.'),
    seconds: z.number().min(0).default(0).describe('Seconds the function takes before it reports.'),
  })
  .strict();

export const codedeploySectionSchema = z
  .object({
    applications: z
      .array(
        z.object({ name: z.string().min(1), deploymentGroups: z.array(deploymentGroupSchema).default([]) }).strict(),
      )
      .default([])
      .describe('Applications (compute platform ECS) with their deployment groups.'),
    hooks: z.array(hookSchema).default([]).describe('How the hook functions an AppSpec names answer.'),
    stepSeconds: z
      .number()
      .min(0)
      .default(1)
      .describe('Seconds a lifecycle event with nothing else to wait for takes.'),
  })
  .strict();

export type CodeDeploySection = z.infer<typeof codedeploySectionSchema>;
export type DeploymentGroupSection = z.infer<typeof deploymentGroupSchema>;
export type HookSection = z.infer<typeof hookSchema>;
