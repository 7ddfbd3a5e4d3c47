// The deploy's outputs: what the ecs-deploy-with-circuit-breaker action gives later steps, and what the release
// pipeline hands its Slack message, from one report.
import { serviceState } from './fate.js';
import type { DeployReport, ServiceReport } from './types.js';

/** One service's entry of the `service-states` output. */
export interface ServiceStateOutput {
  /** How this run's deployment ended (the service's result). */
  result: ServiceReport['result'];
  /** Where the service stands when the step ends: healthy, deploying, rolling-back, failed, unchanged or unknown. */
  state: string;
  /** The task definition it runs, or is moving to (ARN). */
  'task-definition'?: string;
  /** Who rolled it back: `ecs` (circuit breaker or alarms) or `step` (on-timeout or rollback-others-on-failure). */
  'rolled-back-by'?: 'ecs' | 'step' | 'codedeploy';
  'service-arn'?: string;
  /** One sentence for people. */
  detail: string;
}

export interface DeployOutputs {
  result: DeployReport['result'];
  'failure-reason': string;
  /** The task definition each service now runs (or would, in plan mode), by service. */
  'task-definition-arns': Record<string, string>;
  /** The task definition each service ran before, by service: what a rollback step takes as `rollback-to`. */
  'previous-task-definition-arns': Record<string, string>;
  'deployment-ids': Record<string, string>;
  /** The deployment strategy of each service (ROLLING, BLUE_GREEN, LINEAR, CANARY), as deployed or planned. */
  strategies: Record<string, string>;
  /** The last lifecycle stage ECS reported for each blue/green, linear or canary deployment. */
  'lifecycle-stages': Record<string, string>;
  /** Whether any service got a new deployment. */
  changed: boolean;
  /** Every service's outcome and where it stands when the step ends, by service. */
  'service-states': Record<string, ServiceStateOutput>;
  /** How the watch after the deploy ended (held, breached, cancelled, unread); empty when there was none. */
  'watch-result': string;
}

export function deployOutputs(report: DeployReport): DeployOutputs {
  const byService = (pick: (service: ServiceReport) => string | undefined): Record<string, string> =>
    Object.fromEntries(
      report.services.flatMap((service) => {
        const value = pick(service);
        return value ? [[service.service, value]] : [];
      }),
    );
  return {
    result: report.result,
    'failure-reason': report.failureReason ?? '',
    'task-definition-arns': byService((service) => service.taskDefinition),
    'previous-task-definition-arns': byService((service) => service.previousTaskDefinition),
    'deployment-ids': byService((service) => service.deploymentId),
    strategies: byService((service) => service.strategy),
    'lifecycle-stages': byService((service) => service.lifecycleStage),
    changed: report.services.some((service) => service.deploymentId !== undefined),
    'service-states': Object.fromEntries(report.services.map((service) => [service.service, stateOutput(service)])),
    'watch-result': report.watch?.outcome ?? '',
  };
}

function stateOutput(service: ServiceReport): ServiceStateOutput {
  const now = serviceState(service);
  return {
    result: service.result,
    state: now.state,
    ...(now.taskDefinition ? { 'task-definition': now.taskDefinition } : {}),
    ...(now.rolledBackBy ? { 'rolled-back-by': now.rolledBackBy } : {}),
    ...(service.serviceArn ? { 'service-arn': service.serviceArn } : {}),
    detail: now.detail,
  };
}
