/**
 * How a service under the CODE_DEPLOY deployment controller is deployed: through a CodeDeploy deployment of its
 * application and deployment group (named as the official action names them by default), rather than UpdateService.
 */
import type { Service } from '@aws-sdk/client-ecs';
import type { Check, ProbeSettings } from '@ecs-ship/probe';
import type { AppSpecFile } from './appspec.js';

export interface CodeDeployOptions {
  /** `codedeploy-application`; default `AppECS-<cluster>-<service>`. */
  application?: string;
  /** `codedeploy-deployment-group`; default `DgpECS-<cluster>-<service>`. */
  deploymentGroup?: string;
  /** `codedeploy-appspec`: the file, parsed; without it the AppSpec is made from the service's load balancer. */
  appSpec?: AppSpecFile;
  /** `codedeploy-deployment-config`; default: the deployment group's. */
  deploymentConfig?: string;
  /** `codedeploy-deployment-description`. */
  description?: string;
  /**
   * Smoke checks run against the test listener while the deployment waits for a go-ahead (a deployment group whose
   * deploymentReadyOption is STOP_DEPLOYMENT): they pass, ContinueDeployment; they fail, StopDeployment with rollback.
   */
  smoke?: { checks: Check[]; settings: ProbeSettings };
}

export function applicationName(cluster: string, service: string, options: CodeDeployOptions | undefined): string {
  return options?.application || `AppECS-${cluster}-${service}`;
}

export function deploymentGroupName(cluster: string, service: string, options: CodeDeployOptions | undefined): string {
  return options?.deploymentGroup || `DgpECS-${cluster}-${service}`;
}

export function usesCodeDeploy(service: Service): boolean {
  return service.deploymentController?.type === 'CODE_DEPLOY';
}

/** Why a service cannot be deployed by this step with these options (its deployment controller), if it cannot. */
export function controllerProblem(
  name: string,
  service: Service,
  options: { mode: string; services: readonly string[] },
): string | undefined {
  const type = service.deploymentController?.type ?? 'ECS';
  if (type === 'ECS') return undefined;
  if (type !== 'CODE_DEPLOY') {
    return `service "${name}" uses the ${type} deployment controller: this action rolls out services under the ECS and CODE_DEPLOY controllers; deploy EXTERNAL ones with their own tool`;
  }
  if (options.mode === 'rollback') {
    return `service "${name}" is deployed by CodeDeploy, which rolls back on its own: to put an earlier revision back, deploy its task definition with "mode: deploy"`;
  }
  if (options.services.length > 1) {
    return `service "${name}" is deployed by CodeDeploy: deploy it in a step of its own (one CodeDeploy deployment per step)`;
  }
  return undefined;
}

/** `mode: plan`: what a CodeDeploy deployment of the service would do, in a sentence. */
export function describeCodeDeployPlan(
  cluster: string,
  service: string,
  running: string,
  options: CodeDeployOptions | undefined,
): string {
  const where = `${applicationName(cluster, service, options)}/${deploymentGroupName(cluster, service, options)}`;
  const config = options?.deploymentConfig ?? "the deployment group's configuration";
  const checks = options?.smoke
    ? `; ${options.smoke.checks.length} smoke check(s) on the test listener decide whether production traffic moves`
    : '';
  return `CodeDeploy blue/green through ${where}: the new revision is installed beside ${running} as a replacement task set, then ${config} moves the test and production traffic to it${checks}.`;
}
