import { UserError, cancellationSignal, code, runnerLogger, systemClock, table, truncate } from '@ecs-ship/action-kit';
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

  setOutputs({ delivered: DELIVERED[result.outcome], 'status-code': result.statusCode });
  await appendSummary(summary(settings, payload, result));

  if (result.outcome === 'delivered') {
    runnerLogger.info(`Slack accepted the ${settings.status} message (HTTP ${result.statusCode}).`);
    return;
  }
  if (result.outcome === 'unknown') {
    // Sending it again could post it twice: say so, and let fail-on-error decide the step.
    runnerLogger.warning(
      `The Slack notification may or may not have been delivered: ${result.problem ?? 'Slack did not answer'}.`,
      'Slack notification',
    );
    if (settings.failOnError) {
      runnerLogger.info('The step fails because fail-on-error is true and Slack did not confirm the message.');
      process.exitCode = 1;
    }
    return;
  }
  // Rate limiting is the one refusal that more patience can overcome: say which inputs give it.
  const patience = result.statusCode === 429 ? ' Raise retries or retry-max-wait-seconds to keep trying longer.' : '';
  const message = `The Slack notification was not delivered. ${result.problem ?? 'Slack did not accept it'}.${patience}`;
  if (settings.failOnError) throw new UserError(message, { title: 'Slack notification' });
  runnerLogger.warning(`${message} The step still succeeds because fail-on-error is false.`, 'Slack notification');
}

/** The `delivered` output. */
const DELIVERED: Record<DeliveryResult['outcome'], string> = {
  delivered: 'true',
  'not-delivered': 'false',
  unknown: 'unknown',
};

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

const HEADINGS: Record<DeliveryResult['outcome'], string> = {
  delivered: 'Slack notified',
  'not-delivered': 'Slack notification not delivered',
  unknown: 'Slack notification may or may not have been delivered',
};

/** How much of the notification text the summary shows. */
const NOTIFICATION_TEXT_SHOWN = 300;

function summary(settings: Settings, payload: SlackPayload, result: DeliveryResult): string {
  const heading = `### ${HEADINGS[result.outcome]}`;
  const row = [
    settings.status,
    { delivered: 'yes', 'not-delivered': 'no', unknown: 'unknown' }[result.outcome],
    result.statusCode ?? 'no answer',
    result.attempts,
    settings.payload ? 'custom payload' : `${payload.blocks?.length ?? 0} blocks`,
  ];
  const facts = table(['Status', 'Delivered', 'HTTP status', 'Attempts', 'Message'], [row]);
  // Why it was not delivered comes first, before the table.
  const problem = result.problem ? `> ${result.problem}\n\n` : '';
  return `${heading}\n\n${problem}${facts}\n\nNotification text: ${code(truncate(payload.text, NOTIFICATION_TEXT_SHOWN))}\n`;
}
