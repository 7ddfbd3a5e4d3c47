import { addMask, type InputReader } from '@ecs-ship/action-kit';
import {
  STATUS_INPUT_VALUES,
  formatMention,
  normalizeStatus,
  parseDetails,
  validatePayload,
  type DetailSection,
  type SlackPayload,
  type Status,
} from '@ecs-ship/slack';

export interface Settings {
  webhookUrl: string;
  status: Status;
  environment?: string;
  service?: string;
  title?: string;
  text?: string;
  fields: [string, string][];
  details: DetailSection[];
  mentions: string[];
  /** A custom payload sent instead of the generated message. */
  payload?: SlackPayload;
  startedAt?: number;
  failOnError: boolean;
  retries: number;
  retryMaxWaitMs: number;
}

/** Reads every input of action.yml (in its order), recording every problem before anything is sent. */
export function readSettings(inputs: InputReader): Settings {
  const webhookUrl = readWebhookUrl(inputs);
  const status = inputs.enumeration('status', STATUS_INPUT_VALUES, {
    required: true,
    hint: `Use one of ${STATUS_INPUT_VALUES.join(', ')}, or leave it unset for the job's status`,
  });
  const environment = inputs.string('environment');
  const service = inputs.string('service');
  const title = inputs.string('title');
  const text = inputs.string('text');
  const fields = [...inputs.map('fields', { hint: 'Write one Label=value per line' })];
  const details = inputs.json('details', parseDetails) ?? [];
  const mentions = readMentions(inputs);
  const payload = inputs.json('payload', validatePayload);
  const startedAt = readStartedAt(inputs);
  const failOnError = inputs.boolean('fail-on-error', { default: false });
  const retries = inputs.integer('retries', { default: 3, min: 0, max: 10 });
  const retryMaxWaitSeconds = inputs.integer('retry-max-wait-seconds', { default: 30, min: 1, max: 300 });

  if (payload) {
    // A custom payload replaces the generated message, so these would silently do nothing.
    const ignored = [
      ['title', title],
      ['fields', fields.length > 0],
      ['details', details.length > 0],
      ['mention-on-failure', mentions.length > 0],
    ].filter(([, given]) => given);
    if (ignored.length > 0) {
      inputs.fail(
        'payload',
        `it replaces the generated message, so ${ignored.map(([name]) => `"${name}"`).join(', ')} would be ignored`,
        'Put that content into the payload, or drop "payload" to send the generated message',
      );
    }
  }

  return {
    webhookUrl: webhookUrl ?? '',
    status: normalizeStatus(status ?? 'started'),
    environment,
    service,
    title,
    text,
    fields,
    details,
    mentions,
    payload,
    startedAt,
    failOnError,
    retries,
    retryMaxWaitMs: retryMaxWaitSeconds * 1000,
  };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Checked without ever repeating the value: it is a secret even when it is malformed. */
function readWebhookUrl(inputs: InputReader): string | undefined {
  const value = inputs.secret('webhook-url', {
    required: true,
    hint: 'Pass the webhook from a secret, such as webhook-url: ${{ secrets.SLACK_WEBHOOK_URL }} (an unset secret arrives empty)',
  });
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return inputs.fail('webhook-url', 'it is not a URL', 'Copy the whole webhook URL from the Slack app settings');
  }
  // The path is the secret part of a webhook URL: mask it alone too, in case something prints it without the host.
  addMask(url.pathname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    return inputs.fail(
      'webhook-url',
      `it uses ${url.protocol.replace(':', '')}, which would send the message in clear text`,
      'Use the https:// URL Slack gives (http is accepted only for a local test server)',
    );
  }
  if (url.username || url.password) {
    return inputs.fail('webhook-url', 'it holds credentials before the host', 'Use the webhook URL as Slack gives it');
  }
  return value;
}

function readMentions(inputs: InputReader): string[] {
  const mentions: string[] = [];
  for (const id of inputs.list('mention-on-failure')) {
    const mention = formatMention(id);
    if (!mention) {
      inputs.fail(
        'mention-on-failure',
        `"${id}" is not a Slack member ID, user group ID, here or channel`,
        'Use IDs such as U012AB3CD (a member, from their profile) or S0614TZR7 (a user group); names do not notify from a webhook',
      );
      continue;
    }
    if (!mentions.includes(mention)) mentions.push(mention);
  }
  return mentions;
}

/** ISO 8601, or epoch seconds (10 digits) or milliseconds (13 digits). */
function readStartedAt(inputs: InputReader): number | undefined {
  const text = inputs.string('started-at');
  if (text === undefined) return undefined;
  let ms: number;
  if (/^\d{9,11}$/.test(text)) ms = Number(text) * 1000;
  else if (/^\d{12,14}$/.test(text)) ms = Number(text);
  else if (/^\d{4}-\d{2}-\d{2}T/.test(text)) ms = Date.parse(text);
  else ms = Number.NaN;
  if (Number.isNaN(ms)) {
    return inputs.fail(
      'started-at',
      `"${text}" is not a time`,
      'Use an ISO 8601 time such as 2026-05-04T10:00:00Z, or epoch seconds from date +%s',
    );
  }
  // A little slack for clocks that disagree between machines.
  if (ms > Date.now() + 5 * 60_000) {
    return inputs.fail('started-at', `${text} is in the future`, 'Pass the time the pipeline started');
  }
  return ms;
}
