// The `elbv2` section of a scenario file: Application Load Balancers, their listeners and listener rules that forward
// to weighted target groups, as ECS blue/green, linear and canary deployments shift traffic through them.
import { z } from 'zod';

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
    rules: z.array(ruleSchema).default([]).describe('Rules besides the default rule (which answers 404).'),
  })
  .strict();

const loadBalancerSchema = z
  .object({
    name: z.string().regex(/^[a-zA-Z0-9-]{1,32}$/, 'up to 32 letters, digits and hyphens'),
    region: z.string().optional().describe("Default: the scenario's region."),
    listeners: z.array(listenerSchema).default([]),
  })
  .strict();

export const elbv2SectionSchema = z
  .object({
    loadBalancers: z
      .array(loadBalancerSchema)
      .default([])
      .describe('Application Load Balancers with their listeners and rules, as they exist when the scenario loads.'),
  })
  .strict();

export type Elbv2Section = z.infer<typeof elbv2SectionSchema>;
export type RuleSection = z.infer<typeof ruleSchema>;
