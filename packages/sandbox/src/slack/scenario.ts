// The `slack` section of a scenario: incoming webhooks and how each one behaves.
import * as z from 'zod';

export const webhookStates = [
  'ok',
  'no_service',
  'channel_not_found',
  'channel_is_archived',
  'action_prohibited',
] as const;

const webhookSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'letters, digits, "_" and "-", starting with a letter')
    .describe('Exported as SLACK_WEBHOOK_URL_<NAME>; the first webhook is also SLACK_WEBHOOK_URL'),
  path: z
    .string()
    .regex(/^T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+$/, 'T…/B…/secret, as in hooks.slack.com/services/T…/B…/secret')
    .optional()
    .describe('Defaults to a stable path derived from the name'),
  channel: z.string().default('#deployments'),
  state: z
    .enum(webhookStates)
    .default('ok')
    .describe('Standing answer: 404 no_service / channel_not_found, 410 channel_is_archived, 403 action_prohibited'),
  rateLimitNext: z.number().int().nonnegative().default(0).describe('Answer the next N posts with 429'),
  retryAfterSeconds: z.number().int().positive().default(1).describe('Retry-After sent with a 429'),
  serverErrorNext: z.number().int().nonnegative().default(0).describe('Answer the next N posts with a 5xx'),
  serverErrorStatus: z.number().int().min(500).max(599).default(500),
  minIntervalSeconds: z
    .number()
    .nonnegative()
    .default(0)
    .describe('Slack allows about one message a second: a post sooner than this after the last accepted one gets 429'),
});

export const slackSectionSchema = z.strictObject({
  webhooks: z
    .array(webhookSchema)
    .min(1)
    .refine((list) => new Set(list.map((w) => w.name)).size === list.length, 'webhook names must be unique')
    .prefault([{ name: 'default' }]),
});

export type SlackSection = z.output<typeof slackSectionSchema>;
export type WebhookConfig = z.output<typeof webhookSchema>;
export type WebhookState = (typeof webhookStates)[number];
