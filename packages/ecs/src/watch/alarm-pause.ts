/**
 * The alarms the services' own deployments monitor, paused for the watch's rollback and put back after it.
 *
 * When the watch breaches, the alarm that tripped it is often one the services' deployments monitor
 * (`deploymentConfiguration.alarms`), and it is still in ALARM while the bad revision drains: a rollback deployment
 * that monitored it would be failed by ECS too (and rolled back onto the bad revision). So the rollback's
 * UpdateService switches alarm monitoring off for that deployment (ECS records the configuration per service
 * deployment; the circuit breaker stays on), and once the rollback is over each service gets its own alarms back with
 * an UpdateService that changes only `deploymentConfiguration`, which starts no deployment (botocore's UpdateService
 * model: "This parameter doesn't trigger a new service deployment"). A service whose restore fails is named with
 * the command that restores it: alarm monitoring is never left off silently.
 */
import {
  DescribeServicesCommand,
  UpdateServiceCommand,
  type DeploymentAlarms,
  type DeploymentConfiguration,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { describeAwsFailure } from '@ecs-ship/action-kit';

/** How the pause went: the services whose rollback ran without alarm monitoring, and which got it back. */
export interface AlarmPause {
  services: string[];
  startedAt: number;
  restored: string[];
  restoredAt?: number;
  /** Services left with alarm monitoring off: why, and the command that restores it. */
  left: { service: string; problem: string; restore: string }[];
}

/** Each service's deployment configuration, read before the rollback (one DescribeServices per 10 services). */
export async function readDeploymentConfigurations(
  ecs: ECSClient,
  cluster: string,
  services: readonly string[],
  signal: AbortSignal,
): Promise<Map<string, DeploymentConfiguration>> {
  const configurations = new Map<string, DeploymentConfiguration>();
  for (let i = 0; i < services.length; i += 10) {
    const answer = await ecs.send(new DescribeServicesCommand({ cluster, services: services.slice(i, i + 10) }), {
      abortSignal: signal,
    });
    for (const service of answer.services ?? []) {
      if (service.serviceName) configurations.set(service.serviceName, service.deploymentConfiguration ?? {});
    }
  }
  return configurations;
}

/** The alarms of the services whose deployments monitor them (alarms.enable), each name once. */
export function monitoredAlarmNames(configurations: ReadonlyMap<string, DeploymentConfiguration>): string[] {
  const names = new Set<string>();
  for (const configuration of configurations.values()) {
    if (configuration.alarms?.enable) for (const name of configuration.alarms.alarmNames ?? []) names.add(name);
  }
  return [...names];
}

/** The services among `services` whose alarm monitoring is on: their rollback pauses it. */
export function servicesToPause(
  services: readonly string[],
  configurations: ReadonlyMap<string, DeploymentConfiguration>,
): string[] {
  return services.filter((s) => configurations.get(s)?.alarms?.enable);
}

/**
 * Puts each service's alarms back as they were before the rollback: the service's current deployment configuration
 * (read again, so that nothing else set since is undone) with the original `alarms`. `skip` names services not to
 * touch (their rollback is still under way) with the reason.
 */
export async function restoreAlarmMonitoring(
  ecs: ECSClient,
  cluster: string,
  originals: ReadonlyMap<string, DeploymentConfiguration>,
  pause: AlarmPause,
  skip: ReadonlyMap<string, string>,
  now: () => number,
  signal: AbortSignal,
): Promise<void> {
  const toRestore = pause.services.filter((s) => !skip.has(s));
  for (const [service, problem] of skip) leavePaused(pause, cluster, service, originals, problem);
  let current = new Map<string, DeploymentConfiguration>();
  try {
    current = await readDeploymentConfigurations(ecs, cluster, toRestore, signal);
  } catch (error) {
    for (const service of toRestore) {
      leavePaused(pause, cluster, service, originals, `reading it back failed (${describeAwsFailure(error)})`);
    }
    return;
  }
  for (const service of toRestore) {
    const original = originals.get(service)!;
    const configured = current.get(service);
    if (!configured) {
      leavePaused(pause, cluster, service, originals, 'DescribeServices did not return it');
      continue;
    }
    try {
      if (!sameAlarms(configured.alarms, original.alarms)) {
        await ecs.send(
          new UpdateServiceCommand({
            cluster,
            service,
            deploymentConfiguration: { ...configured, alarms: original.alarms },
          }),
          { abortSignal: signal },
        );
      }
      pause.restored.push(service);
    } catch (error) {
      leavePaused(pause, cluster, service, originals, `UpdateService failed (${describeAwsFailure(error)})`);
    }
  }
  pause.restoredAt = now();
}

function sameAlarms(a: DeploymentAlarms | undefined, b: DeploymentAlarms | undefined): boolean {
  return (
    a?.enable === b?.enable &&
    a?.rollback === b?.rollback &&
    JSON.stringify(a?.alarmNames ?? []) === JSON.stringify(b?.alarmNames ?? [])
  );
}

/** Records a service as left with alarm monitoring off: why, and the command that restores it. */
export function leavePaused(
  pause: AlarmPause,
  cluster: string,
  service: string,
  originals: ReadonlyMap<string, DeploymentConfiguration>,
  problem: string,
): void {
  pause.left.push({ service, problem, restore: restoreCommand(cluster, service, originals.get(service) ?? {}) });
}

/** The AWS CLI command that puts a service's deployment configuration back as it was, alarms included. */
function restoreCommand(cluster: string, service: string, configuration: DeploymentConfiguration): string {
  return `aws ecs update-service --cluster ${cluster} --service ${service} --deployment-configuration '${JSON.stringify(configuration)}'`;
}

/** One sentence on the pause for the log, `failure-reason` and the summary. */
export function describePause(pause: AlarmPause): string {
  const paused = `Alarm monitoring of ${pause.services.join(', ')} was paused for the rollback`;
  if (pause.left.length === 0) return `${paused} and restored.`;
  const restored = pause.restored.length > 0 ? ` and restored for ${pause.restored.join(', ')}` : '';
  const left = pause.left.map((l) => `${l.service} (${l.problem})`).join(', ');
  return `${paused}${restored}; it is still OFF for ${left}: restore it with the command given in the log and the summary, or in the console (the service, Update, Deployment failure detection, Use CloudWatch alarms).`;
}
