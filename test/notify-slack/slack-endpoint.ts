/**
 * The sandbox's Slack incoming webhook that the bundle posts to: every post recorded with Slack's answer, Block Kit
 * limits enforced, and failures (429 with Retry-After, 5xx, 404, 410, 403) on demand.
 */
import { startSandbox, type Sandbox } from '@ecs-ship/sandbox';
import type { WebhookState } from '@ecs-ship/sandbox';

export const WEBHOOK_TOKEN = 'xoxWebhookSecretToken123';
const WEBHOOK = 'ops';
const SCENARIO = { slack: { webhooks: [{ name: WEBHOOK, path: `T0ACME/B0OPS/${WEBHOOK_TOKEN}` }] } };

export interface SlackEndpoint {
  sandbox: Sandbox;
  /** The webhook URL, as the sandbox exports it (SLACK_WEBHOOK_URL). */
  url: string;
  /** Every payload posted, accepted or not. */
  messages(): any[];
  /** Every post with the status the sandbox answered. */
  posts(): { status: number; answer: string; problem?: string; payload?: any }[];
  rateLimitNext(count: number, retryAfterSeconds: number): void;
  serverErrorNext(count: number, status: number): void;
  /** Slack's own pace: a post sooner than this after the last accepted one gets 429. */
  minInterval(seconds: number): void;
  /** A standing answer: no_service, channel_not_found (404), channel_is_archived (410), action_prohibited (403). */
  refuseWith(state: WebhookState): void;
  reset(): void;
  stop(): Promise<void>;
}

export async function startSlackEndpoint(): Promise<SlackEndpoint> {
  const sandbox = await startSandbox({ scenario: SCENARIO });
  const slack = () => sandbox.state('slack');
  const url = sandbox.env().SLACK_WEBHOOK_URL!;
  return {
    sandbox,
    url,
    messages: () => slack().posts.map((post) => post.payload),
    posts: () => slack().posts.map(({ status, answer, problem, payload }) => ({ status, answer, problem, payload })),
    rateLimitNext: (count, retryAfterSeconds) =>
      slack().configure(WEBHOOK, { rateLimitNext: count, retryAfterSeconds }),
    serverErrorNext: (count, status) =>
      slack().configure(WEBHOOK, { serverErrorNext: count, serverErrorStatus: status }),
    minInterval: (seconds) => slack().configure(WEBHOOK, { minIntervalSeconds: seconds }),
    refuseWith: (state) => slack().configure(WEBHOOK, { state }),
    reset: () => sandbox.load(SCENARIO),
    stop: () => sandbox.stop(),
  };
}
