/**
 * The Slack messages: one when the release starts, one with its outcome, built and delivered by the same code as the
 * notify-slack action from the outputs the other stages' actions would give. A notification never fails a release:
 * an undelivered one is a warning. Neither is sent in a dry run.
 */
import { deployOutputs } from '@ecs-ship/ecs';
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
    const status: Status = run.report.result === 'rolled-back' ? 'rolled-back' : run.failed() ? 'failed' : 'succeeded';
    return notify(run, status, record);
  },
};

async function notify(run: ReleaseRun, status: Status, record: StageRecord): Promise<void> {
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
  if (run.migration || report.snapshot) {
    outputs.migration = { 'snapshot-id': report.snapshot?.id, 'snapshot-arn': report.snapshot?.arn, ...run.migration };
  }
  if (report.deploy) outputs.deploy = { ...deployOutputs(report.deploy) };
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
    (status === 'failed' || status === 'rolled-back') && !report.deploy?.failureReason
      ? report.failureReason
      : undefined;
  const payload = buildMessage(
    {
      status,
      environment: options.environment,
      service: target.services.map((s) => s.name).join(', '),
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
