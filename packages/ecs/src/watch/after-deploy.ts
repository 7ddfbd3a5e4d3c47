/**
 * A deploy followed by the watch after it (`watch-minutes`): once every service has succeeded, the alarms their
 * deployments monitor and the `watch-metrics` thresholds are watched for that long. A breach puts every service this
 * deploy changed back on its previous revision the way `mode: rollback` does (each service its own previous
 * revision, so its own previous images), waits until they are healthy, and fails the deploy naming what crossed its
 * line. Cancelled during the watch: the deploy itself succeeded and nothing is rolled back.
 */
import type { DeploymentConfiguration } from '@aws-sdk/client-ecs';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CancelledError, describeAwsFailure, formatDuration } from '@ecs-ship/action-kit';
import { revisionName } from '../deploy/assess.js';
import { deployServices, overallResult } from '../deploy/engine.js';
import type { DeployContext, DeployOptions, DeployReport, ServiceReport } from '../deploy/types.js';
import {
  describePause,
  monitoredAlarmNames,
  readDeploymentConfigurations,
  leavePaused,
  restoreAlarmMonitoring,
  servicesToPause,
  type AlarmPause,
} from './alarm-pause.js';
import { watchAfterDeploy, type WatchReport } from './watch.js';

export interface WatchingContext extends DeployContext {
  /** The CloudWatch client, made on first use: only a deploy with `watch-minutes` needs one. */
  cloudwatch?: () => Promise<CloudWatchClient>;
}

export async function deployAndWatch(options: DeployOptions, context: WatchingContext): Promise<DeployReport> {
  const report = await deployServices(options, context);
  const durationMs = options.watchAfterMs ?? 0;
  if (durationMs <= 0 || options.mode !== 'deploy' || report.result !== 'succeeded') return report;
  const deployed = report.services.filter((s) => s.result === 'succeeded');
  if (!context.cloudwatch) throw new Error('watch-minutes needs a CloudWatch client');
  const cloudwatch = await context.cloudwatch();

  // The services' deployment configurations as the deploy left them: the alarms to watch, and to put back after a
  // rollback that paused them.
  let configurations: Map<string, DeploymentConfiguration>;
  try {
    configurations = await readDeploymentConfigurations(
      context.ecs,
      options.cluster,
      deployed.map((s) => s.service),
      context.signal,
    );
  } catch (error) {
    if (context.signal.aborted) return cancelledWatch(report, undefined, context);
    return unreadWatch(report, describeAwsFailure(error), context);
  }
  const watch = await watchAfterDeploy(
    {
      durationMs,
      alarms: monitoredAlarmNames(configurations),
      metrics: options.watchMetrics ?? [],
      pollIntervalMs: options.pollIntervalMs,
    },
    cloudwatch,
    context,
  );
  report.watch = watch;
  for (const s of deployed) {
    s.phases.push({
      label: 'watch after the deploy',
      start: watch.startedAt,
      end: watch.finishedAt,
      outcome: watch.outcome === 'breached' ? 'failed' : watch.outcome === 'held' ? 'ok' : 'active',
    });
  }
  report.finishedAt = context.clock.now();
  if (watch.outcome === 'held') return report;
  if (watch.outcome === 'cancelled') return cancelledWatch(report, watch, context);
  if (watch.outcome === 'unread') return unreadWatch(report, watch.problem ?? 'unknown', context);
  return rollBackAfterBreach(report, watch, options, configurations, context);
}

async function rollBackAfterBreach(
  report: DeployReport,
  watch: WatchReport,
  options: DeployOptions,
  configurations: ReadonlyMap<string, DeploymentConfiguration>,
  context: DeployContext,
): Promise<DeployReport> {
  const breach = watch.breach!;
  const { logger } = context;
  // A service redeployed on the revision it already ran has nothing earlier to go back to.
  const targets = report.services.filter(
    (s) => s.result === 'succeeded' && s.previousTaskDefinition && s.previousTaskDefinition !== s.taskDefinition,
  );
  logger.error(
    `After the deploy, ${breach.sentence}. Rolling ${targets.map((s) => s.service).join(', ') || 'nothing'} back to the previous revision.`,
    'Watch after the deploy',
  );
  const paused = servicesToPause(
    targets.map((s) => s.service),
    configurations,
  );
  const pause: AlarmPause | undefined =
    paused.length > 0 ? { services: paused, startedAt: context.clock.now(), restored: [], left: [] } : undefined;
  if (pause) {
    logger.info(
      `Pausing the alarm monitoring of ${paused.join(', ')} for the rollback: an alarm still in ALARM would make ECS fail the rollback too. The circuit breaker stays on; the alarms are put back once the rollback is over.`,
    );
  }
  let rollback: DeployReport | undefined;
  let problem: string | undefined;
  if (targets.length > 0) {
    try {
      rollback = await deployServices({ ...rollbackOptions(options, targets), pauseAlarmMonitoring: !!pause }, context);
    } catch (error) {
      if (context.signal.aborted) {
        // Cancelled before the rollback changed anything (CancelledError): no alarm was paused yet.
        if (pause && !(error instanceof CancelledError)) {
          for (const service of pause.services) {
            leavePaused(pause, options.cluster, service, configurations, 'the job was cancelled during the rollback');
          }
          sayLeftPaused(pause, context);
        }
        throw error;
      }
      problem = describeAwsFailure(error);
      logger.error(`Could not roll back: ${problem}`);
    }
  }
  for (const s of targets) {
    const back = rollback?.services.find((r) => r.service === s.service);
    s.result = 'rolled-back';
    s.reason = `after the deploy, ${breach.sentence}`;
    s.rollback = rollbackOutcome(s, back, problem);
    if (back) {
      s.phases.push(...back.phases.map((p) => ({ ...p, label: `rollback: ${p.label}` })));
      s.events.push(...back.events);
    }
  }
  if (pause) {
    watch.alarmPause = pause;
    await restoreAfterRollback(pause, targets, options.cluster, configurations, context);
  }
  report.result = overallResult(report.services);
  const outcomes = targets.map((s) => `${s.service}: ${s.rollback!.reason}`).join('; ');
  const pauseNote = pause ? ` ${describePause(pause)}` : '';
  report.failureReason = `After the deploy, ${breach.sentence}; every service this deploy changed was rolled back (${outcomes || 'none to roll back'}).${pauseNote}`;
  report.finishedAt = context.clock.now();
  return report;
}

/**
 * Once the rollback is over, each paused service gets its alarms back; one whose rollback is still under way (out of
 * time, or cancelled) is left paused, since monitoring an alarm still in ALARM could fail it, and is named with the
 * command that restores it. Each paused service's timeline shows the pause.
 */
async function restoreAfterRollback(
  pause: AlarmPause,
  targets: ServiceReport[],
  cluster: string,
  configurations: ReadonlyMap<string, DeploymentConfiguration>,
  context: DeployContext,
): Promise<void> {
  const skip = new Map<string, string>();
  for (const s of targets) {
    if (!pause.services.includes(s.service)) continue;
    if (context.signal.aborted) skip.set(s.service, 'the job was cancelled during the rollback');
    else if (s.rollback?.pending) skip.set(s.service, 'its rollback is still under way');
  }
  await restoreAlarmMonitoring(context.ecs, cluster, configurations, pause, skip, context.clock.now, context.signal);
  const end = pause.restoredAt ?? context.clock.now();
  for (const s of targets) {
    if (!pause.services.includes(s.service)) continue;
    const restored = pause.restored.includes(s.service);
    s.phases.push({
      label: restored ? 'alarm monitoring paused' : 'alarm monitoring off',
      start: pause.startedAt,
      ...(restored ? { end } : {}),
      outcome: restored ? 'ok' : 'failed',
    });
  }
  if (pause.restored.length > 0) {
    context.logger.info(`Alarm monitoring of ${pause.restored.join(', ')} restored (no new deployment).`);
  }
  sayLeftPaused(pause, context);
}

/** Each service left with alarm monitoring off, with the command that restores it: an error annotation apiece. */
function sayLeftPaused(pause: AlarmPause, context: DeployContext): void {
  for (const left of pause.left) {
    context.logger.error(
      `${left.service}: alarm monitoring is still OFF (${left.problem}). Restore it with: ${left.restore}`,
      'Alarm monitoring not restored',
    );
  }
}

/** The options of `mode: rollback` for the services to put back, each on its own previous revision. */
function rollbackOptions(options: DeployOptions, targets: ServiceReport[]): DeployOptions {
  return {
    ...options,
    mode: 'rollback',
    services: targets.map((s) => s.service),
    rollbackTo: new Map(targets.map((s) => [s.service, s.previousTaskDefinition!])),
    templates: undefined,
    images: new Map(),
    serviceImages: undefined,
    imageForEssentialContainer: undefined,
    serviceImageForEssentialContainer: undefined,
    environment: new Map(),
    secrets: undefined,
    serviceSettings: undefined,
    desiredCount: undefined,
    forceNewDeployment: false,
    wait: true,
    waitForRollback: true,
    // A rollback that does not come back is reported as such; nothing rolls a rollback back.
    onTimeout: 'fail',
    rollbackOthersOnFailure: false,
    // The previous revision goes back with the strategy the service has by then, as a release's rollback does.
    strategy: undefined,
    watchAfterMs: 0,
  };
}

function rollbackOutcome(
  s: ServiceReport,
  back: ServiceReport | undefined,
  problem: string | undefined,
): NonNullable<ServiceReport['rollback']> {
  const previous = revisionName(s.previousTaskDefinition);
  if (!back) {
    return {
      healthy: false,
      taskDefinition: s.previousTaskDefinition,
      reason: `could not put ${previous} back: ${problem}`,
      by: 'step',
    };
  }
  if (back.result === 'succeeded' || back.result === 'unchanged') {
    return {
      healthy: true,
      taskDefinition: back.taskDefinition,
      reason: `${previous} is back and healthy`,
      by: 'step',
    };
  }
  const pending = back.result === 'started' || back.result === 'timed-out' || back.result === 'cancelled';
  return {
    healthy: false,
    taskDefinition: s.previousTaskDefinition,
    reason: `the rollback to ${previous} ended ${back.result}${back.reason ? `: ${back.reason}` : ''}`,
    by: 'step',
    ...(pending ? { pending: true } : {}),
  };
}

function cancelledWatch(report: DeployReport, watch: WatchReport | undefined, context: DeployContext): DeployReport {
  const watched = watch ? ` after ${formatDuration(watch.finishedAt - watch.startedAt)} of it` : '';
  report.result = 'cancelled';
  report.failureReason = `Cancelled during the watch after the deploy${watched}: the deploy itself succeeded (every service is healthy on its new revision) and nothing was rolled back.`;
  context.logger.info(report.failureReason);
  report.finishedAt = context.clock.now();
  return report;
}

function unreadWatch(report: DeployReport, problem: string, context: DeployContext): DeployReport {
  report.result = 'failed';
  report.failureReason = `Could not read CloudWatch to watch after the deploy (${problem}): the deploy itself succeeded and nothing was rolled back.`;
  context.logger.error(report.failureReason, 'Watch after the deploy');
  report.finishedAt = context.clock.now();
  return report;
}
