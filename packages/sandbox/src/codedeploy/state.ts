// CodeDeploy's state in the sandbox: the scenario's applications and deployment groups (compute platform ECS), the
// deployments made in them, and the answers of the operations the module serves. ECS services, task definitions,
// alarms and listener rules are the ECS and ELBv2 modules' own (looked up when first needed).
import { createHash } from 'node:crypto';
import type * as sdk from '@aws-sdk/client-codedeploy';
import { parse } from 'yaml';
import { AwsError, type SandboxClock } from '../core/module.js';
import type { EcsWorld } from '../ecs/world.js';
import type { Elbv2State } from '../elbv2/state.js';
import { ECS_DEPLOYMENT_CONFIGS } from './configs.js';
import { EcsDeployment, type DeploymentHost, type GroupView } from './deployment.js';
import type { CodeDeploySection, DeploymentGroupSection } from './scenario.js';

export interface CodeDeployWorld {
  clock: SandboxClock;
  accountId: string;
  region: string;
  ecs(): EcsWorld;
  elbv2(): Elbv2State | undefined;
}

interface Group {
  id: string;
  applicationName: string;
  section: DeploymentGroupSection;
}

export class CodeDeployState {
  readonly applications = new Map<string, { name: string; id: string; createTime: number }>();
  readonly groups = new Map<string, Group>();
  /** Every deployment, oldest first. */
  readonly deployments: EcsDeployment[] = [];
  private readonly host: DeploymentHost;

  constructor(
    private readonly section: CodeDeploySection,
    private readonly world: CodeDeployWorld,
  ) {
    for (const app of section.applications) {
      this.applications.set(app.name, { name: app.name, id: uuidOf(`app/${app.name}`), createTime: world.clock.now() });
      for (const group of app.deploymentGroups) {
        this.groups.set(`${app.name}/${group.name}`, {
          id: uuidOf(`group/${app.name}/${group.name}`),
          applicationName: app.name,
          section: group,
        });
      }
    }
    this.host = {
      clock: world.clock,
      stepSeconds: section.stepSeconds,
      hooks: section.hooks,
      setWeights: (ruleArn, weights, by) => world.elbv2()?.setWeights(ruleArn, weights, by),
      alarmInAlarm: (name) => world.ecs().alarms.state(name) === 'ALARM',
      rollBack: (failed) => this.rollBack(failed),
    };
  }

  deployment(id: string | undefined): EcsDeployment {
    if (!id) throw new AwsError('DeploymentIdRequiredException', 'Deployment ID is required.');
    const found = this.deployments.find((d) => d.id === id);
    if (!found) {
      if (!/^d-[A-Z0-9]{9}$/.test(id))
        throw new AwsError('InvalidDeploymentIdException', `Specified DeploymentId is not in the valid format: ${id}`);
      throw new AwsError('DeploymentDoesNotExistException', `The deployment ${id} could not be found.`);
    }
    return found;
  }

  group(applicationName: string | undefined, groupName: string | undefined): Group {
    if (!applicationName) throw new AwsError('ApplicationNameRequiredException', 'Application name is required.');
    if (!this.applications.has(applicationName)) {
      throw new AwsError('ApplicationDoesNotExistException', `No application found for name: ${applicationName}`);
    }
    if (!groupName) throw new AwsError('DeploymentGroupNameRequiredException', 'Deployment Group name is required.');
    const group = this.groups.get(`${applicationName}/${groupName}`);
    if (!group)
      throw new AwsError('DeploymentGroupDoesNotExistException', `No Deployment Group found for name: ${groupName}`);
    return group;
  }

  create(input: sdk.CreateDeploymentInput): EcsDeployment {
    const group = this.group(input.applicationName, input.deploymentGroupName);
    const configName = input.deploymentConfigName ?? group.section.deploymentConfig;
    const traffic = ECS_DEPLOYMENT_CONFIGS[configName];
    if (!traffic) {
      throw new AwsError(
        'DeploymentConfigDoesNotExistException',
        `No deployment configuration found for name: ${configName}`,
      );
    }
    if (!input.revision) throw new AwsError('RevisionRequiredException', 'Revision is required.');
    const content = appSpecText(input.revision);
    const active = this.deployments.find(
      (d) => !d.finished && d.group.name === group.section.name && d.group.applicationName === group.applicationName,
    );
    if (active) {
      throw new AwsError(
        'DeploymentLimitExceededException',
        `The Deployment Group '${group.section.name}' already has an active Deployment '${active.id}'`,
      );
    }
    const service = this.service(group);
    const blue = service.deployments.find((d) => d.status === 'PRIMARY')!;
    const deployment = new EcsDeployment(
      this.host,
      this.view(group),
      service,
      configName,
      traffic,
      { revisionType: 'AppSpecContent', appSpecContent: { content, sha256: sha256(content) } },
      input.description,
      'user',
      input.autoRollbackConfiguration ?? this.autoRollback(group),
      this.readAppSpec(content, group),
      blue,
    );
    this.deployments.push(deployment);
    deployment.start();
    return deployment;
  }

  /** The deployment group's answer to GetDeploymentGroup. */
  renderGroup(group: Group): sdk.DeploymentGroupInfo {
    const view = this.view(group);
    const rules = this.world.elbv2();
    const listenerOf = (ruleArn: string | undefined) => (ruleArn ? rules?.rules.get(ruleArn)?.listenerArn : undefined);
    const s = group.section;
    const last = [...this.deployments]
      .reverse()
      .find((d) => d.group.name === s.name && d.group.applicationName === group.applicationName);
    return {
      applicationName: group.applicationName,
      deploymentGroupId: group.id,
      deploymentGroupName: s.name,
      deploymentConfigName: s.deploymentConfig,
      serviceRoleArn: `arn:aws:iam::${this.world.accountId}:role/ecsCodeDeployRole`,
      alarmConfiguration: {
        enabled: s.alarms.length > 0,
        ignorePollAlarmFailure: false,
        alarms: s.alarms.map((name) => ({ name })),
      },
      autoRollbackConfiguration: this.autoRollback(group),
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      blueGreenDeploymentConfiguration: {
        terminateBlueInstancesOnDeploymentSuccess: {
          action: 'TERMINATE',
          terminationWaitTimeInMinutes: s.terminationWaitMinutes,
        },
        deploymentReadyOption: s.readyWait ?? { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 0 },
      },
      loadBalancerInfo: {
        targetGroupPairInfoList: [
          {
            targetGroups: s.targetGroups.map((name) => ({ name })),
            prodTrafficRoute: { listenerArns: [listenerOf(view.productionRuleArn)].filter((a): a is string => !!a) },
            ...(view.testRuleArn
              ? { testTrafficRoute: { listenerArns: [listenerOf(view.testRuleArn)].filter((a): a is string => !!a) } }
              : {}),
          },
        ],
      },
      computePlatform: 'ECS',
      ecsServices: [{ clusterName: s.service.cluster, serviceName: s.service.service }],
      ...(last
        ? {
            lastAttemptedDeployment: {
              deploymentId: last.id,
              status: last.status,
              createTime: new Date(last.createTime),
            },
          }
        : {}),
    };
  }

  private autoRollback(group: Group): sdk.AutoRollbackConfiguration {
    return { enabled: group.section.autoRollback.enabled, events: group.section.autoRollback.events };
  }

  private service(group: Group) {
    const { cluster, service } = group.section.service;
    const found = this.world.ecs().service(this.world.region, cluster, service);
    if (!found || found.status !== 'ACTIVE' || found.deploymentController !== 'CODE_DEPLOY') {
      throw new AwsError(
        'InvalidDeploymentGroupNameException',
        `The deployment group's ECS service ${cluster}/${service} does not exist or does not use the CODE_DEPLOY deployment controller.`,
      );
    }
    return found;
  }

  private view(group: Group): GroupView {
    const s = group.section;
    const rules = this.world.elbv2();
    const targetGroup = (name: string) => rules?.targetGroup(this.world.region, name)?.arn ?? name;
    const rule = (label: string) => rules?.rule(this.world.region, label)?.arn ?? label;
    return {
      applicationName: group.applicationName,
      name: s.name,
      targetGroupArns: [targetGroup(s.targetGroups[0]), targetGroup(s.targetGroups[1])],
      productionRuleArn: rule(s.productionListenerRule),
      testRuleArn: s.testListenerRule ? rule(s.testListenerRule) : undefined,
      alarms: s.alarms,
      readyWait: s.readyWait,
      terminationWaitMinutes: s.terminationWaitMinutes,
    };
  }

  /** The task definition, container and hooks an ECS AppSpec names; what is wrong with it fails the Install. */
  private readAppSpec(content: string, group: Group): EcsDeployment['appSpec'] {
    let spec: any;
    try {
      spec = parse(content);
    } catch (error) {
      throw new AwsError(
        'InvalidRevisionException',
        `The AppSpec content is neither JSON nor YAML: ${(error as Error).message}`,
      );
    }
    const resources = Array.isArray(spec?.Resources) ? spec.Resources : [];
    const target = resources
      .map((r: any) => r && Object.values(r)[0])
      .find((r: any) => r?.Type === 'AWS::ECS::Service');
    if (!target) {
      throw new AwsError(
        'InvalidRevisionException',
        'The AppSpec content has no Resources entry of Type AWS::ECS::Service.',
      );
    }
    const hooks = new Map<string, string>();
    for (const entry of Array.isArray(spec.Hooks) ? spec.Hooks : []) {
      for (const [event, fn] of Object.entries(entry ?? {})) if (typeof fn === 'string') hooks.set(event, fn);
    }
    const props = target.Properties ?? {};
    const reference = String(props.TaskDefinition ?? '');
    const taskDefinition = reference ? this.world.ecs().taskDefinition(this.world.region, reference) : undefined;
    const ecsError = (why: string) => `The ECS service cannot be updated due to an error. Error message: ${why}`;
    if (!taskDefinition || taskDefinition.status !== 'ACTIVE') {
      return {
        hooks,
        problem: ecsError(
          `Unable to use task definition ${reference || '(none given)'}: it does not exist or is not ACTIVE.`,
        ),
      };
    }
    const lb = this.service(group).extra.loadBalancers[0];
    const container = props.LoadBalancerInfo?.ContainerName;
    const port = Number(props.LoadBalancerInfo?.ContainerPort);
    if (lb && (container !== lb.containerName || port !== lb.containerPort)) {
      return {
        hooks,
        problem: ecsError(
          `The AppSpec's LoadBalancerInfo (${container}:${port}) does not match the service's load balancer container (${lb.containerName}:${lb.containerPort}).`,
        ),
      };
    }
    const names = taskDefinition.body.containerDefinitions.map((c) => c.name);
    if (lb?.containerName && !names.includes(lb.containerName)) {
      return {
        hooks,
        problem: ecsError(`The container ${lb.containerName} is not in ${taskDefinition.taskDefinitionArn}.`),
      };
    }
    return { taskDefinition, hooks };
  }

  private rollBack(failed: EcsDeployment): EcsDeployment {
    const rollback = new EcsDeployment(
      this.host,
      failed.group,
      failed.service,
      failed.configName,
      failed.traffic,
      failed.revision,
      failed.description,
      'codeDeployRollback',
      { enabled: false },
      { hooks: new Map() },
      failed.blue,
      { undo: failed.green },
    );
    rollback.rollbackInfo = {
      rollbackTriggeringDeploymentId: failed.id,
      rollbackMessage: `Rollback of deployment ${failed.id}: the traffic goes back to the original task set.`,
    };
    this.deployments.push(rollback);
    rollback.start();
    return rollback;
  }
}

/** The AppSpec text of a revision; the S3 and GitHub revisions are not modelled here and are refused clearly. */
function appSpecText(revision: sdk.RevisionLocation): string {
  const type = revision.revisionType;
  if (type === 'AppSpecContent' && typeof revision.appSpecContent?.content === 'string') {
    const { content, sha256: given } = revision.appSpecContent;
    if (given && given !== sha256(content)) {
      throw new AwsError('InvalidRevisionException', 'The sha256 of the AppSpec content does not match its content.');
    }
    return content;
  }
  if (type === 'String' && typeof revision.string?.content === 'string') return revision.string.content;
  throw new AwsError(
    'InvalidRevisionException',
    `This sandbox takes the AppSpec as content (revisionType AppSpecContent or String); a ${type ?? 'revision without revisionType'} revision is not modelled.`,
  );
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A stable UUID-shaped id for a scenario name. */
function uuidOf(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
