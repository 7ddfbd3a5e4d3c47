/**
 * The deployment engine: prepare (read only), register, update, then watch every service in one loop until each
 * one succeeded, failed (and, when asked, until ECS's rollback finished), or the time ran out.
 */
import {
  CancelledError,
  Heartbeat,
  UserError,
  awsErrorContext,
  describeAwsFailure,
  formatDuration,
} from '@ecs-ship/action-kit';
import { ChangeFailure, deploymentConfiguration, registerRevisions, updateService, type Changes } from './apply.js';
import { assess, revisionName, type Assessment } from './assess.js';
import { failureHooks } from './failure-hooks.js';
import { Observer, isTransient } from './observe.js';
import { prepare, type PreparedService } from './prepare.js';
import { ProgressLog } from './progress.js';
import { restoreOrSay } from './restore.js';
import { failureReason, overallResult } from './results.js';
import { failedServices, rollBackOthers } from './siblings.js';
import type { ServiceSnapshot } from './snapshot.js';
import { StageLog, checkStrategies, confirmTrafficBack } from './strategy/index.js';
import { cancel } from './cancelled.js';
import { nextPollIn } from './poll-timing.js';
import { reportPlans } from './plan-report.js';
import { usesCodeDeploy } from '../codedeploy/index.js';
import { deployInTurn, readDeploymentGroups } from '../codedeploy/in-turn.js';
import { closePhase, identify, initialReport, standLine, startWatching, type Watched } from './watched.js';
import type {
  DeployContext,
  DeployOptions,
  DeployReport,
  DetectedFailure,
  OverallResult,
  ServiceReport,
} from './types.js';

export { deploymentConfiguration } from './apply.js';
export { overallResult } from './results.js';
export { nextPollIn } from './poll-timing.js';

export async function deployServices(options: DeployOptions, context: DeployContext): Promise<DeployReport> {
  const { ecs, logger, clock, signal } = context;
  const startedAt = clock.now();
  const observer = new Observer(ecs, options.cluster, (why) =>
    logger.info(`DescribeServiceDeployments is not available (${why}); following deployments[].rolloutState instead.`),
  );
  const finish = (result: OverallResult, services: ServiceReport[]): DeployReport => {
    // How the watch went, for whoever debugs it; the summary is for people and leaves these out.
    logger.debug(
      `${observer.polls} poll(s), ${observer.describeServicesCalls} DescribeServices call(s); status from ${observer.usesServiceDeployments ? 'DescribeServiceDeployments' : 'deployments[].rolloutState'}.`,
    );
    return {
      mode: options.mode,
      cluster: options.cluster,
      result,
      failureReason: failureReason(services),
      services,
      startedAt,
      finishedAt: clock.now(),
      usedServiceDeployments: observer.usesServiceDeployments,
      polls: observer.polls,
      describeServicesCalls: observer.describeServicesCalls,
    };
  };

  context.deadline?.extendTo(startedAt + options.timeoutMs);
  const prepared = await prepareOrExplain(ecs, options, signal);
  const reports = prepared.map((p) => initialReport(p, options));
  // What would make a deployment fail for sure is refused here, before anything changes; a plan shows it.
  const problems = checkStrategies(prepared, options, (service) => deploymentConfiguration(service, options));

  if (options.mode === 'plan') {
    reportPlans(prepared, reports, problems, options, logger);
    return finish('planned', reports);
  }

  const toDeploy = prepared.filter((p) => p.deploy);
  for (const p of prepared.filter((q) => !q.deploy)) {
    logger.info(
      `${p.service}: ${revisionName(p.currentTaskDefinition)} already runs this definition; nothing to deploy.`,
    );
  }
  if (toDeploy.length === 0) return finish('unchanged', reports);
  if (signal.aborted) throw new CancelledError('The job was cancelled before anything was changed.');
  // Services under CODE_DEPLOY: their deployment groups are read now, before any change; each is deployed on its
  // own after the ECS ones succeeded (../codedeploy/in-turn.ts).
  const viaCodeDeploy = toDeploy.filter((p) => usesCodeDeploy(p.described));
  const groups = await readDeploymentGroups(viaCodeDeploy, options, context);
  const inTurn = async () =>
    finish(
      (await deployInTurn(viaCodeDeploy, groups, reports, options, context)) ? 'cancelled' : overallResult(reports),
      reports,
    );
  const onEcs = toDeploy.filter((p) => !usesCodeDeploy(p.described));
  if (onEcs.length === 0) return inTurn();

  const changes: Changes = { registered: new Map(), updated: [] };
  const watched = new Map<string, Watched>();
  try {
    await registerRevisions(ecs, onEcs, changes, logger);
    for (const p of onEcs) {
      const report = reports.find((r) => r.service === p.service)!;
      const taskDefinition = changes.registered.get(p.service) ?? p.rollbackTarget ?? p.currentTaskDefinition;
      const answer = await updateService(ecs, p, taskDefinition, options, changes, () => clock.now());
      watched.set(p.service, startWatching(p, report, taskDefinition, answer, changes, options, context));
    }
  } catch (error) {
    if (!(error instanceof ChangeFailure)) throw error;
    // Stopped part-way: every output still says what happened, and the failing call names what had changed.
    const report = reports.find((r) => r.service === error.service)!;
    Object.assign(report, { result: 'failed', reason: error.message, finishedAt: clock.now() });
    logger.error(error.message, error.service);
    for (const w of watched.values()) {
      // Updated before the failure: ECS carries these deployments on; the step no longer watches them.
      w.report.result = 'started';
      closePhase(w.report, clock.now(), 'active');
    }
    await deployInTurn(viaCodeDeploy, groups, reports, options, context); // says they were not deployed
    return finish('failed', reports);
  }

  if (!options.wait) return finish('started', reports);

  const active = new Map(watched);
  // While deployments are watched the log says each change at once, and where each stands when it has been quiet.
  const heartbeat = new Heartbeat(context, () =>
    [...active.values()].map((w) => ({
      what: standLine(w),
      startedAt: w.target.startedAt,
      deadline: w.target.deadline,
    })),
  );
  const progress = new ProgressLog(heartbeat.logger);
  for (const p of onEcs)
    progress.remember(
      p.service,
      (p.described.events ?? []).map((e) => e.id ?? ''),
    );
  const hooks = failureHooks(context);
  const cancelled = await watch(
    { watched, active, observer, progress, heartbeat, stages: new StageLog(heartbeat.logger) },
    options,
    { ...context, logger: heartbeat.logger, detected: hooks.call },
  );
  await hooks.settled();
  for (const report of reports) report.events = progress.events.get(report.service) ?? [];
  return cancelled ? finish('cancelled', reports) : inTurn();
}

/** The engine's view of the context while it watches: `detected` hands a failure to the caller's hook. */
interface WatchContext extends DeployContext {
  detected(failure: DetectedFailure): void;
}

/** The checks before any change; an AWS call that fails for good there is said as such, with nothing changed. */
async function prepareOrExplain(
  ecs: DeployContext['ecs'],
  options: DeployOptions,
  signal: AbortSignal,
): Promise<PreparedService[]> {
  try {
    return await prepare(ecs, options, signal);
  } catch (error) {
    if (error instanceof UserError || signal.aborted || !awsErrorContext(error)) throw error;
    throw new UserError(
      `Could not read the cluster and services before deploying (${describeAwsFailure(error)}). Nothing was changed in ECS.`,
      { cause: error },
    );
  }
}

/** What the watch loop works on: every watched service, those still followed, and how it looks and speaks. */
interface WatchState {
  watched: ReadonlyMap<string, Watched>;
  active: Map<string, Watched>;
  observer: Observer;
  progress: ProgressLog;
  heartbeat: Heartbeat;
  /** Blue/green, linear and canary deployments: their lifecycle stages as ECS reports them. */
  stages: StageLog;
}

/**
 * The watch loop. Every service is watched until its own outcome is known, whatever happens to the others: a
 * failure is reported (log, annotation, `onFailure`) the moment it is seen, and the step ends once every service's
 * fate is known, so that a multi-service deploy always says where each service stands. With
 * `rollback-others-on-failure` the others are put back on their previous revision at the first failure (see
 * ./siblings.ts). Returns true when the job was cancelled.
 */
async function watch(state: WatchState, options: DeployOptions, context: WatchContext): Promise<boolean> {
  const { watched, active, observer, progress, heartbeat, stages } = state;
  const { logger, clock, signal } = context;
  const transientSeen = new Set<string>();
  let othersRolledBack = false;

  while (active.size > 0) {
    const pollStarted = clock.now();
    let snapshots: Map<string, ServiceSnapshot> | undefined;
    try {
      const arns = new Map([...active].map(([service, w]) => [service, w.target.serviceDeploymentArn]));
      snapshots = await observer.look([...active.keys()], arns, signal);
    } catch (error) {
      if (signal.aborted) return cancel(active, logger, clock.now());
      if (!isTransient(error)) throw error;
      // The SDK already retried; the next poll is the next try. Say so once per kind of trouble.
      const kind = (error as Error).name;
      if (!transientSeen.has(kind)) {
        transientSeen.add(kind);
        logger.warning(
          `Could not read the services (${kind}: ${(error as Error).message}); trying again at the next poll.`,
        );
      }
    }

    const now = clock.now();
    if (!snapshots) {
      // Nothing could be read this time; the deadline still holds.
      for (const [service, w] of active) {
        if (now < w.target.deadline) continue;
        const assessment: Assessment = {
          state: 'timed-out',
          reason: `ECS did not answer in time (${[...transientSeen].join(', ')})`,
        };
        if (!(await settle(w, assessment, now, options, context))) active.delete(service);
      }
    }
    for (const [service, w] of snapshots ? active : []) {
      const snapshot = snapshots!.get(service)!;
      const assessment: Assessment = identify(w, snapshot)
        ? assess(w.target, snapshot, now)
        : now >= w.target.deadline
          ? { state: 'timed-out', reason: 'ECS never showed the deployment this update started' }
          : { state: 'progressing', summary: 'waiting for ECS to list the new deployment' };
      w.last = assessment;
      progress.update(snapshot, w.target.startedAt, assessment);
      w.record =
        snapshot.serviceDeployment?.arn === w.target.serviceDeploymentArn ? snapshot.serviceDeployment : undefined;
      stages.follow(w.report, w.target, w.record, assessment, now);
      if ('summary' in assessment) w.report.stand = assessment.summary;
      const keepWatching = await settle(w, assessment, now, options, context);
      if (!keepWatching) active.delete(service);
    }

    // rollback-others-on-failure: at the first failure, every other service this step changed goes back too.
    const failed = failedServices(watched);
    if (options.rollbackOthersOnFailure && !othersRolledBack && failed.length > 0) {
      othersRolledBack = true;
      await rollBackOthers(watched, active, failed, clock.now(), logger, (w) =>
        restoreOrSay(w, clock.now(), options, context),
      );
    }
    if (active.size === 0) break;

    try {
      await heartbeat.sleep(nextPollIn(active, pollStarted, options.pollIntervalMs, clock.now()), signal);
    } catch (error) {
      if (signal.aborted) return cancel(active, logger, clock.now());
      throw error;
    }
  }
  return false;
}

/** Applies one assessment to a watched service. Returns whether to keep watching it. */
async function settle(
  w: Watched,
  assessment: Assessment,
  now: number,
  options: DeployOptions,
  context: WatchContext,
): Promise<boolean> {
  const { logger } = context;
  const { report, target } = w;
  const service = target.service;
  const took = formatDuration(now - target.startedAt);

  switch (assessment.state) {
    case 'progressing':
    case 'rolling-back':
      return true;

    case 'succeeded':
      closePhase(report, now, 'ok');
      if (w.kind === 'restore') {
        report.rollback = {
          healthy: true,
          taskDefinition: target.taskDefinition,
          reason: `${revisionName(target.taskDefinition)} is back: ${assessment.summary}`,
          by: 'step',
        };
        logger.info(`${service}: ${revisionName(target.taskDefinition)} is back and healthy (${assessment.summary}).`);
        return false;
      }
      report.result = 'succeeded';
      report.finishedAt = now;
      report.reason =
        report.taskDefinition && report.previousTaskDefinition !== report.taskDefinition
          ? undefined
          : 'redeployed the same revision';
      if (/(?:^|, )0\/0 /.test(assessment.summary)) report.reason = 'desired count is 0: no task runs';
      logger.info(`${service}: deployed ${revisionName(target.taskDefinition)} in ${took} (${assessment.summary}).`);
      return false;

    case 'failed': {
      closePhase(report, now, 'failed');
      report.result = assessment.rollingBack ? 'rolled-back' : 'failed';
      report.reason = assessment.reason;
      report.finishedAt = now;
      logger.error(assessment.reason, service);
      const follow = assessment.rollingBack && options.waitForRollback;
      context.detected({
        service,
        result: report.result,
        reason: assessment.reason,
        rollingBackTo: assessment.rollingBack ? target.previousTaskDefinition : undefined,
        followingRollback: follow,
        detectedAt: now,
      });
      if (!assessment.rollingBack) return false;
      if (!follow) {
        logger.info(
          `${service}: ECS is rolling back to ${revisionName(target.previousTaskDefinition)}; not waiting for it (wait-for-rollback is false).`,
        );
        return false;
      }
      logger.info(`${service}: following ECS's rollback to ${revisionName(target.previousTaskDefinition)}...`);
      report.phases.push({ label: 'ECS rollback', start: now, outcome: 'active' });
      w.target = { ...target, phase: 'rollback', deadline: now + options.timeoutMs };
      context.deadline?.extendTo(w.target.deadline);
      return true;
    }

    case 'superseded':
    case 'gone':
      closePhase(report, now, 'failed');
      report.result = assessment.state;
      report.reason = assessment.reason;
      report.finishedAt = now;
      logger.error(assessment.reason, service);
      context.detected({
        service,
        result: report.result,
        reason: report.reason,
        followingRollback: false,
        detectedAt: now,
      });
      return false;

    case 'rolled-back':
      if (assessment.healthy)
        Object.assign(assessment, await confirmTrafficBack(service, w.record, assessment, context));
      closePhase(report, now, assessment.healthy ? 'ok' : 'failed');
      report.rollback = {
        healthy: assessment.healthy,
        taskDefinition: assessment.taskDefinition,
        reason: assessment.reason,
        by: 'ecs',
      };
      if (assessment.healthy) logger.info(`${service}: ${assessment.reason}.`);
      else logger.error(assessment.reason, service);
      return false;

    case 'timed-out': {
      // The time that really passed, beside the limit: a late verdict would show here.
      const elapsed = `${formatDuration(now - (report.phases.at(-1)?.start ?? target.startedAt))} (the limit is ${formatDuration(options.timeoutMs)})`;
      closePhase(report, now, 'failed');
      if (w.kind === 'restore' || target.phase === 'rollback') {
        report.rollback = {
          healthy: false,
          taskDefinition: w.kind === 'restore' ? target.taskDefinition : target.previousTaskDefinition,
          reason: `${assessment.reason} (after ${elapsed})`,
          by: w.kind === 'restore' ? 'step' : 'ecs',
          pending: true,
        };
        logger.error(report.rollback.reason, service);
        return false;
      }
      report.result = 'timed-out';
      report.finishedAt = now;
      report.reason = `not finished after ${elapsed}: ${assessment.reason}`;
      logger.error(report.reason, service);
      const restore = options.onTimeout === 'rollback';
      context.detected({
        service,
        result: 'timed-out',
        reason: report.reason,
        rollingBackTo: restore ? target.previousTaskDefinition : undefined,
        followingRollback: restore && options.waitForRollback,
        detectedAt: now,
      });
      if (!restore) return false;
      return restoreOrSay(w, now, options, context);
    }
  }
}
