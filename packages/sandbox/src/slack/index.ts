// The sandbox's Slack incoming webhooks: POST <sandbox>/slack/services/T…/B…/secret, Block Kit limits enforced,
// every post kept for tests, and per-webhook failures (429 with Retry-After, 404, 410, 403, 5xx) on demand.
import { createHash } from 'node:crypto';
import type { DescribedHttpModule, HttpOperation, ModuleExtras } from '../core/extensions.js';
import type { SandboxRequest, SandboxResponse, ServiceDefinition } from '../core/module.js';
import { blocksProblem } from './blocks.js';
import { slackSectionSchema, type SlackSection, type WebhookConfig, type WebhookState } from './scenario.js';

export { LIMITS as BLOCK_KIT_LIMITS, blocksProblem } from './blocks.js';
export type { SlackSection, WebhookConfig, WebhookState } from './scenario.js';

const PREFIX = '/slack/services/';

/** One post to a webhook, accepted or not. */
export interface SlackPost {
  webhook: string;
  at: number;
  status: number;
  /** Slack's answer body: "ok" or the error code. */
  answer: string;
  /** The parsed JSON payload (undefined when it was not JSON). */
  payload?: Record<string, unknown>;
  /** Why the blocks were refused, for test failure messages. */
  problem?: string;
}

interface Webhook extends WebhookConfig {
  path: string;
}

/** What behaviour can be changed at run time: everything in the scenario's webhook entry except its name and path. */
export type WebhookBehaviour = Partial<
  Pick<
    WebhookConfig,
    'state' | 'rateLimitNext' | 'retryAfterSeconds' | 'serverErrorNext' | 'serverErrorStatus' | 'minIntervalSeconds'
  >
>;

export class SlackState {
  readonly posts: SlackPost[] = [];
  private readonly hooks: Webhook[];

  constructor(
    section: SlackSection,
    private readonly baseUrl: string,
  ) {
    this.hooks = section.webhooks.map((w) => ({ ...w, path: w.path ?? defaultPath(w.name) }));
  }

  /** Messages Slack accepted (200 ok), optionally for one webhook. */
  delivered(webhook?: string): Record<string, unknown>[] {
    return this.posts
      .filter((p) => p.status === 200 && (webhook === undefined || p.webhook === webhook))
      .map((p) => p.payload ?? {});
  }

  /** The webhook's URL (a secret in real life). */
  url(name: string): string {
    const hook = this.hooks.find((h) => h.name === name);
    if (!hook) throw new Error(`No Slack webhook named "${name}"`);
    return `${this.baseUrl}${PREFIX}${hook.path}`;
  }

  names(): string[] {
    return this.hooks.map((h) => h.name);
  }

  /** Changes how a webhook answers from now on (e.g. the next 2 posts get 429). */
  configure(name: string, behaviour: WebhookBehaviour): void {
    const hook = this.hooks.find((h) => h.name === name);
    if (!hook) throw new Error(`No Slack webhook named "${name}"`);
    Object.assign(hook, behaviour);
  }

  byPath(pathname: string): Webhook | undefined {
    const path = pathname.slice(PREFIX.length).replace(/\/+$/, '');
    return this.hooks.find((h) => h.path === path);
  }
}

function defaultPath(name: string): string {
  const digest = createHash('sha256').update(`slack-webhook:${name}`).digest();
  const upper = (bytes: Buffer) => bytes.toString('hex').toUpperCase().slice(0, 10);
  return `T${upper(digest.subarray(0, 5))}/B${upper(digest.subarray(5, 10))}/${digest.subarray(10, 28).toString('base64url').replace(/[-_]/g, 'x')}`;
}

const STANDING: Record<Exclude<WebhookState, 'ok'>, number> = {
  no_service: 404,
  channel_not_found: 404,
  channel_is_archived: 410,
  action_prohibited: 403,
};

function parsePayload(req: SandboxRequest): Record<string, unknown> | undefined {
  const type = req.headers['content-type'] ?? '';
  let text = req.body.toString('utf8');
  // Webhooks also take form posts with the JSON in a `payload` field.
  if (type.startsWith('application/x-www-form-urlencoded')) text = new URLSearchParams(text).get('payload') ?? '';
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export type SlackModule = DescribedHttpModule & ModuleExtras & { state: SlackState };

export const slackService: ServiceDefinition<SlackSection, SlackModule, 'slack'> = {
  key: 'slack',
  schema: slackSectionSchema,
  create(section, env) {
    const state = new SlackState(section, env.baseUrl);
    const answer = (req: SandboxRequest): SlackPost & { headers?: Record<string, string> } => {
      const hook = state.byPath(req.url.pathname);
      const at = Date.now();
      if (!hook) return { webhook: '(unknown)', at, status: 404, answer: 'no_service' };
      const payload = parsePayload(req);
      const post = (status: number, text: string, extra: Partial<SlackPost> = {}) => ({
        webhook: hook.name,
        at,
        status,
        answer: text,
        payload,
        ...extra,
      });
      if (hook.serverErrorNext > 0) {
        hook.serverErrorNext -= 1;
        return post(hook.serverErrorStatus, hook.serverErrorStatus === 503 ? 'service_unavailable' : 'internal_error');
      }
      if (hook.rateLimitNext > 0) {
        hook.rateLimitNext -= 1;
        return { ...post(429, 'rate_limited'), headers: { 'retry-after': String(hook.retryAfterSeconds) } };
      }
      const lastAccepted = state.posts.findLast((p) => p.webhook === hook.name && p.status === 200);
      if (
        hook.minIntervalSeconds > 0 &&
        lastAccepted &&
        at - lastAccepted.at < env.clock.scaled(hook.minIntervalSeconds)
      ) {
        return { ...post(429, 'rate_limited'), headers: { 'retry-after': String(Math.ceil(hook.minIntervalSeconds)) } };
      }
      if (hook.state !== 'ok') return post(STANDING[hook.state], hook.state);
      if (!payload) return post(400, 'invalid_payload', { problem: 'the body is not a JSON object' });
      const hasText = typeof payload.text === 'string' && payload.text.trim() !== '';
      const hasBlocks = Array.isArray(payload.blocks) && payload.blocks.length > 0;
      const hasAttachments = Array.isArray(payload.attachments) && payload.attachments.length > 0;
      if (!hasText && !hasBlocks && !hasAttachments)
        // What Slack itself answers for a message with nothing to show (not invalid_payload, which is for bodies it
        // cannot read).
        return post(400, 'missing_text_or_fallback_or_attachments', { problem: 'no text, blocks or attachments' });
      if (payload.blocks !== undefined) {
        const problem = blocksProblem(payload.blocks);
        if (problem) return post(400, 'invalid_blocks', { problem });
      }
      return post(200, 'ok');
    };
    return {
      protocol: 'http',
      name: 'slack',
      state,
      describe(req): HttpOperation | undefined {
        if (!req.url.pathname.startsWith(PREFIX)) return undefined;
        const hook = state.byPath(req.url.pathname);
        return {
          operation: 'post',
          mutating: true,
          params: { webhookName: hook?.name ?? '(unknown)', payload: parsePayload(req) },
        };
      },
      throttled: () => ({
        status: 429,
        body: 'rate_limited',
        headers: { 'content-type': 'text/html', 'retry-after': '1' },
        errorCode: 'rate_limited',
      }),
      handle(req: SandboxRequest, res: SandboxResponse) {
        if (req.method !== 'POST') {
          res.send(405, 'invalid_method', { 'content-type': 'text/html' });
          return true;
        }
        const { headers, ...post } = answer(req);
        state.posts.push(post);
        res.send(post.status, post.answer, { 'content-type': 'text/html', ...headers });
        return true;
      },
      env() {
        const vars: Record<string, string> = {};
        const [first] = state.names();
        if (first) vars.SLACK_WEBHOOK_URL = state.url(first);
        for (const name of state.names())
          vars[`SLACK_WEBHOOK_URL_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`] = state.url(name);
        return vars;
      },
      // Whoever holds a webhook's URL can post to the channel.
      secrets: () => state.names().map((name) => ({ name: `Slack webhook "${name}"`, value: state.url(name) })),
    };
  },
};
