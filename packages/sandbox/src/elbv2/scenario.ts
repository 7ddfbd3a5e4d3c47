// The `elbv2` section of a scenario file: Application Load Balancers, their listeners and listener rules that forward
// to weighted target groups, as ECS blue/green, linear and canary deployments shift traffic through them.
import * as z from 'zod';

const ruleSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .describe('A label for the rule, unique in the scenario: the ECS section and tests name the rule by it.'),
    priority: z.number().int().min(1).max(50000).describe('The rule priority (1 to 50000).'),
    pathPattern: z.array(z.string().min(1)).default(['/*']).describe('The path-pattern condition values.'),
    forward: z
      .array(z.string().min(1))
      .min(1)
      .max(5)
      .describe(
        'The target groups the rule forwards to, by name; they exist once named. The first gets all the traffic (weight 100) unless `weights` says otherwise.',
      ),
    weights: z.array(z.number().int().min(0).max(999)).optional().describe('A weight per target group of `forward`.'),
  })
  .strict()
  .refine((rule) => rule.weights === undefined || rule.weights.length === rule.forward.length, {
    message: 'give one weight per target group of forward',
    path: ['weights'],
  });

const listenerSchema = z
  .object({
    port: z.number().int().min(1).max(65535),
    protocol: z.enum(['HTTP', 'HTTPS']).default('HTTP'),
    rules: z.array(ruleSchema).default([]).describe('Rules besides the default rule.'),
    defaultForward: z
      .string()
      .min(1)
      .optional()
      .describe('The target group the default rule forwards to, by name. Default: the default rule answers 404.'),
  })
  .strict();

const loadBalancerSchema = z
  .object({
    name: z.string().regex(/^[a-zA-Z0-9-]{1,32}$/, 'up to 32 letters, digits and hyphens'),
    region: z.string().optional().describe("Default: the scenario's region."),
    vpcId: z
      .string()
      .default('vpc-0a1b2c3d4e5f60718')
      .describe('The VPC the load balancer and its target groups are in.'),
    listeners: z.array(listenerSchema).default([]),
  })
  .strict();

const targetGroupSchema = z
  .object({
    name: z.string().regex(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/, 'up to 32 letters, digits and hyphens'),
    region: z.string().optional().describe("Default: the scenario's region."),
    protocol: z.enum(['HTTP', 'HTTPS']).default('HTTP'),
    port: z.number().int().min(1).max(65535).default(80),
    targetType: z.enum(['ip', 'instance']).default('ip'),
    healthCheckPath: z.string().startsWith('/').default('/'),
    healthCheckIntervalSeconds: z.number().int().min(5).max(300).default(30),
    matcher: z.string().default('200').describe('The HTTP codes a healthy target answers with.'),
  })
  .strict();

export const elbv2SectionSchema = z
  .object({
    loadBalancers: z
      .array(loadBalancerSchema)
      .default([])
      .describe('Application Load Balancers with their listeners and rules, as they exist when the scenario loads.'),
    targetGroups: z
      .array(targetGroupSchema)
      .default([])
      .describe(
        'Target groups with their protocol, port and health check. A target group a rule names and this list does not gets the defaults (HTTP, port 80, health check on /).',
      ),
  })
  .strict();

export type Elbv2Section = z.infer<typeof elbv2SectionSchema>;
export type RuleSection = z.infer<typeof ruleSchema>;
export type TargetGroupSection = z.infer<typeof targetGroupSchema>;
