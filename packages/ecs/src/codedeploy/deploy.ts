/**
 * Deploying a service under the CODE_DEPLOY deployment controller: check its CodeDeploy application and deployment
 * group (read only), register the new revision, create the CodeDeploy deployment with the AppSpec, and follow it
 * (./follow.ts) into the same report, outputs, summary and timeline as an ECS rollout.
 */
import { createHash } from 'node:crypto';
import {
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  type CodeDeployClient,
  type DeploymentGroupInfo,
} from '@aws-sdk/client-codedeploy';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { UserError, describeAwsFailure } from '@ecs-ship/action-kit';
import { ChangeFailure, describeChanges, registerRevisions, type Changes } from '../deploy/apply.js';
import { revisionName } from '../deploy/assess.js';
import type { PreparedService } from '../deploy/prepare.js';
import { settingsRequest } from '../deploy/service-settings.js';
import type { DeployContext, DeployOptions, ServiceReport } from '../deploy/types.js';
import { appSpecFor } from './appspec.js';
import { followDeployment } from './follow.js';
import { applicationName, deploymentGroupName, optionLabel, type CodeDeployInput } from './options.js';

/**
 * Deploys one CODE_DEPLOY service; the report fills in as it goes. A change that fails for good is reported with
 * what had changed before it. Returns true when the job was cancelled.
 */
export async function deployOrSayWhatChanged(
  p: PreparedService,
  groupInfo: DeploymentGroupInfo,
  report: ServiceReport,
  options: DeployOptions,
  context: DeployContext,
): Promise<boolean> {
  try {
    return await deployThroughCodeDeploy(p, groupInfo, report, options, context);
  } catch (error) {
    if (!(error instanceof ChangeFailure)) throw error;
    Object.assign(report, { result: 'failed', reason: error.message, finishedAt: context.clock.now() });
    context.logger.error(error.message, error.service);
    return false;
  }
}

async function deployThroughCodeDeploy(
  p: PreparedService,
  groupInfo: DeploymentGroupInfo,
  report: ServiceReport,
  options: DeployOptions,
  context: DeployContext,
): Promise<boolean> {
  const { ecs, logger, clock } = context;
  const codedeploy = await codeDeployClient(context);
  const application = applicationName(options.cluster, p.service, options.codeDeploy);
  const group = deploymentGroupName(options.cluster, p.service, options.codeDeploy);

  const changes: Changes = { registered: new Map(), updated: [] };
  let deploymentId: string;
  let taskDefinition: string;
  try {
    await registerRevisions(ecs, [p], changes, logger);
    // rollback mode: a new CodeDeploy deployment of the revision the service ran before.
    taskDefinition = changes.registered.get(p.service) ?? p.rollbackTarget ?? p.currentTaskDefinition;
    const settings = settingsRequest(options.serviceSettings);
    if (Object.values(settings).some((value) => value !== undefined)) {
      await ecs.send(new UpdateServiceCommand({ cluster: options.cluster, service: p.service, ...settings }));
      logger.info(
        `${p.service}: service settings applied (${Object.keys(settings)
          .filter((k) => settings[k as keyof typeof settings] !== undefined)
          .join(', ')}).`,
      );
    }
    deploymentId = await createDeployment(codedeploy, {
      application,
      group,
      content: appSpecFor(p.described, taskDefinition, options.codeDeploy?.appSpec),
      config: options.codeDeploy?.deploymentConfig,
      description: options.codeDeploy?.description,
    });
  } catch (error) {
    if (error instanceof ChangeFailure) throw error;
    throw new ChangeFailure(
      p.service,
      `creating the CodeDeploy deployment in ${application}/${group} failed (${describeAwsFailure(error)}). ${describeChanges(changes)}`,
      error,
    );
  }

  const startedAt = clock.now();
  Object.assign(report, {
    result: options.wait ? 'in-progress' : 'started',
    taskDefinition,
    deploymentId,
    startedAt,
  } satisfies Partial<ServiceReport>);
  const config = options.codeDeploy?.deploymentConfig ?? groupInfo.deploymentConfigName ?? 'the group’s configuration';
  logger.info(
    `${p.service}: CodeDeploy deployment ${deploymentId} started in ${application}/${group} with ${revisionName(taskDefinition)} (${config}).`,
  );
  if (!options.wait) return false;
  context.deadline?.extendTo(startedAt + options.timeoutMs);
  return followDeployment(codedeploy, deploymentId, p, report, options, context);
}

/** The CodeDeploy client, or why this caller cannot deploy through CodeDeploy (before anything changes). */
async function codeDeployClient(context: DeployContext): Promise<CodeDeployClient> {
  if (!context.codedeploy) throw new Error('services under CODE_DEPLOY need a CodeDeploy client');
  return context.codedeploy();
}

/**
 * The deployment group of one CODE_DEPLOY service (its options in `options.codeDeploy`), read before any change: a
 * wrong name is the user's mistake, said as such, naming the input or config key.
 */
export async function readDeploymentGroup(
  service: string,
  options: DeployOptions,
  context: DeployContext,
): Promise<DeploymentGroupInfo> {
  const codedeploy = await codeDeployClient(context);
  const application = applicationName(options.cluster, service, options.codeDeploy);
  const group = deploymentGroupName(options.cluster, service, options.codeDeploy);
  const signal = context.signal;
  const label = (input: CodeDeployInput) => optionLabel(options.codeDeploy, input);
  let info: DeploymentGroupInfo | undefined;
  try {
    info = (
      await codedeploy.send(
        new GetDeploymentGroupCommand({ applicationName: application, deploymentGroupName: group }),
        {
          abortSignal: signal,
        },
      )
    ).deploymentGroupInfo;
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'ApplicationDoesNotExistException') {
      throw new UserError(
        `${label('codedeploy-application')}: CodeDeploy application "${application}" does not exist. Name the application of service "${service}"; nothing was changed.`,
      );
    }
    if (name === 'DeploymentGroupDoesNotExistException') {
      throw new UserError(
        `${label('codedeploy-deployment-group')}: deployment group "${group}" does not exist in application "${application}". Name the deployment group of service "${service}"; nothing was changed.`,
      );
    }
    throw new UserError(
      `Could not read CodeDeploy deployment group ${application}/${group} (${describeAwsFailure(error)}). Nothing was changed.`,
      { cause: error },
    );
  }
  const ecsServices = info?.ecsServices ?? [];
  if (
    ecsServices.length > 0 &&
    !ecsServices.some((s) => s.serviceName === service && s.clusterName === options.cluster)
  ) {
    const deploys = ecsServices.map((s) => `${s.clusterName}/${s.serviceName}`).join(', ');
    throw new UserError(
      `${label('codedeploy-deployment-group')}: deployment group "${group}" deploys ${deploys}, not ${options.cluster}/${service}. Name the deployment group of service "${service}"; nothing was changed.`,
    );
  }
  const waits = info?.blueGreenDeploymentConfiguration?.deploymentReadyOption?.actionOnTimeout === 'STOP_DEPLOYMENT';
  if (options.codeDeploy?.smoke && !waits) {
    throw new UserError(
      `${label('codedeploy-smoke-checks')}: deployment group "${group}" does not wait for a go-ahead before production traffic (its deploymentReadyOption is not STOP_DEPLOYMENT), so the checks could not stop the traffic from moving. Set the group's "Reroute traffic" to "Specify when to reroute traffic", or remove the smoke checks; nothing was changed.`,
    );
  }
  return info ?? {};
}

interface DeploymentRequest {
  application: string;
  group: string;
  content: string;
  config?: string;
  description?: string;
}

/**
 * CreateDeployment. CodeDeploy takes no idempotency token: when a retried request finds "already has an active
 * Deployment", that deployment is ours if it carries our AppSpec (the first answer was lost), and is adopted rather
 * than reported as someone else's.
 */
async function createDeployment(codedeploy: CodeDeployClient, request: DeploymentRequest): Promise<string> {
  const sha256 = createHash('sha256').update(request.content).digest('hex');
  try {
    const answer = await codedeploy.send(
      new CreateDeploymentCommand({
        applicationName: request.application,
        deploymentGroupName: request.group,
        revision: { revisionType: 'AppSpecContent', appSpecContent: { content: request.content, sha256 } },
        deploymentConfigName: request.config,
        description: request.description,
      }),
    );
    return answer.deploymentId!;
  } catch (error) {
    const active = /active Deployment '(d-[A-Z0-9]+)'/.exec((error as Error).message ?? '')?.[1];
    if ((error as Error).name !== 'DeploymentLimitExceededException' || !active) throw error;
    const found = await codedeploy.send(new GetDeploymentCommand({ deploymentId: active }));
    if (found.deploymentInfo?.revision?.appSpecContent?.sha256 === sha256) return active;
    throw new UserError(
      `Deployment group ${request.application}/${request.group} already has a deployment in progress (${active}), started by someone else. Wait for it to end, or stop it, and run again; the new revision is registered but not deployed.`,
      { cause: error },
    );
  }
}
