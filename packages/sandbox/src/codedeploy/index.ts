// The sandbox's CodeDeploy (awsJson1_1, `CodeDeploy_20141006`, signed as `codedeploy`): ECS blue/green deployments
// of services under the CODE_DEPLOY deployment controller, with their lifecycle events, the traffic moves on the
// ELBv2 module's listener rules, alarms, StopDeployment, ContinueDeployment and rollback deployments.
import type * as sdk from '@aws-sdk/client-codedeploy';
import { AwsError, type AwsJsonModule, type Handlers, type Operation, type ServiceDefinition } from '../core/module.js';
import { ecsService } from '../ecs/index.js';
import { elbv2Service } from '../elbv2/index.js';
import type { EcsDeployment } from './deployment.js';
import { codedeploySectionSchema, type CodeDeploySection } from './scenario.js';
import { CodeDeployState } from './state.js';

export { CodeDeployState } from './state.js';
export type { EcsDeployment } from './deployment.js';
export type { CodeDeploySection } from './scenario.js';

export interface CodeDeployOperations {
  CreateDeployment: Operation<sdk.CreateDeploymentInput, sdk.CreateDeploymentOutput>;
  GetDeployment: Operation<sdk.GetDeploymentInput, sdk.GetDeploymentOutput>;
  GetDeploymentGroup: Operation<sdk.GetDeploymentGroupInput, sdk.GetDeploymentGroupOutput>;
  ListDeploymentTargets: Operation<sdk.ListDeploymentTargetsInput, sdk.ListDeploymentTargetsOutput>;
  GetDeploymentTarget: Operation<sdk.GetDeploymentTargetInput, sdk.GetDeploymentTargetOutput>;
  StopDeployment: Operation<sdk.StopDeploymentInput, sdk.StopDeploymentOutput>;
  ContinueDeployment: Operation<sdk.ContinueDeploymentInput, Record<string, never>>;
}

const MUTATING: readonly (keyof CodeDeployOperations)[] = ['CreateDeployment', 'StopDeployment', 'ContinueDeployment'];

export type CodeDeployModule = AwsJsonModule & { state: CodeDeployState };

export const codedeployService: ServiceDefinition<CodeDeploySection, CodeDeployModule, 'codedeploy'> = {
  key: 'codedeploy',
  schema: codedeploySectionSchema,
  create(section, env) {
    const state = new CodeDeployState(section, {
      clock: env.clock,
      accountId: env.accountId,
      region: env.defaultRegion,
      ecs: () => env.stateOf(ecsService),
      elbv2: () => {
        try {
          return env.stateOf(elbv2Service);
        } catch {
          return undefined;
        }
      },
    });
    return {
      protocol: 'json',
      signingName: 'codedeploy',
      targetPrefix: 'CodeDeploy_20141006',
      handlers: handlers(state),
      mutating: new Set(MUTATING),
      state,
    };
  },
};

function handlers(state: CodeDeployState): Handlers<CodeDeployOperations> {
  return {
    CreateDeployment: (input) => ({ deploymentId: state.create(input).id }),
    GetDeployment: (input) => ({ deploymentInfo: renderDeployment(state.deployment(input.deploymentId)) }),
    GetDeploymentGroup: (input) => ({
      deploymentGroupInfo: state.renderGroup(state.group(input.applicationName, input.deploymentGroupName)),
    }),
    ListDeploymentTargets: (input) => {
      const deployment = state.deployment(input.deploymentId);
      return { targetIds: [targetId(deployment)] };
    },
    GetDeploymentTarget: (input) => {
      const deployment = state.deployment(input.deploymentId);
      if (!input.targetId)
        throw new AwsError('DeploymentTargetIdRequiredException', 'A deployment target ID is required.');
      if (input.targetId !== targetId(deployment)) {
        throw new AwsError(
          'DeploymentTargetDoesNotExistException',
          `The target ${input.targetId} does not exist in deployment ${deployment.id}.`,
        );
      }
      return { deploymentTarget: { deploymentTargetType: 'ECSTarget', ecsTarget: renderTarget(deployment) } };
    },
    StopDeployment: (input) => {
      const deployment = state.deployment(input.deploymentId);
      if (deployment.finished) {
        throw new AwsError(
          'DeploymentAlreadyCompletedException',
          `The deployment ${deployment.id} is already completed.`,
        );
      }
      const rollback = deployment.stop(
        'MANUAL_STOP',
        'The deployment was stopped by a StopDeployment request.',
        input.autoRollbackEnabled ?? false,
      );
      return rollback
        ? {
            status: 'Pending',
            statusMessage: `The deployment is stopped; rollback deployment ${rollback.id} restores the original task set.`,
          }
        : { status: 'Succeeded', statusMessage: 'The deployment is stopped.' };
    },
    ContinueDeployment: (input) => {
      const deployment = state.deployment(input.deploymentId);
      if (deployment.finished) {
        throw new AwsError(
          'DeploymentAlreadyCompletedException',
          `The deployment ${deployment.id} is already completed.`,
        );
      }
      const waitType = input.deploymentWaitType ?? 'READY_WAIT';
      if (waitType !== 'READY_WAIT') {
        throw new AwsError('InvalidDeploymentWaitTypeException', 'The sandbox models the READY_WAIT wait type only.');
      }
      if (!deployment.continueReady()) {
        throw new AwsError(
          'DeploymentIsNotInReadyStateException',
          `The deployment ${deployment.id} is not in the Ready state.`,
        );
      }
      return {};
    },
  };
}

/** An ECS target's id: `<cluster>:<service>`. */
function targetId(d: EcsDeployment): string {
  return `${d.service.clusterName}:${d.service.name}`;
}

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

function renderDeployment(d: EcsDeployment): sdk.DeploymentInfo {
  return {
    applicationName: d.group.applicationName,
    deploymentGroupName: d.group.name,
    deploymentConfigName: d.configName,
    deploymentId: d.id,
    revision: d.revision,
    status: d.status,
    ...(d.errorInformation ? { errorInformation: d.errorInformation } : {}),
    createTime: date(d.createTime),
    startTime: date(d.startTime),
    completeTime: date(d.completeTime),
    deploymentOverview: overview(d),
    ...(d.description !== undefined ? { description: d.description } : {}),
    creator: d.creator,
    ignoreApplicationStopFailures: false,
    autoRollbackConfiguration: d.autoRollback,
    updateOutdatedInstancesOnly: false,
    ...(d.rollbackInfo ? { rollbackInfo: d.rollbackInfo } : {}),
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    instanceTerminationWaitTimeStarted: false,
    fileExistsBehavior: 'DISALLOW',
    deploymentStatusMessages: [],
    computePlatform: 'ECS',
  };
}

function targetStatus(d: EcsDeployment): sdk.TargetStatus {
  if (d.status === 'Created' || d.status === 'Queued') return 'Pending';
  if (d.status === 'Stopped') return 'Failed';
  if (d.status === 'Baking') return 'InProgress';
  return d.status;
}

function overview(d: EcsDeployment): sdk.DeploymentOverview {
  const counts = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 };
  counts[targetStatus(d) as keyof typeof counts]++;
  return counts;
}

function renderTarget(d: EcsDeployment): sdk.ECSTarget {
  const taskSet = (deployment: EcsDeployment['blue'], label: 'Blue' | 'Green', weight: number): sdk.ECSTaskSet => ({
    identifer: deployment.id,
    desiredCount: deployment.desiredCount,
    pendingCount: deployment.tasks.filter((t) => t.alive && t.lastStatus !== 'RUNNING').length,
    runningCount: deployment.tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    status: deployment.status,
    trafficWeight: weight,
    targetGroup: { name: (deployment.revision.targetGroups?.[0] ?? '').split('/').at(-2) ?? '' },
    taskSetLabel: label,
  });
  const sets: sdk.ECSTaskSet[] = [taskSet(d.blue, 'Blue', 100 - d.weights.production)];
  if (d.green) sets.push(taskSet(d.green, 'Green', d.weights.production));
  return {
    deploymentId: d.id,
    targetId: targetId(d),
    targetArn: d.service.arn,
    lastUpdatedAt: date(d.updatedAt),
    lifecycleEvents: d.events.map((e) => ({
      lifecycleEventName: e.name,
      status: e.status,
      ...(e.startTime !== undefined ? { startTime: date(e.startTime) } : {}),
      ...(e.endTime !== undefined ? { endTime: date(e.endTime) } : {}),
      ...(e.diagnostics ? { diagnostics: e.diagnostics } : {}),
    })),
    status: targetStatus(d),
    taskSetsInfo: sets,
  };
}
