/**
 * The release: notify start → image → snapshot → migration → deploy → smoke → (rollback on failure) → tag and
 * deployment record → notify the outcome. Each stage is a module of ./stages, run from the table below over one
 * ReleaseRun; every stage drives the same packages as the single-purpose actions. A failure stops the stages after
 * it, rolls the services back when the deploy had changed them, sends the final notification, and is reported with
 * the stage and the reason.
 */
import { UserError } from '@ecs-ship/action-kit';
import { AwsClients } from './clients.js';
import { checkControllers } from './controllers.js';
import { prepareRelease } from './prepare.js';
import type { ReleaseReport, StageRecord } from './report.js';
import { deploy } from './stages/deploy.js';
import { image } from './stages/image.js';
import { migrate } from './stages/migrate.js';
import { notifyOutcome, notifyStart } from './stages/notify.js';
import { rollback } from './stages/rollback.js';
import { smoke } from './stages/smoke.js';
import { snapshot } from './stages/snapshot.js';
import {
  StageFailure,
  UNRECORDED,
  type ReleaseContext,
  type ReleaseOptions,
  type ReleaseRun,
  type Stage,
} from './stages/stage.js';
import { tag } from './stages/tag.js';
import { renderTemplate } from './templates.js';

export type { ReleaseContext, ReleaseOptions } from './stages/stage.js';

/** The stages in the order they run; the outcome is notified after them, whatever happened. */
export const STAGES: readonly Stage[] = [notifyStart, image, snapshot, migrate, deploy, smoke, rollback, tag];

export async function runRelease(options: ReleaseOptions, context: ReleaseContext): Promise<ReleaseReport> {
  const { logger, clock } = context;
  const at = new Date(clock.now());
  const fill = (template: string) =>
    renderTemplate(template, { env: options.environment, sha: options.sha, at, run: options.runId });
  const { target, region, checks, origin, serviceOrigins, codeDeploy } = prepareRelease(options, context, fill);

  const aws = context.aws ?? new AwsClients(region);
  const report: ReleaseReport = {
    environment: options.environment,
    sha: options.sha,
    result: options.dryRun ? 'planned' : 'succeeded',
    taskDefinitionArns: {},
    stages: [],
    startedAt: clock.now(),
    finishedAt: clock.now(),
  };
  const run: ReleaseRun = {
    options,
    context,
    target,
    aws,
    report,
    tools: { logger, clock, signal: context.signal, progressIntervalMs: target['progress-interval-seconds'] * 1000 },
    checks,
    origin,
    serviceOrigins,
    codeDeploy,
    fill,
    wants: (stage) => options.stages.includes(stage),
    failed: () => report.result === 'failed' || report.result === 'rolled-back' || report.result === 'superseded',
  };

  try {
    await checkControllers(run);
  } catch (error) {
    if (!context.aws) aws.destroy();
    throw error;
  }
  try {
    for (const stage of STAGES) await runStage(run, stage);
  } finally {
    await runStage(run, notifyOutcome);
    if (!context.aws) aws.destroy();
    report.finishedAt = clock.now();
  }
  logger.info(
    report.result === 'succeeded' || report.result === 'planned'
      ? `Release of ${options.sha.slice(0, 7)} to ${options.environment}: ${report.result}.`
      : `Release of ${options.sha.slice(0, 7)} to ${options.environment} ${report.result} at ${report.failedStage}: ${report.failureReason}`,
  );
  return report;
}

/** Runs one stage in its log group and records it; what it throws fails it (and the release). */
async function runStage(run: ReleaseRun, stage: Stage): Promise<void> {
  const { report, tools } = run;
  const skip = stage.skip(run);
  if (skip === UNRECORDED) return;
  if (skip !== undefined) {
    report.stages.push({ key: stage.key, title: stage.title, result: 'skipped', detail: skip, links: [] });
    return;
  }
  const record: StageRecord = {
    key: stage.key,
    title: stage.title,
    result: 'succeeded',
    detail: '',
    links: [],
    startedAt: tools.clock.now(),
  };
  report.stages.push(record);
  tools.logger.startGroup(`${record.title} (${run.options.environment})`);
  try {
    await stage.run(run, record);
  } catch (error) {
    record.result = 'failed';
    record.detail = error instanceof Error ? error.message : String(error);
    report.failedStage ??= stage.key;
    report.failureReason ??= record.detail;
    // A rollback or a supersession is the more precise word for the failure; keep it.
    if (report.result !== 'rolled-back' && report.result !== 'superseded') report.result = 'failed';
    if (!(error instanceof StageFailure) && !(error instanceof UserError))
      tools.logger.debug(String((error as Error).stack));
  } finally {
    record.finishedAt = tools.clock.now();
    tools.logger.endGroup();
  }
}
