/**
 * The changes a deploy makes, in order: register every new revision, then update every service. A call that fails
 * for good (ECS refused it, or kept throttling it until the step's deadline) stops the changes there, and the
 * failure says which call, for which service, and what had already changed, so that nobody has to guess what state
 * the services were left in.
 */
import { UpdateServiceCommand, type DeploymentConfiguration, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { describeAwsFailure, type Logger } from '@ecs-ship/action-kit';
import { registerTaskDefinition } from '../taskdef/register.js';
import { revisionName } from './assess.js';
import type { PreparedService } from './prepare.js';
import { settingsRequest } from './service-settings.js';
import { withStrategy } from './strategy/index.js';
import type { DeployOptions } from './types.js';

/** What the changes did so far: the revisions registered and the services updated, in order. */
export interface Changes {
  registered: Map<string, string>;
  updated: { service: string; taskDefinition: string; answer: Service | undefined; at: number }[];
}

/** A change that could not be made, with the service it was for and the changes made before it. */
export class ChangeFailure extends Error {
  constructor(
    readonly service: string,
    message: string,
    cause: unknown,
  ) {
    super(message, { cause });
    this.name = 'ChangeFailure';
  }
}

/** Registers every new revision first, so that a refused registration leaves no service half-updated. */
export async function registerRevisions(
  ecs: ECSClient,
  toDeploy: readonly PreparedService[],
  changes: Changes,
  logger: Logger,
): Promise<void> {
  for (const p of toDeploy) {
    if (!p.definition) continue;
    try {
      const answer = await registerTaskDefinition(ecs, p.definition as never);
      const arn = answer.taskDefinition.taskDefinitionArn ?? '';
      changes.registered.set(p.service, arn);
      const how = answer.foundEarlierAttempt
        ? ' (its first answer was lost; the retry found it rather than register twice)'
        : '';
      logger.info(
        `${p.service}: registered ${revisionName(arn)}${how} (was ${revisionName(p.currentTaskDefinition)}).`,
      );
    } catch (error) {
      throw failure(
        p.service,
        `registering the new revision of ${revisionName(p.currentTaskDefinition)}`,
        error,
        changes,
      );
    }
  }
}

/** Updates one service to `taskDefinition`, with the circuit breaker on; the answer shows the new deployment. */
export async function updateService(
  ecs: ECSClient,
  p: PreparedService,
  taskDefinition: string,
  options: DeployOptions,
  changes: Changes,
  now: () => number,
): Promise<Service | undefined> {
  const at = now();
  try {
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
    changes.updated.push({ service: p.service, taskDefinition, answer: answer.service, at });
    return answer.service;
  } catch (error) {
    throw failure(p.service, `updating the service to ${revisionName(taskDefinition)}`, error, changes);
  }
}

function failure(service: string, doing: string, error: unknown, changes: Changes): ChangeFailure {
  return new ChangeFailure(
    service,
    `${doing} failed (${describeAwsFailure(error)}). ${describeChanges(changes)}`,
    error,
  );
}

/** What had changed in ECS when the deploy stopped, in one sentence. */
export function describeChanges(changes: Changes): string {
  const registered = [...changes.registered].map(([service, arn]) => `${revisionName(arn)} for ${service}`);
  const updated = changes.updated.map((u) => `${u.service} (to ${revisionName(u.taskDefinition)})`);
  if (registered.length === 0 && updated.length === 0) return 'Nothing had been changed in ECS.';
  const parts = [
    registered.length > 0 ? `registered ${registered.join(', ')}` : 'no revision registered',
    updated.length > 0
      ? `updated ${updated.join(', ')}, whose deployments ECS carries on without this step`
      : 'no service updated yet',
  ];
  return `Already changed: ${parts.join('; ')}.`;
}

/** The breaker is switched on every time, keeping the service's other deployment settings; a strategy chosen for
 *  the deploy replaces the service's. With `pauseAlarmMonitoring` the deployment this update starts runs without
 *  its alarms (ECS captures the configuration per deployment), the alarm names and rollback kept for the restore. */
export function deploymentConfiguration(service: Service, options: DeployOptions): DeploymentConfiguration {
  const current = service.deploymentConfiguration ?? {};
  const rollback = options.circuitBreaker === 'rollback';
  const alarms = options.alarms.length > 0 ? { alarmNames: options.alarms, enable: true, rollback } : current.alarms;
  return withStrategy(
    {
      ...current,
      deploymentCircuitBreaker: { ...current.deploymentCircuitBreaker, enable: true, rollback },
      ...(alarms ? { alarms: options.pauseAlarmMonitoring ? { ...alarms, enable: false } : alarms } : {}),
    },
    options.strategy,
  );
}
