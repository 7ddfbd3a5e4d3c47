/**
 * The deployment engine: prepare (read only), register, update, then watch every service in one loop until each
 * one succeeded, failed (and, when asked, until ECS's rollback finished), or the time ran out.
 */
import { UpdateServiceCommand, type DeploymentConfiguration, type Service } from '@aws-sdk/client-ecs';
import { CancelledError, Heartbeat, formatDuration } from '@ecs-ship/action-kit';
import { formatDiff } from '../taskdef/compare.js';
import { registerTaskDefinition } from '../taskdef/register.js';
import { assess, revisionName, type Assessment } from './assess.js';
import { Observer, isTransient } from './observe.js';
import { prepare, type PreparedService } from './prepare.js';
import { ProgressLog } from './progress.js';
import { settingsLine, settingsRequest } from './service-settings.js';
import { FAILING_RESULTS, failedServices, leaveOthers, rollBackOthers, rolledBackBecauseOfOthers } from './siblings.js';
import type { ServiceSnapshot } from './snapshot.js';
import type { DeployContext, DeployOptions, DeployReport, OverallResult, ServiceReport } from './types.js';
import { closePhase, type Before, type Watched } from './watched.js';

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

  const prepared = await prepare(ecs, options, signal);
  const reports = prepared.map((p) => initialReport(p, options));

  if (options.mode === 'plan') {
    for (const p of prepared) {
      logger.startGroup(
        `${p.service}: ${p.changed ? 'would register a new revision of' : 'no change to'} ${revisionName(p.currentTaskDefinition)}`,
      );
      logger.info(formatDiff(p.diff));
      logger.endGroup();
    }
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

  // Register every revision first, so that a refused registration leaves no service half-updated.
  const newRevision = new Map<string, string>();
  for (const p of toDeploy) {
    if (!p.definition) continue;
    const answer = await registerTaskDefinition(ecs, p.definition as never);
    const arn = answer.taskDefinition.taskDefinitionArn ?? '';
    newRevision.set(p.service, arn);
    const how = answer.foundEarlierAttempt
      ? ' (its first answer was lost; the retry found it rather than register twice)'
      : '';
    logger.info(`${p.service}: registered ${revisionName(arn)}${how} (was ${revisionName(p.currentTaskDefinition)}).`);
  }

  const watched = new Map<string, Watched>();
  for (const p of toDeploy) {
    const report = reports.find((r) => r.service === p.service)!;
    const taskDefinition = newRevision.get(p.service) ?? p.rollbackTarget ?? p.currentTaskDefinition;
    const updatedAt = clock.now();
    const answer = await ecs.send(
      new UpdateServiceCommand({
        cluster: options.cluster,
        service: p.service,
        taskDefinition,
        desiredCount: options.desiredCount,
        forceNewDeployment: options.forceNewDeployment || undefined,
        deploymentConfiguration: deploymentConfiguration(p.described, options),
        ...settingsRequest(options.serviceSettings),
      }),
    );
    const before: Before = {
      primaryId: p.described.deployments?.find((d) => d.status === 'PRIMARY')?.id,
      serviceDeploymentArn: p.described.currentServiceDeployment,
    };
    const settings = p.diff.filter((change) => change.path.startsWith('service.'));
    if (settings.length > 0) logger.info(`${p.service}: service settings changed: ${settingsLine(settings)}.`);
    const expectsNew = p.changed || options.forceNewDeployment || p.settingsStartDeployment;
    const started = startedDeployment(before, answer.service, taskDefinition, expectsNew);
    Object.assign(report, {
      result: options.wait ? 'in-progress' : 'started',
      taskDefinition,
      deploymentId: started.id,
      serviceDeploymentArn: started.arn,
      startedAt: updatedAt,
    } satisfies Partial<ServiceReport>);
    report.phases.push({ label: `deploy ${revisionName(taskDefinition)}`, start: updatedAt, outcome: 'active' });
    logger.info(
      `${p.service}: deployment ${started.id ?? '(id not reported)'} started with ${revisionName(taskDefinition)}${options.desiredCount !== undefined ? `, desired count ${options.desiredCount}` : ''}.`,
    );
    watched.set(p.service, {
      kind: 'deploy',
      report,
      before,
      expectsNew,
      target: {
        service: p.service,
        phase: 'rollout',
        deploymentId: started.id ?? '',
        serviceDeploymentArn: started.arn,
        taskDefinition,
        previousTaskDefinition: p.currentTaskDefinition,
        rollbackEnabled: options.circuitBreaker === 'rollback',
        startedAt: updatedAt,
        deadline: updatedAt + options.timeoutMs,
      },
    });
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
  for (const p of toDeploy)
    progress.remember(
      p.service,
      (p.described.events ?? []).map((e) => e.id ?? ''),
    );
  const cancelled = await watch({ watched, active, observer, progress, heartbeat }, options, {
    ...context,
    logger: heartbeat.logger,
  });
  for (const report of reports) report.events = progress.events.get(report.service) ?? [];
  return finish(cancelled ? 'cancelled' : overallResult(reports), reports);
}

/** What the watch loop works on: every watched service, those still followed, and how it looks and speaks. */
interface WatchState {
  watched: ReadonlyMap<string, Watched>;
  active: Map<string, Watched>;
  observer: Observer;
  progress: ProgressLog;
  heartbeat: Heartbeat;
}

/** The watch loop. Returns true when the job was cancelled. */
async function watch(state: WatchState, options: DeployOptions, context: DeployContext): Promise<boolean> {
  const { watched, active, observer, progress, heartbeat } = state;
  const { logger, clock, signal } = context;
  const transientSeen = new Set<string>();
  let failed = false;
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
        failed = true;
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
      if ('summary' in assessment) w.report.stand = assessment.summary;
      const keepWatching = await settle(w, assessment, now, options, context);
      if (!keepWatching) active.delete(service);
      if (FAILING_RESULTS.includes(w.report.result)) failed = true;
    }

    // After a failure the job's outcome is known: the other services are put back (rollback-others-on-failure), or
    // watched while a rollback is followed anyway and then left to ECS, each with where it stands.
    if (failed) {
      const failedNames = failedServices(watched);
      if (options.rollbackOthersOnFailure && !othersRolledBack) {
        othersRolledBack = true;
        await rollBackOthers(watched, active, failedNames, clock.now(), logger, (w) =>
          restoreOrSay(w, clock.now(), options, context),
        );
      }
      leaveOthers(active, failedNames, logger, clock.now());
    }
    if (active.size === 0) break;

    try {
      await heartbeat.sleep(Math.max(0, pollStarted + options.pollIntervalMs - clock.now()), signal);
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
  context: DeployContext,
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
      if (assessment.summary.startsWith('0/0 ')) report.reason = 'desired count is 0: no task runs';
      logger.info(`${service}: deployed ${revisionName(target.taskDefinition)} in ${took} (${assessment.summary}).`);
      return false;

    case 'failed': {
      closePhase(report, now, 'failed');
      report.result = assessment.rollingBack ? 'rolled-back' : 'failed';
      report.reason = assessment.reason;
      report.finishedAt = now;
      logger.error(assessment.reason, service);
      if (!assessment.rollingBack) return false;
      if (!options.waitForRollback) {
        logger.info(
          `${service}: ECS is rolling back to ${revisionName(target.previousTaskDefinition)}; not waiting for it (wait-for-rollback is false).`,
        );
        return false;
      }
      logger.info(`${service}: following ECS's rollback to ${revisionName(target.previousTaskDefinition)}...`);
      report.phases.push({ label: 'ECS rollback', start: now, outcome: 'active' });
      w.target = { ...target, phase: 'rollback', deadline: now + options.timeoutMs };
      return true;
    }

    case 'superseded':
    case 'gone':
      closePhase(report, now, 'failed');
      report.result = assessment.state;
      report.reason = assessment.reason;
      report.finishedAt = now;
      logger.error(assessment.reason, service);
      return false;

    case 'rolled-back':
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
      closePhase(report, now, 'failed');
      if (w.kind === 'restore' || target.phase === 'rollback') {
        report.rollback = {
          healthy: false,
          taskDefinition: w.kind === 'restore' ? target.taskDefinition : target.previousTaskDefinition,
          reason: assessment.reason,
          by: w.kind === 'restore' ? 'step' : 'ecs',
          pending: true,
        };
        logger.error(assessment.reason, service);
        return false;
      }
      report.result = 'timed-out';
      report.finishedAt = now;
      report.reason = `not finished after ${formatDuration(options.timeoutMs)}: ${assessment.reason}`;
      logger.error(report.reason, service);
      if (options.onTimeout !== 'rollback') return false;
      return restoreOrSay(w, now, options, context);
    }
  }
}

/** Puts the previous revision back (see restorePrevious); when that fails, says so: the step fails anyway. */
async function restoreOrSay(w: Watched, now: number, options: DeployOptions, context: DeployContext): Promise<boolean> {
  try {
    return await restorePrevious(w, now, options, context);
  } catch (error) {
    if (context.signal.aborted) throw error;
    const reason = `could not put ${revisionName(w.target.previousTaskDefinition)} back: ${(error as Error).message}`;
    w.report.rollback = { healthy: false, reason, by: 'step' };
    context.logger.error(reason, w.target.service);
    return false;
  }
}

/** on-timeout rollback: put the previous revision back ourselves and, when asked, watch it come back. */
async function restorePrevious(
  w: Watched,
  now: number,
  options: DeployOptions,
  context: DeployContext,
): Promise<boolean> {
  const { ecs, logger, clock } = context;
  const { target, report } = w;
  const answer = await ecs.send(
    new UpdateServiceCommand({
      cluster: options.cluster,
      service: target.service,
      taskDefinition: target.previousTaskDefinition,
    }),
  );
  const before: Before = { primaryId: target.deploymentId, serviceDeploymentArn: target.serviceDeploymentArn };
  const started = startedDeployment(before, answer.service, target.previousTaskDefinition, true);
  logger.info(
    `${target.service}: put ${revisionName(target.previousTaskDefinition)} back (deployment ${started.id ?? '?'}).`,
  );
  if (!options.waitForRollback) {
    report.rollback = {
      healthy: false,
      taskDefinition: target.previousTaskDefinition,
      reason: `${revisionName(target.previousTaskDefinition)} put back; not waited for`,
      by: 'step',
      pending: true,
    };
    return false;
  }
  const restartedAt = clock.now();
  report.phases.push({
    label: `restore ${revisionName(target.previousTaskDefinition)}`,
    start: now,
    outcome: 'active',
  });
  w.kind = 'restore';
  w.before = before;
  w.expectsNew = true;
  w.target = {
    ...target,
    phase: 'rollout',
    deploymentId: started.id ?? '',
    serviceDeploymentArn: started.arn,
    taskDefinition: target.previousTaskDefinition,
    startedAt: restartedAt,
    deadline: restartedAt + options.timeoutMs,
  };
  return true;
}

/** On SIGINT/SIGTERM: say where each deployment stands and what ECS does next without us. */
function cancel(active: Map<string, Watched>, logger: DeployContext['logger'], now: number): true {
  logger.info('Cancelled: no longer watching. ECS carries on without this job:');
  for (const [service, w] of active) {
    const stand = w.report.stand ? ` (${w.report.stand})` : '';
    const previous = revisionName(w.target.previousTaskDefinition);
    let next: string;
    if (w.kind === 'restore') next = `ECS keeps putting ${revisionName(w.target.taskDefinition)} back.`;
    else if (w.target.phase === 'rollback') next = `ECS keeps rolling back to ${previous}.`;
    else if (w.target.rollbackEnabled) {
      next = `ECS keeps rolling out ${revisionName(w.target.taskDefinition)}; if tasks keep failing the circuit breaker rolls back to ${previous}.`;
    } else {
      next = `ECS keeps rolling out ${revisionName(w.target.taskDefinition)}; if tasks keep failing the circuit breaker stops it without rolling back.`;
    }
    logger.info(`${service}: deployment ${w.target.deploymentId}${stand}. ${next}`);
    w.report.result = 'cancelled';
    w.report.reason = `cancelled while ${w.target.phase === 'rollback' ? 'rolling back' : 'deploying'}${stand}. ${next}`;
    closePhase(w.report, now, 'active');
  }
  return true;
}

function initialReport(p: PreparedService, options: DeployOptions): ServiceReport {
  return {
    service: p.service,
    serviceArn: p.described.serviceArn,
    result: options.mode === 'plan' ? 'planned' : 'unchanged',
    previousTaskDefinition: p.currentTaskDefinition,
    taskDefinition: p.currentTaskDefinition,
    images: p.images,
    diff: p.diff,
    events: [],
    phases: [],
  };
}

/** Where a watched service stands, for its heartbeat line: `web: deploying: 3/6 new tasks running, …`. */
function standLine(w: Watched): string {
  const doing =
    w.kind === 'restore'
      ? `putting ${revisionName(w.target.taskDefinition)} back`
      : w.target.phase === 'rollback'
        ? 'rolling back'
        : 'deploying';
  return `${w.target.service}: ${doing}: ${w.report.stand ?? 'waiting for ECS to list the deployment'}`;
}

/** The breaker is switched on every time, keeping the service's other deployment settings. */
export function deploymentConfiguration(service: Service, options: DeployOptions): DeploymentConfiguration {
  const current = service.deploymentConfiguration ?? {};
  const rollback = options.circuitBreaker === 'rollback';
  return {
    ...current,
    deploymentCircuitBreaker: { ...current.deploymentCircuitBreaker, enable: true, rollback },
    ...(options.alarms.length > 0 ? { alarms: { alarmNames: options.alarms, enable: true, rollback } } : {}),
  };
}

/**
 * The deployment our UpdateService created, from its answer: the new PRIMARY and its service-deployment ARN. Either
 * is left unknown when the answer still shows the old one, so that the old deployment is never taken for ours.
 */
function startedDeployment(
  before: Before,
  after: Service | undefined,
  taskDefinition: string,
  expectsNew: boolean,
): { id?: string; arn?: string } {
  const primary =
    after?.deployments?.find((d) => d.status === 'PRIMARY' && d.taskDefinition === taskDefinition) ??
    after?.deployments?.find((d) => d.status === 'PRIMARY');
  const isNew = primary !== undefined && primary.id !== before.primaryId;
  const id = isNew || !expectsNew ? primary?.id : undefined;
  // A count change alone creates no deployment: the ARN is then the old one and says nothing about this change.
  const arn = after?.currentServiceDeployment;
  return { id, arn: isNew && arn !== before.serviceDeploymentArn ? arn : undefined };
}

/**
 * Completes what the UpdateService answer left unknown from a later poll: the new PRIMARY's id, and the
 * service-deployment ARN once the service lists it. Returns false while our deployment is not visible yet.
 */
function identify(w: Watched, snapshot: ServiceSnapshot): boolean {
  const primary = snapshot.deployments.find((d) => d.status === 'PRIMARY');
  if (!w.target.deploymentId) {
    if (!primary || primary.id === w.before.primaryId) return snapshot.missing;
    w.target = { ...w.target, deploymentId: primary.id };
    w.report.deploymentId = primary.id;
  }
  const arn = snapshot.currentServiceDeployment;
  if (
    !w.target.serviceDeploymentArn &&
    w.expectsNew &&
    arn &&
    arn !== w.before.serviceDeploymentArn &&
    primary?.id === w.target.deploymentId
  ) {
    w.target = { ...w.target, serviceDeploymentArn: arn };
    w.report.serviceDeploymentArn = arn;
  }
  return true;
}

export function overallResult(reports: ServiceReport[]): OverallResult {
  const results = new Set(reports.map((r) => r.result));
  if (results.has('cancelled')) return 'cancelled';
  if (results.has('failed') || results.has('superseded') || results.has('gone')) return 'failed';
  if (results.has('timed-out')) return 'timed-out';
  if (results.has('rolled-back')) return 'rolled-back';
  if (results.has('started') || results.has('in-progress')) return 'started';
  if (results.has('succeeded')) return 'succeeded';
  return 'unchanged';
}

function failureReason(reports: ServiceReport[]): string | undefined {
  // A service this step rolled back because another failed is not a reason; the summary says what became of it.
  const failed = reports.filter(
    (r) =>
      (FAILING_RESULTS.includes(r.result) || r.result === 'cancelled') && !rolledBackBecauseOfOthers({ report: r }),
  );
  if (failed.length === 0) return undefined;
  return failed
    .map((r) => {
      const after = r.rollback ? ` Then: ${r.rollback.reason}.` : '';
      return `${r.service}: ${r.reason ?? r.result}${after}`;
    })
    .join(' | ');
}
