import { UserError, cancellationSignal, runnerLogger, systemClock, table, code } from '@ecs-ship/action-kit';
import { appendSummary, setOutputs } from '@ecs-ship/action-kit/core';
import {
  LIMITS,
  buildMessage,
  deliver,
  fit,
  runContextFromEnv,
  type DeliveryResult,
  type SlackPayload,
} from '@ecs-ship/slack';
import type { Settings } from './settings.js';

export async function run(settings: Settings): Promise<void> {
  const payload = messageFor(settings);
  const result = await deliver(settings.webhookUrl, payload, {
    retries: settings.retries,
    maxWaitMs: settings.retryMaxWaitMs,
    clock: systemClock,
    logger: runnerLogger,
    signal: cancellationSignal(),
  });

  setOutputs({ delivered: result.delivered, 'status-code': result.statusCode });
  await appendSummary(summary(settings, payload, result));

  if (result.delivered) {
    runnerLogger.info(`Slack accepted the ${settings.status} message (HTTP ${result.statusCode}).`);
    return;
  }
  // Rate limiting is the one refusal that more patience can overcome: say which inputs give it.
  const patience = result.statusCode === 429 ? ' Raise retries or retry-max-wait-seconds to keep trying longer.' : '';
  const message = `The Slack notification was not delivered. ${result.problem ?? 'Slack did not accept it'}.${patience}`;
  if (settings.failOnError) throw new UserError(message, { title: 'Slack notification' });
  runnerLogger.warning(`${message} The step still succeeds because fail-on-error is false.`, 'Slack notification');
}

function messageFor(settings: Settings): SlackPayload {
  if (settings.payload) {
    // A custom payload without text still needs a notification text; the text input (if any) fills it.
    const text = settings.payload.text || settings.text || '';
    return { ...settings.payload, text: fit(text, LIMITS.fallbackText) };
  }
  return buildMessage(
    {
      status: settings.status,
      environment: settings.environment,
      service: settings.service,
      title: settings.title,
      text: settings.text,
      fields: settings.fields,
      details: settings.details,
      mentions: settings.mentions,
      startedAt: settings.startedAt,
    },
    runContextFromEnv(process.env),
    Date.now(),
  );
}

function summary(settings: Settings, payload: SlackPayload, result: DeliveryResult): string {
  const heading = `### ${result.delivered ? 'Slack notified' : 'Slack notification not delivered'}`;
  const row = [
    settings.status,
    result.delivered ? 'yes' : 'no',
    result.statusCode ?? 'no answer',
    result.attempts,
    settings.payload ? 'custom payload' : `${payload.blocks?.length ?? 0} blocks`,
  ];
  const facts = table(['Status', 'Delivered', 'HTTP status', 'Attempts', 'Message'], [row]);
  const problem = result.delivered ? '' : `\n\n**Why:** ${result.problem ?? 'unknown'}`;
  return `${heading}\n\n${facts}${problem}\n\nNotification text: ${code(payload.text.slice(0, 300))}\n`;
}
