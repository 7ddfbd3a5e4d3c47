/**
 * Following a CodeDeploy deployment to its end: each lifecycle event logged once as it starts and ends (and kept as
 * a span of the timeline), a failure or stop reported the poll it appears with CodeDeploy's errorInformation, the
 * rollback deployment followed and confirmed on ECS's task sets, the ready wait handled with the smoke checks, and
 * on cancellation the deployment stopped with auto-rollback before the step exits.
 */
import {
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  StopDeploymentCommand,
  type CodeDeployClient,
  type DeploymentInfo,
  type ECSTarget,
} from '@aws-sdk/client-codedeploy';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { Heartbeat, describeAwsFailure, formatDuration } from '@ecs-ship/action-kit';
import { failureHooks } from '../deploy/failure-hooks.js';
import { revisionName } from '../deploy/assess.js';
import { isTransient } from '../deploy/observe.js';
import type { PreparedService } from '../deploy/prepare.js';
import type { DeployContext, DeployOptions, ServiceReport } from '../deploy/types.js';
import { closePhase } from '../deploy/watched.js';
import { assessDeployment } from './assess.js';
import { continueDeployment, runReadyChecks } from './ready.js';

interface Look {
  info: DeploymentInfo;
  target?: ECSTarget;
}

/** Follows `deploymentId` (and its rollback); returns true when the job was cancelled. */
export async function followDeployment(
  codedeploy: CodeDeployClient,
  deploymentId: string,
  p: PreparedService,
  report: ServiceReport,
  options: DeployOptions,
  context: DeployContext,
): Promise<boolean> {
  const hooks = failureHooks(context);
  try {
    return await follow(codedeploy, deploymentId, p, report, options, { ...context, onFailure: hooks.call });
  } finally {
    await hooks.settled();
  }
}

async function follow(
  codedeploy: CodeDeployClient,
  deploymentId: string,
  p: PreparedService,
  report: ServiceReport,
  options: DeployOptions,
  context: DeployContext,
): Promise<boolean> {
  const { clock, signal } = context;
  const service = p.service;
  const targetId = `${options.cluster}:${service}`;
  const seen = new Map<string, string>();
  let watching = deploymentId;
  let phase: 'rollout' | 'rollback' = 'rollout';
  let deadline = (report.startedAt ?? clock.now()) + options.timeoutMs;
  let readyHandled = false;
  let waitingSaid = false;
  /** Why this step stopped the deployment (failing smoke checks), said before CodeDeploy's own reason. */
  let stoppedBecause: string | undefined;
  const transientSeen = new Set<string>();
  // During a long wait (a canary's interval, a ready wait) the log says where the deployment stands at least every
  // progress interval; each change is said at once.
  const heartbeat = new Heartbeat(context, () => ({
    what: `${service}: ${phase === 'rollback' ? 'rolling back' : 'deploying'} with CodeDeploy: ${report.stand ?? 'starting'}`,
    startedAt: report.startedAt ?? clock.now(),
    deadline,
  }));
  const logger = heartbeat.logger;
  context = { ...context, logger };

  const look = async (id: string): Promise<Look> => {
    const info = (await codedeploy.send(new GetDeploymentCommand({ deploymentId: id }), { abortSignal: signal }))
      .deploymentInfo!;
    let target: ECSTarget | undefined;
    try {
      target = (
        await codedeploy.send(new GetDeploymentTargetCommand({ deploymentId: id, targetId }), { abortSignal: signal })
      ).deploymentTarget?.ecsTarget;
    } catch (error) {
      // Not started yet (DeploymentNotStartedException): the events come with the next look.
      if (!/NotStarted|DoesNotExist/.test((error as Error).name)) throw error;
    }
    return { info, target };
  };

  /** Each lifecycle event once as it starts and once as it ends; the rollout's events are spans of the timeline. */
  const logEvents = ({ target }: Look) => {
    const now = clock.now();
    for (const event of target?.lifecycleEvents ?? []) {
      const name = event.lifecycleEventName ?? '';
      const key = `${watching}/${name}`;
      const status = event.status ?? 'Pending';
      if (seen.get(key) === status || status === 'Pending') continue;
      seen.set(key, status);
      const label = phase === 'rollback' ? `rollback ${name}` : name;
      if (status === 'InProgress') {
        report.phases.push({ label, start: event.startTime?.getTime() ?? now, outcome: 'active' });
        if (phase === 'rollout') report.lifecycleStage = name;
      } else {
        // An event that began and ended between two looks still gets its span.
        const span =
          report.phases.find((ph) => ph.label === label && ph.end === undefined) ??
          (event.startTime
            ? pushed(report, { label, start: event.startTime.getTime(), outcome: 'active' })
            : undefined);
        if (span)
          Object.assign(span, { end: event.endTime?.getTime() ?? now, outcome: status === 'Failed' ? 'failed' : 'ok' });
        if (phase === 'rollout' && status !== 'Skipped') report.lifecycleStage = name;
      }
      const why = event.diagnostics?.message ? `: ${event.diagnostics.message}` : '';
      if (status !== 'Skipped') logger.info(`${service}: ${label}: ${status}${why}`);
    }
  };

  for (;;) {
    let current: Look | undefined;
    try {
      current = await look(watching);
    } catch (error) {
      if (signal.aborted) return cancel(codedeploy, deploymentId, phase, report, context);
      if (!isTransient(error)) throw error;
      const kind = (error as Error).name;
      if (!transientSeen.has(kind)) {
        transientSeen.add(kind);
        logger.warning(`Could not read the CodeDeploy deployment (${kind}); trying again at the next poll.`);
      }
    }
    const now = clock.now();
    if (current) {
      logEvents(current);
      const assessment = assessDeployment(current.info, current.target);
      if ('summary' in assessment) report.stand = assessment.summary;
      if (phase === 'rollout') {
        if (assessment.state === 'succeeded') {
          closePhase(report, now, 'ok');
          Object.assign(report, { result: 'succeeded', finishedAt: now });
          logger.info(
            `${service}: deployed ${revisionName(report.taskDefinition)} with CodeDeploy in ${formatDuration(now - (report.startedAt ?? now))} (${assessment.summary}).`,
          );
          return false;
        }
        if (assessment.state === 'failed') {
          closePhase(report, now, 'failed');
          const rollingBack =
            assessment.rollbackDeploymentId !== undefined || rollsBack(current.info, assessment.stopped);
          const reason = stoppedBecause ? `${stoppedBecause}. ${assessment.reason}` : assessment.reason;
          Object.assign(report, { result: rollingBack ? 'rolled-back' : 'failed', reason, finishedAt: now });
          logger.error(reason, service);
          const follow = rollingBack && options.waitForRollback;
          void context.onFailure?.({
            service,
            result: report.result as 'failed' | 'rolled-back',
            reason,
            rollingBackTo: rollingBack ? p.currentTaskDefinition : undefined,
            followingRollback: follow,
            detectedAt: now,
          });
          if (!follow) return false;
          const rollbackId =
            assessment.rollbackDeploymentId ?? (await rollbackOf(codedeploy, deploymentId, clock, signal));
          if (!rollbackId) {
            report.rollback = {
              healthy: false,
              reason: 'CodeDeploy started no rollback deployment',
              by: 'codedeploy',
              pending: true,
            };
            return false;
          }
          logger.info(
            `${service}: following CodeDeploy's rollback deployment ${rollbackId} to ${revisionName(p.currentTaskDefinition)}...`,
          );
          phase = 'rollback';
          watching = rollbackId;
          deadline = now + options.timeoutMs;
          context.deadline?.extendTo(deadline);
          continue;
        }
        if (assessment.state === 'ready' && !readyHandled) {
          const smoke = options.codeDeploy?.smoke;
          if (smoke) {
            readyHandled = true;
            const checked = await runReadyChecks(codedeploy, deploymentId, smoke, report, context);
            if (checked.outcome === 'cancelled') return cancel(codedeploy, deploymentId, phase, report, context);
            stoppedBecause = checked.failure;
            continue;
          }
          if (options.mode === 'rollback') {
            // Putting back the revision that ran before: nothing to check it against before the traffic returns.
            readyHandled = true;
            const because = `${revisionName(p.rollbackTarget ?? '')} is the revision being put back`;
            await continueDeployment(codedeploy, deploymentId, because, report, context);
            continue;
          }
          if (!waitingSaid) {
            waitingSaid = true;
            logger.info(
              `${service}: CodeDeploy waits for a go-ahead (ContinueDeployment) before moving production traffic; give "codedeploy-smoke-checks" to let this step decide.`,
            );
          }
        }
      } else if (assessment.state === 'succeeded' || assessment.state === 'failed') {
        closePhase(report, now, assessment.state === 'succeeded' ? 'ok' : 'failed');
        report.rollback = await confirmRollback(assessment.state === 'succeeded', watching, p, options, context);
        const log = report.rollback.healthy ? logger.info.bind(logger) : (m: string) => logger.error(m, service);
        log(`${service}: ${report.rollback.reason}.`);
        return false;
      }
    }
    if (now >= deadline) {
      if (phase === 'rollback') {
        closePhase(report, now, 'failed');
        report.rollback = {
          healthy: false,
          reason: `CodeDeploy's rollback did not end within ${formatDuration(options.timeoutMs)}`,
          by: 'codedeploy',
          pending: true,
        };
        logger.error(report.rollback.reason, service);
        return false;
      }
      return timedOut(codedeploy, deploymentId, report, options, context);
    }
    try {
      await heartbeat.sleep(Math.max(0, Math.min(options.pollIntervalMs, deadline - clock.now())), signal);
    } catch (error) {
      if (signal.aborted) return cancel(codedeploy, deploymentId, phase, report, context);
      throw error;
    }
  }
}

function pushed(report: ServiceReport, phase: ServiceReport['phases'][number]): ServiceReport['phases'][number] {
  report.phases.push(phase);
  return phase;
}

/** Whether CodeDeploy rolls this deployment back on its own (its auto-rollback covers what happened). */
function rollsBack(info: DeploymentInfo, stopped: boolean): boolean {
  const config = info.autoRollbackConfiguration;
  if (!config?.enabled) return false;
  const events = config.events ?? [];
  if (info.errorInformation?.code === 'ALARM_ACTIVE') return events.includes('DEPLOYMENT_STOP_ON_ALARM');
  return events.includes(stopped ? 'DEPLOYMENT_STOP_ON_REQUEST' : 'DEPLOYMENT_FAILURE');
}

/** The rollback deployment's id, which CodeDeploy may name a moment after the failure. */
async function rollbackOf(
  codedeploy: CodeDeployClient,
  deploymentId: string,
  clock: DeployContext['clock'],
  signal: AbortSignal,
): Promise<string | undefined> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const info = (await codedeploy.send(new GetDeploymentCommand({ deploymentId }), { abortSignal: signal }))
      .deploymentInfo;
    const id = info?.rollbackInfo?.rollbackDeploymentId;
    if (id) return id;
    await clock.sleep(1000, signal);
  }
  return undefined;
}

/** The rollback as ECS shows it: one PRIMARY task set, on the previous revision. */
async function confirmRollback(
  succeeded: boolean,
  rollbackId: string,
  p: PreparedService,
  options: DeployOptions,
  context: DeployContext,
): Promise<NonNullable<ServiceReport['rollback']>> {
  const previous = p.currentTaskDefinition;
  if (!succeeded) {
    return {
      healthy: false,
      taskDefinition: previous,
      reason: `CodeDeploy's rollback deployment ${rollbackId} did not succeed`,
      by: 'codedeploy',
    };
  }
  const answer = await context.ecs.send(
    new DescribeServicesCommand({ cluster: options.cluster, services: [p.service] }),
  );
  const sets = answer.services?.[0]?.taskSets ?? [];
  const primary = sets.find((s) => s.status === 'PRIMARY');
  const back = sets.length === 1 && primary?.taskDefinition === previous;
  return {
    healthy: back,
    taskDefinition: previous,
    reason: back
      ? `CodeDeploy's rollback deployment ${rollbackId} put ${revisionName(previous)} back: it is the only task set, with all the traffic`
      : `CodeDeploy's rollback deployment ${rollbackId} succeeded, but ECS lists ${sets.map((s) => `${s.status} ${revisionName(s.taskDefinition)}`).join(', ') || 'no task set'}`,
    by: 'codedeploy',
  };
}

/** Out of time: the deployment is stopped (with rollback when on-timeout says so), and the outcome reported. */
async function timedOut(
  codedeploy: CodeDeployClient,
  deploymentId: string,
  report: ServiceReport,
  options: DeployOptions,
  context: DeployContext,
): Promise<boolean> {
  const now = context.clock.now();
  closePhase(report, now, 'failed');
  const rollback = options.onTimeout === 'rollback';
  const stopped = await stop(codedeploy, deploymentId, rollback);
  Object.assign(report, {
    result: 'timed-out',
    finishedAt: now,
    reason: `not finished after ${formatDuration(options.timeoutMs)} (${report.stand ?? 'no progress reported'}); ${stopped}`,
  });
  context.logger.error(report.reason!, report.service);
  return false;
}

/** On SIGINT/SIGTERM: StopDeployment with auto-rollback before the step exits, and say so. */
async function cancel(
  codedeploy: CodeDeployClient,
  deploymentId: string,
  phase: 'rollout' | 'rollback',
  report: ServiceReport,
  context: DeployContext,
): Promise<true> {
  const now = context.clock.now();
  const what =
    phase === 'rollback'
      ? "CodeDeploy's rollback carries on without this job"
      : await stop(codedeploy, deploymentId, true);
  context.logger.info(`Cancelled: ${report.service}: ${what}.`);
  Object.assign(report, { result: 'cancelled', reason: `cancelled while deploying: ${what}`, finishedAt: now });
  closePhase(report, now, 'active');
  return true;
}

async function stop(codedeploy: CodeDeployClient, deploymentId: string, rollback: boolean): Promise<string> {
  try {
    const answer = await codedeploy.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: rollback }));
    const how = rollback ? 'with auto-rollback to the original task set' : 'without rollback';
    return `CodeDeploy deployment ${deploymentId} stopped ${how} (${answer.status ?? 'no status'}: ${answer.statusMessage ?? ''})`;
  } catch (error) {
    return `stopping CodeDeploy deployment ${deploymentId} failed (${describeAwsFailure(error)})`;
  }
}
