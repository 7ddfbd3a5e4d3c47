/**
 * A deploy followed by the watch after it (`watch-minutes`): once every service has succeeded, the alarms their
 * deployments monitor and the `watch-metrics` thresholds are watched for that long. A breach puts every service this
 * deploy changed back on its previous revision the way `mode: rollback` does (each service its own previous
 * revision, so its own previous images), waits until they are healthy, and fails the deploy naming what crossed its
 * line. Cancelled during the watch: the deploy itself succeeded and nothing is rolled back.
 */
import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { describeAwsFailure, formatDuration } from '@ecs-ship/action-kit';
import { revisionName } from '../deploy/assess.js';
import { deployServices, overallResult } from '../deploy/engine.js';
import type { DeployContext, DeployOptions, DeployReport, ServiceReport } from '../deploy/types.js';
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

  let alarms: string[];
  try {
    alarms = await monitoredAlarms(
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
    { durationMs, alarms, metrics: options.watchMetrics ?? [], pollIntervalMs: options.pollIntervalMs },
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
  return rollBackAfterBreach(report, watch, options, context);
}

/** The alarms the deployed services' deployments monitor (deploymentConfiguration.alarms, when enabled). */
async function monitoredAlarms(
  ecs: ECSClient,
  cluster: string,
  services: string[],
  signal: AbortSignal,
): Promise<string[]> {
  const names = new Set<string>();
  for (let i = 0; i < services.length; i += 10) {
    const answer = await ecs.send(new DescribeServicesCommand({ cluster, services: services.slice(i, i + 10) }), {
      abortSignal: signal,
    });
    for (const service of answer.services ?? []) {
      const alarms = service.deploymentConfiguration?.alarms;
      if (alarms?.enable) for (const name of alarms.alarmNames ?? []) names.add(name);
    }
  }
  return [...names];
}

async function rollBackAfterBreach(
  report: DeployReport,
  watch: WatchReport,
  options: DeployOptions,
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
  let rollback: DeployReport | undefined;
  let problem: string | undefined;
  if (targets.length > 0) {
    try {
      rollback = await deployServices(rollbackOptions(options, targets), context);
    } catch (error) {
      if (context.signal.aborted) throw error;
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
  report.result = overallResult(report.services);
  const outcomes = targets.map((s) => `${s.service}: ${s.rollback!.reason}`).join('; ');
  report.failureReason = `After the deploy, ${breach.sentence}; every service this deploy changed was rolled back (${outcomes || 'none to roll back'}).`;
  report.finishedAt = context.clock.now();
  return report;
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
