/**
 * Each service the engine watches: the deployment its update started, told apart from the one it replaced by
 * deployment id (never by task definition alone), and its report as it fills in.
 */
import type { Service } from '@aws-sdk/client-ecs';
import { usesCodeDeploy } from '../codedeploy/options.js';
import { deploymentConfiguration, type Changes } from './apply.js';
import { revisionName, type Assessment, type WatchTarget } from './assess.js';
import type { PreparedService } from './prepare.js';
import { settingsLine } from './service-settings.js';
import type { ServiceDeploymentView, ServiceSnapshot } from './snapshot.js';
import { strategyOf } from './strategy/index.js';
import type { DeployContext, DeployOptions, ServiceReport } from './types.js';

/** What the engine tracks per service while it watches. */
export interface Watched {
  target: WatchTarget;
  /** `deploy`: our rollout; `restore`: the previous revision we put back (after a timeout, or another service's failure). */
  kind: 'deploy' | 'restore';
  report: ServiceReport;
  last?: Assessment;
  /** The service's PRIMARY deployment and service-deployment ARN before our update. */
  before: Before;
  /** The update should create a deployment (a new revision, or forced); a count change alone does not. */
  expectsNew: boolean;
  /** Our service-deployment record at the last poll. */
  record?: ServiceDeploymentView;
}

export interface Before {
  primaryId?: string;
  serviceDeploymentArn?: string;
}

/** The report and watch target of a service just updated to `taskDefinition`. */
export function startWatching(
  p: PreparedService,
  report: ServiceReport,
  taskDefinition: string,
  answer: Service | undefined,
  changes: Changes,
  options: DeployOptions,
  context: DeployContext,
): Watched {
  const updatedAt = changes.updated.at(-1)?.at ?? context.clock.now();
  const before: Before = {
    primaryId: p.described.deployments?.find((d) => d.status === 'PRIMARY')?.id,
    serviceDeploymentArn: p.described.currentServiceDeployment,
  };
  const settings = p.diff.filter((change) => change.path.startsWith('service.'));
  if (settings.length > 0) context.logger.info(`${p.service}: service settings changed: ${settingsLine(settings)}.`);
  const expectsNew = p.changed || options.forceNewDeployment || p.settingsStartDeployment;
  const started = startedDeployment(before, answer, taskDefinition, expectsNew);
  Object.assign(report, {
    result: options.wait ? 'in-progress' : 'started',
    taskDefinition,
    deploymentId: started.id,
    serviceDeploymentArn: started.arn,
    startedAt: updatedAt,
  } satisfies Partial<ServiceReport>);
  report.phases.push({ label: `deploy ${revisionName(taskDefinition)}`, start: updatedAt, outcome: 'active' });
  context.logger.info(
    `${p.service}: deployment ${started.id ?? '(id not reported)'} started with ${revisionName(taskDefinition)}${options.desiredCount !== undefined ? `, desired count ${options.desiredCount}` : ''}.`,
  );
  const deadline = updatedAt + options.timeoutMs;
  context.deadline?.extendTo(deadline);
  return {
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
      deadline,
    },
  };
}

export function initialReport(p: PreparedService, options: DeployOptions): ServiceReport {
  return {
    service: p.service,
    serviceArn: p.described.serviceArn,
    strategy: usesCodeDeploy(p.described) ? 'CODE_DEPLOY' : strategyOf(deploymentConfiguration(p.described, options)),
    result: options.mode === 'plan' ? 'planned' : 'unchanged',
    previousTaskDefinition: p.currentTaskDefinition,
    taskDefinition: p.currentTaskDefinition,
    images: p.images,
    diff: p.diff,
    events: [],
    phases: [],
  };
}

/** Ends the open phases (the deployment's, and the lifecycle stage it was in). */
export function closePhase(report: ServiceReport, end: number, outcome: 'ok' | 'failed' | 'active'): void {
  for (const phase of report.phases) if (phase.end === undefined) Object.assign(phase, { end, outcome });
}

/** Where a watched service stands, for its heartbeat line: `web: deploying: 3/6 new tasks running, …`. */
export function standLine(w: Watched): string {
  const doing =
    w.kind === 'restore'
      ? `putting ${revisionName(w.target.taskDefinition)} back`
      : w.target.phase === 'rollback'
        ? 'rolling back'
        : 'deploying';
  return `${w.target.service}: ${doing}: ${w.report.stand ?? 'waiting for ECS to list the deployment'}`;
}

/**
 * The deployment our UpdateService created, from its answer: the new PRIMARY and its service-deployment ARN. Either
 * is left unknown when the answer still shows the old one, so that the old deployment is never taken for ours.
 */
export function startedDeployment(
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
export function identify(w: Watched, snapshot: ServiceSnapshot): boolean {
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
