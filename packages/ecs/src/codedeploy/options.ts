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
  /**
   * How the caller names each of these in its messages, by the action's input name; by default the input itself
   * (`Input "codedeploy-application"`). The release config names its keys.
   */
  names?: Partial<Record<CodeDeployInput, string>>;
}

export type CodeDeployInput =
  'codedeploy-application' | 'codedeploy-deployment-group' | 'codedeploy-appspec' | 'codedeploy-smoke-checks';

/** An option as the caller's messages name it: `Input "codedeploy-application"`, or a release config key. */
export function optionLabel(options: CodeDeployOptions | undefined, input: CodeDeployInput): string {
  return options?.names?.[input] ?? `Input "${input}"`;
}

/** The CodeDeploy options of one service: its own (several services, as a release gives them), else the step's. */
export function codeDeployOptionsFor(
  options: { codeDeploy?: CodeDeployOptions; serviceCodeDeploy?: ReadonlyMap<string, CodeDeployOptions> },
  service: string,
): CodeDeployOptions | undefined {
  return options.serviceCodeDeploy?.get(service) ?? options.codeDeploy;
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

/**
 * Why a service cannot be deployed by this step with these options (its deployment controller), if it cannot. Several
 * services with CODE_DEPLOY ones among them are deployed when each has its own CodeDeploy options (the release
 * config gives them per service); the step's single set of codedeploy-* inputs names one service's application.
 */
export function controllerProblem(
  name: string,
  service: Service,
  options: {
    mode: string;
    services: readonly string[];
    rollbackTo: ReadonlyMap<string, string>;
    serviceCodeDeploy?: ReadonlyMap<string, CodeDeployOptions>;
    watchAfterMs?: number;
    wait?: boolean;
  },
): string | undefined {
  const type = service.deploymentController?.type ?? 'ECS';
  const own = options.serviceCodeDeploy?.get(name);
  if (type !== 'CODE_DEPLOY' && own && givesCodeDeployOptions(own)) {
    return `service "${name}" uses the ${type} deployment controller, but CodeDeploy options are given for it: remove them, or switch the service to CodeDeploy first`;
  }
  if (type === 'ECS') return undefined;
  if (type !== 'CODE_DEPLOY') {
    return `service "${name}" uses the ${type} deployment controller: this action rolls out services under the ECS and CODE_DEPLOY controllers; deploy EXTERNAL ones with their own tool`;
  }
  if (options.mode === 'rollback' && !options.rollbackTo.has(name)) {
    return `service "${name}" is deployed by CodeDeploy, which rolls back on its own during a deployment: to put an earlier revision back after one, name it in "rollback-to" (it goes back as a new CodeDeploy deployment)`;
  }
  if (options.services.length > 1 && !options.serviceCodeDeploy) {
    return `service "${name}" is deployed by CodeDeploy: deploy it in a step of its own (one CodeDeploy deployment per step)`;
  }
  // Its CodeDeploy deployment starts once the ECS services succeeded, which a step that does not wait never learns.
  if (options.services.length > 1 && options.wait === false) {
    return `service "${name}" is deployed by CodeDeploy after the other services succeed, which "wait: false" does not wait for: set wait to true, or deploy it in a step of its own`;
  }
  if (options.mode === 'deploy' && (options.watchAfterMs ?? 0) > 0) {
    return `service "${name}" is deployed by CodeDeploy, which watches its deployment group's alarms and rolls back on its own: "watch-minutes" does not watch it. Set watch-minutes to 0, or deploy the CodeDeploy services where no watch is asked for`;
  }
  return undefined;
}

function givesCodeDeployOptions(options: CodeDeployOptions): boolean {
  const { names: _names, ...given } = options;
  return Object.values(given).some((value) => value !== undefined);
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
