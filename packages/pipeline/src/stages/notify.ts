/**
 * The Slack messages: one when the release starts, one with its outcome, built and delivered by the same code as the
 * notify-slack action from the outputs the other stages' actions would give. A notification never fails a release:
 * an undelivered one is a warning. Neither is sent in a dry run.
 */
import { deployOutputs, revisionName, type DetectedFailure } from '@ecs-ship/ecs';
import { buildMessage, deliver, parseDetails, runContextFromEnv, type Status } from '@ecs-ship/slack';
import type { StageRecord } from '../report.js';
import { UNRECORDED, type ReleaseRun, type Stage } from './stage.js';

const skip: Stage['skip'] = (run) => (run.wants('notify') && !run.options.dryRun ? undefined : UNRECORDED);

export const notifyStart: Stage = {
  key: 'notify',
  title: 'Notify start',
  skip,
  run: (run, record) => notify(run, 'started', record),
};

export const notifyOutcome: Stage = {
  key: 'notify-outcome',
  title: 'Notify outcome',
  skip,
  run: (run, record) => {
    const { result } = run.report;
    const status: Status =
      result === 'rolled-back' || result === 'superseded' ? result : run.failed() ? 'failed' : 'succeeded';
    return notify(run, status, record);
  },
};

/**
 * Said the moment the deploy sees a failure, while ECS rolls the service back (or while the other services are
 * still watched), so that nobody learns of it only when the rollback is over. Once per release, for the first
 * failure; the outcome message that follows tells the rest. Recorded as a stage of its own.
 */
export async function notifyFailureDetected(run: ReleaseRun, failure: DetectedFailure): Promise<void> {
  if (skip(run) === UNRECORDED || run.report.stages.some((stage) => stage.key === 'notify-failure')) return;
  const record: StageRecord = {
    key: 'notify-failure',
    title: 'Notify failure',
    result: 'succeeded',
    detail: '',
    links: [],
    startedAt: run.tools.clock.now(),
  };
  run.report.stages.push(record);
  const rollingBack = failure.rollingBackTo !== undefined;
  const next = rollingBack
    ? `ECS is rolling ${failure.service} back to ${revisionName(failure.rollingBackTo)}; the outcome follows.`
    : 'The outcome follows once every service has finished.';
  try {
    await notify(run, rollingBack ? 'rolling-back' : 'failed', record, {
      text: `${failure.service}: ${failure.reason}\n${next}`,
      service: failure.service,
      withDetails: false,
    });
  } finally {
    record.finishedAt = run.tools.clock.now();
  }
}

async function notify(
  run: ReleaseRun,
  status: Status,
  record: StageRecord,
  message: { text?: string; service?: string; withDetails: boolean } = { withDetails: true },
): Promise<void> {
  const { report, target, options } = run;
  const variable = target.slack?.['webhook-env'];
  const url = variable ? run.context.env[variable] : undefined;
  if (!url) {
    record.result = 'skipped';
    record.detail = variable ? `${variable} is not set` : 'no Slack webhook in the config';
    return;
  }
  const outputs: Record<string, Record<string, unknown>> = {};
  if (report.imageRef) outputs.image = { 'image-ref': report.imageRef };
  // The migration section: the snapshot (its own stage) and the migration task, as run-migration-task's outputs.
  if (message.withDetails && (run.migration || report.snapshot)) {
    outputs.migration = { 'snapshot-id': report.snapshot?.id, 'snapshot-arn': report.snapshot?.arn, ...run.migration };
  }
  if (report.deploy && message.withDetails) outputs.deploy = { ...deployOutputs(report.deploy) };
  if (run.smoke) {
    outputs.smoke = {
      result: run.smoke.result,
      report: run.smoke,
      'failed-checks': run.smoke.checks.filter((c) => c.result === 'failed').map((c) => c.name),
    };
  }
  if (report.tag) outputs.release = { tag: report.tag };
  const details = parseDetails(outputs);
  // A deploy failure is told by the deploy details themselves; any other failure needs saying.
  const text =
    message.text ??
    ((status === 'failed' || status === 'rolled-back' || status === 'superseded') && !report.deploy?.failureReason
      ? report.failureReason
      : undefined);
  const payload = buildMessage(
    {
      status,
      environment: options.environment,
      service: message.service ?? target.services.map((s) => s.name).join(', '),
      text,
      fields: [],
      details: 'value' in details ? details.value : [],
      mentions: [],
      startedAt: report.startedAt,
    },
    { ...runContextFromEnv(run.context.env), sha: options.sha },
    run.tools.clock.now(),
  );
  const result = await deliver(url, payload, { ...run.tools, retries: 3, maxWaitMs: 30_000 });
  // A notification never fails a release: an undelivered one, or one whose fate is unknown, is a warning.
  record.result = result.outcome === 'delivered' ? 'succeeded' : 'warning';
  record.detail =
    result.outcome === 'delivered'
      ? `Slack accepted the ${status} message`
      : `${result.outcome === 'unknown' ? 'may or may not have been delivered' : 'not delivered'}: ${result.problem ?? 'unknown problem'}`;
}
