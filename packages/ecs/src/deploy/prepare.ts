/**
 * Everything checked and computed before the first change: the cluster and services exist and can be deployed
 * this way, every container named exists, and each service's new definition is rendered and compared with the one
 * it runs. Only read calls happen here, so a mistake found here changes nothing in AWS.
 */
import {
  DescribeClustersCommand,
  DescribeServiceRevisionsCommand,
  DescribeTaskDefinitionCommand,
  ListServiceDeploymentsCommand,
  type ECSClient,
  type Service,
  type TaskDefinition,
  type Tag as EcsTag,
} from '@aws-sdk/client-ecs';
import { UserError } from '@ecs-ship/action-kit';
import { diffTaskDefinitions, sameTaskDefinition, type DefinitionChange } from '../taskdef/compare.js';
import { imagesOf, renderTaskDefinition, type TaskDefinitionInput } from '../taskdef/render.js';
import { containerNames, unknownContainers } from '../taskdef/shared-containers.js';
import { controllerProblem } from '../codedeploy/options.js';
import { revisionName } from './assess.js';
import { settingsChanges, volumeProblem } from './service-settings.js';
import { describeServices } from './observe.js';
import type { DeployOptions } from './types.js';

export interface PreparedService {
  service: string;
  described: Service;
  /** The task definition of the PRIMARY deployment (ARN). */
  currentTaskDefinition: string;
  /** deploy/plan: what to register; undefined when nothing is registered (unchanged, or rollback mode). */
  definition?: TaskDefinitionInput;
  /** deploy/plan: the definition the service runs and the one rendered for it, for the plan. */
  compared?: { current: Record<string, unknown>; rendered: TaskDefinitionInput };
  /** rollback mode: the revision to go back to (ARN). */
  rollbackTarget?: string;
  /** A deployment is needed (changed definition, rollback target, force, or a new desired count). */
  deploy: boolean;
  /** The definition itself differs from the running one. */
  changed: boolean;
  /** A service setting changes that ECS rolls out as a deployment of its own (the EBS volume). */
  settingsStartDeployment: boolean;
  diff: DefinitionChange[];
  images: Record<string, string>;
}

export async function prepare(
  ecs: ECSClient,
  options: DeployOptions,
  signal?: AbortSignal,
): Promise<PreparedService[]> {
  await checkCluster(ecs, options.cluster, signal);
  const described = await describeServices(ecs, options.cluster, options.services, signal);
  const problems: string[] = [];
  for (const [name, service] of described) {
    if (!service) problems.push(`service "${name}" does not exist in cluster "${options.cluster}"`);
    else if (service.status !== 'ACTIVE') problems.push(`service "${name}" is ${service.status}, not ACTIVE`);
    else {
      const problem = controllerProblem(name, service, options);
      if (problem) problems.push(problem);
    }
  }
  fail(problems, 'Check "cluster" and "services"');

  const definitions = new Map<string, { definition: TaskDefinition; tags: EcsTag[] }>();
  const describe = async (reference: string) => {
    const cached = definitions.get(reference);
    if (cached) return cached;
    const answer = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: reference, include: ['TAGS'] }), {
      abortSignal: signal,
    });
    const found = { definition: answer.taskDefinition!, tags: answer.tags ?? [] };
    definitions.set(reference, found);
    if (found.definition.taskDefinitionArn) definitions.set(found.definition.taskDefinitionArn, found);
    return found;
  };

  const prepared: PreparedService[] = [];
  const containersByService = new Map<string, string[]>();
  for (const name of options.services) {
    const service = described.get(name)!;
    const currentTaskDefinition = primaryTaskDefinition(service);
    const current = await describe(currentTaskDefinition);
    const currentBody = withTags(current.definition, current.tags);
    const countChanges = options.desiredCount !== undefined && options.desiredCount !== service.desiredCount;

    if (options.mode === 'rollback') {
      const reference =
        options.rollbackTo.get(name) ?? (await lastCompletedRevision(ecs, options.cluster, service, signal));
      if (!reference) {
        problems.push(
          `service "${name}" has no earlier completed revision that differs from ${revisionName(currentTaskDefinition)}; name one in "rollback-to"`,
        );
        continue;
      }
      let target: Awaited<ReturnType<typeof describe>>;
      try {
        target = await describe(reference);
      } catch (error) {
        problems.push(
          `task definition "${reference}" for service "${name}" cannot be read (${(error as Error).message})`,
        );
        continue;
      }
      const targetArn = target.definition.taskDefinitionArn!;
      prepared.push({
        service: name,
        described: service,
        currentTaskDefinition,
        rollbackTarget: targetArn,
        deploy: targetArn !== currentTaskDefinition || options.forceNewDeployment || countChanges,
        changed: targetArn !== currentTaskDefinition,
        settingsStartDeployment: false,
        diff: diffTaskDefinitions(currentBody, withTags(target.definition, target.tags)),
        images: imagesOf(target.definition),
      });
      continue;
    }

    const template = options.templates?.get(name) ?? currentBody;
    const rendered = renderTaskDefinition(template, {
      sharedImages: options.images,
      images: options.serviceImages?.get(name),
      imageForEssentialContainer:
        options.serviceImageForEssentialContainer?.get(name) ?? options.imageForEssentialContainer,
      environment: options.environment,
      secrets: options.secrets,
      tags: current.tags.map((tag) => ({ key: tag.key ?? '', value: tag.value ?? '' })),
    });
    for (const error of rendered.errors) problems.push(`service "${name}": ${error}`);
    containersByService.set(name, containerNames(rendered.definition));
    const volume = volumeProblem(rendered.definition, options.serviceSettings);
    if (volume) problems.push(`service "${name}": ${volume}`);
    const changed = !sameTaskDefinition(currentBody, rendered.definition);
    const settings = settingsChanges(service, options.serviceSettings);
    prepared.push({
      service: name,
      described: service,
      currentTaskDefinition,
      definition: changed ? rendered.definition : undefined,
      compared: { current: currentBody, rendered: rendered.definition },
      deploy: changed || options.forceNewDeployment || countChanges || settings.changes.length > 0,
      changed,
      settingsStartDeployment: settings.startsDeployment,
      diff: [...diffTaskDefinitions(currentBody, rendered.definition), ...settings.changes],
      images: imagesOf(rendered.definition),
    });
  }
  if (options.mode !== 'rollback') {
    problems.push(...unknownContainers('images', options.images.keys(), containersByService));
    problems.push(...unknownContainers('environment', options.environment.keys(), containersByService));
    problems.push(...unknownContainers('secrets', options.secrets?.keys() ?? [], containersByService));
  }
  fail(
    problems,
    options.mode === 'rollback'
      ? 'Fix "rollback-to"'
      : 'Fix "images", "image"/"container", "environment", "secrets" or "task-definition"',
  );
  return prepared;
}

async function checkCluster(ecs: ECSClient, cluster: string, signal?: AbortSignal): Promise<void> {
  const answer = await ecs.send(new DescribeClustersCommand({ clusters: [cluster] }), { abortSignal: signal });
  const found = answer.clusters?.find((c) => c.clusterName === cluster || c.clusterArn === cluster);
  if (!found || found.status === 'INACTIVE') {
    const region = await ecs.config.region();
    throw new UserError(
      `Input "cluster": cluster "${cluster}" does not exist in ${region}${found ? ' (it is INACTIVE)' : ''}. Check the name and the AWS region.`,
    );
  }
}

function primaryTaskDefinition(service: Service): string {
  return service.deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition ?? service.taskDefinition ?? '';
}

/** A described definition with its tags, in the shape a template has. */
function withTags(definition: TaskDefinition, tags: EcsTag[]): Record<string, unknown> {
  return { ...(definition as Record<string, unknown>), ...(tags.length > 0 ? { tags } : {}) };
}

/**
 * The revision to go back to: a COMPLETED deployment still listed next to a newer one, or else the newest
 * successful service deployment whose revision differs from the current one.
 */
async function lastCompletedRevision(
  ecs: ECSClient,
  cluster: string,
  service: Service,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const current = primaryTaskDefinition(service);
  const listed = service.deployments?.find(
    (d) => d.status !== 'PRIMARY' && d.rolloutState === 'COMPLETED' && d.taskDefinition !== current,
  );
  if (listed?.taskDefinition) return listed.taskDefinition;

  const history = await ecs.send(
    new ListServiceDeploymentsCommand({ cluster, service: service.serviceName, status: ['SUCCESSFUL'] }),
    { abortSignal: signal },
  );
  const revisionArns = (history.serviceDeployments ?? [])
    .map((brief) => brief.targetServiceRevisionArn)
    .filter((arn): arn is string => Boolean(arn));
  if (revisionArns.length === 0) return undefined;
  const revisions = await ecs.send(
    new DescribeServiceRevisionsCommand({ serviceRevisionArns: revisionArns.slice(0, 20) }),
    {
      abortSignal: signal,
    },
  );
  const byArn = new Map((revisions.serviceRevisions ?? []).map((r) => [r.serviceRevisionArn, r.taskDefinition]));
  // Newest first, as ListServiceDeployments returns them.
  return revisionArns
    .map((arn) => byArn.get(arn))
    .find((taskDefinition) => taskDefinition && taskDefinition !== current);
}

function fail(problems: string[], fix: string): void {
  if (problems.length === 0) return;
  throw new UserError(
    `${problems.map((p) => p[0]!.toUpperCase() + p.slice(1)).join('; ')}. ${fix}; nothing was changed.`,
  );
}
