// ECS services and their deployments: CreateService, UpdateService, DeleteService, DescribeServices, ListServices,
// DescribeServiceDeployments, ListServiceDeployments and DescribeServiceRevisions.
import type * as sdk from '@aws-sdk/client-ecs';
import { AwsError } from '../core/module.js';
import { page, serviceName } from './api.js';
import type { Cluster } from './clusters.js';
import { DEFAULT_CONFIGURATION, type DeploymentConfiguration, type Placement } from './deployments.js';
import {
  compact,
  renderRevisionLoadBalancers,
  renderService,
  renderServiceDeployment,
  renderServiceDeploymentBrief,
} from './render.js';
import { resolveLoadBalancers } from './load-balancers.js';
import { checkPlacement, checkVolumeConfigurations, launchTypeOf, placementProblem } from './placement.js';
import { Service, type ServiceHost } from './service.js';
import { checkStrategy, mergeStrategy } from './strategy-config.js';
import type { EcsWorld } from './world.js';

export class Services {
  constructor(private readonly world: EcsWorld) {}

  create(region: string, input: sdk.CreateServiceRequest): sdk.CreateServiceResponse {
    const cluster = this.world.clusters.get(region, input.cluster);
    if (typeof input.serviceName !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(input.serviceName)) {
      throw new AwsError('InvalidParameterException', 'Service name is invalid.');
    }
    const existing = cluster.services.get(input.serviceName);
    if (existing && existing.status !== 'INACTIVE') {
      throw new AwsError('InvalidParameterException', 'Creation of service was not idempotent.');
    }
    const taskDefinition = this.world.region(region).registry.get(input.taskDefinition);
    if (taskDefinition.status !== 'ACTIVE') throw new AwsError('ClientException', 'TaskDefinition is inactive');
    const placement = placementOf(input, {});
    checkPlacement(taskDefinition, launchTypeOf(placement), placement.networkConfiguration);
    checkVolumeConfigurations(taskDefinition, placement.volumeConfigurations);
    const loadBalancers = this.loadBalancers(region, input.loadBalancers);
    const service = this.add(region, cluster, input.serviceName, { ...input, loadBalancers });
    service.deploy(taskDefinition);
    return { service: renderService(service, false) };
  }

  update(region: string, input: sdk.UpdateServiceRequest): sdk.UpdateServiceResponse {
    const service = this.active(region, input.cluster, input.service);
    const registry = this.world.region(region).registry;
    const newDefinition = input.taskDefinition !== undefined ? registry.get(input.taskDefinition) : undefined;
    const changesDefinition =
      newDefinition !== undefined && newDefinition.taskDefinitionArn !== service.taskDefinitionArn;
    if (service.deploymentController !== 'ECS' && (changesDefinition || input.forceNewDeployment)) {
      throw new AwsError(
        'InvalidParameterException',
        `Unable to update task definition on services with a ${service.deploymentController} deployment controller. ${
          service.deploymentController === 'CODE_DEPLOY'
            ? 'Use AWS CodeDeploy to trigger a new deployment.'
            : 'Use task sets to trigger a new deployment.'
        }`,
      );
    }
    if (newDefinition && newDefinition.status !== 'ACTIVE') {
      throw new AwsError('ClientException', 'TaskDefinition is inactive');
    }
    if (input.desiredCount !== undefined) {
      if (!Number.isInteger(input.desiredCount) || input.desiredCount < 0) {
        throw new AwsError('InvalidParameterException', 'Desired count must be a non-negative integer.');
      }
    }
    const loadBalancers = input.loadBalancers
      ? this.loadBalancers(region, input.loadBalancers)
      : service.extra.loadBalancers;
    const configuration = input.deploymentConfiguration
      ? mergeConfiguration(service.deploymentConfiguration, input.deploymentConfiguration)
      : service.deploymentConfiguration;
    checkStrategy(configuration, service.deploymentController, loadBalancers);
    const loadBalancersChanged = JSON.stringify(loadBalancers) !== JSON.stringify(service.extra.loadBalancers);
    const placement = placementOf(input, service.placement);
    const placementChanged = JSON.stringify(placement) !== JSON.stringify(service.placement);
    if (changesDefinition || placementChanged || input.forceNewDeployment) {
      checkPlacement(
        newDefinition ?? service.primary.taskDefinition,
        launchTypeOf(placement),
        placement.networkConfiguration,
      );
      checkVolumeConfigurations(newDefinition ?? service.primary.taskDefinition, placement.volumeConfigurations);
    }
    service.deploymentConfiguration = configuration;
    service.extra.loadBalancers = loadBalancers;
    if (input.enableECSManagedTags !== undefined) service.extra.enableECSManagedTags = input.enableECSManagedTags;
    if (input.propagateTags !== undefined) service.extra.propagateTags = input.propagateTags;
    service.placement = placement;
    if (input.desiredCount !== undefined) service.desiredCount = input.desiredCount;
    if (changesDefinition || input.forceNewDeployment || placementChanged || loadBalancersChanged) {
      service.deploy(newDefinition ?? service.primary.taskDefinition);
    } else {
      service.reconcile();
    }
    return { service: renderService(service, false) };
  }

  delete(region: string, input: sdk.DeleteServiceRequest): sdk.DeleteServiceResponse {
    const cluster = this.world.clusters.get(region, input.cluster);
    const service = cluster.services.get(serviceName(input.service ?? ''));
    if (!service || service.status === 'INACTIVE') throw new AwsError('ServiceNotFoundException', 'Service not found.');
    if (service.status === 'ACTIVE' && service.desiredCount > 0 && !input.force) {
      throw new AwsError('InvalidParameterException', 'The service cannot be stopped while it is scaled above 0.');
    }
    service.drain();
    return { service: renderService(service, false) };
  }

  describe(region: string, input: sdk.DescribeServicesRequest): sdk.DescribeServicesResponse {
    const cluster = this.world.clusters.get(region, input.cluster);
    const refs = input.services ?? [];
    if (refs.length === 0) throw new AwsError('InvalidParameterException', 'Services cannot be empty.');
    if (refs.length > 10) {
      throw new AwsError(
        'InvalidParameterException',
        "1 validation error detected: Value at 'services' failed to satisfy constraint: Member must have length less than or equal to 10",
      );
    }
    const services: sdk.Service[] = [];
    const failures: sdk.Failure[] = [];
    const includeTags = input.include?.includes('TAGS') ?? false;
    for (const ref of refs) {
      const service = cluster.services.get(serviceName(ref));
      if (service) services.push(renderService(service, includeTags));
      else {
        failures.push({
          arn: `arn:aws:ecs:${region}:${this.world.accountId}:service/${cluster.name}/${serviceName(ref)}`,
          reason: 'MISSING',
        });
      }
    }
    return { services, failures };
  }

  list(region: string, input: sdk.ListServicesRequest): sdk.ListServicesResponse {
    const cluster = this.world.clusters.get(region, input.cluster);
    const arns = [...cluster.services.values()]
      // A service being deleted (DRAINING) is no longer listed, as DeleteService's documentation says.
      .filter((s) => s.status === 'ACTIVE')
      .filter((s) => input.launchType === undefined || s.placement.launchType === input.launchType)
      .map((s) => s.arn);
    const { items, nextToken } = page(arns, input.maxResults ?? 10, input.nextToken);
    return { serviceArns: items, nextToken };
  }

  describeDeployments(
    region: string,
    input: sdk.DescribeServiceDeploymentsRequest,
  ): sdk.DescribeServiceDeploymentsResponse {
    const arns = input.serviceDeploymentArns ?? [];
    if (arns.length === 0 || arns.length > 20) {
      throw new AwsError('InvalidParameterException', 'serviceDeploymentArns must hold between 1 and 20 ARNs.');
    }
    const serviceDeployments: sdk.ServiceDeployment[] = [];
    const failures: sdk.Failure[] = [];
    for (const arn of arns) {
      const found = this.findRecord(region, arn);
      if (found) serviceDeployments.push(renderServiceDeployment(found.service, found.record));
      else failures.push({ arn, reason: 'MISSING' });
    }
    return { serviceDeployments, failures };
  }

  listDeployments(region: string, input: sdk.ListServiceDeploymentsRequest): sdk.ListServiceDeploymentsResponse {
    if (input.status !== undefined && !Array.isArray(input.status)) {
      throw new AwsError('SerializationException', 'Unexpected value type for member "status".');
    }
    const cluster = this.world.clusters.get(region, input.cluster);
    const service = cluster.services.get(serviceName(input.service ?? ''));
    if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
    const before = toMillis(input.createdAt?.before);
    const after = toMillis(input.createdAt?.after);
    const statuses = input.status;
    const briefs = service.records
      .filter((r) => !statuses || statuses.length === 0 || statuses.includes(r.status))
      .filter((r) => (before === undefined || r.createdAt <= before) && (after === undefined || r.createdAt >= after))
      .map((r) => renderServiceDeploymentBrief(service, r));
    const { items, nextToken } = page(briefs, input.maxResults ?? 20, input.nextToken);
    return { serviceDeployments: items, nextToken };
  }

  describeRevisions(region: string, input: sdk.DescribeServiceRevisionsRequest): sdk.DescribeServiceRevisionsResponse {
    const arns = input.serviceRevisionArns ?? [];
    if (arns.length === 0 || arns.length > 20) {
      throw new AwsError('InvalidParameterException', 'serviceRevisionArns must hold between 1 and 20 ARNs.');
    }
    const serviceRevisions: sdk.ServiceRevision[] = [];
    const failures: sdk.Failure[] = [];
    for (const arn of arns) {
      const found = this.findRevision(region, arn);
      if (!found) {
        failures.push({ arn, reason: 'MISSING' });
        continue;
      }
      serviceRevisions.push(
        compact({
          serviceRevisionArn: arn,
          serviceArn: found.service.arn,
          clusterArn: found.service.clusterArn,
          taskDefinition: found.deployment.taskDefinition.taskDefinitionArn,
          launchType: found.deployment.placement.launchType,
          platformVersion: found.deployment.placement.platformVersion,
          networkConfiguration: found.deployment.placement.networkConfiguration,
          ...renderRevisionLoadBalancers(found.deployment.revision),
          createdAt: new Date(found.deployment.revision.createdAt),
        }),
      );
    }
    return { serviceRevisions, failures };
  }

  /** A paused lifecycle hook (PAUSE) continued or answered with ROLLBACK. */
  continueDeployment(
    region: string,
    input: sdk.ContinueServiceDeploymentRequest,
  ): sdk.ContinueServiceDeploymentResponse {
    const found = input.serviceDeploymentArn ? this.findRecord(region, input.serviceDeploymentArn) : undefined;
    if (!found) throw new AwsError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.');
    const shift = found.service.shift;
    const action = input.action ?? 'CONTINUE';
    if (!shift || shift.green.record !== found.record || !shift.continueHook(input.hookId ?? '', action)) {
      throw new AwsError(
        'InvalidParameterException',
        `The service deployment has no lifecycle hook ${input.hookId ?? ''} awaiting action.`,
      );
    }
    return { serviceDeploymentArn: found.record.arn };
  }

  /** A new service in `cluster` (no deployment yet): CreateService and the scenario's services. */
  add(region: string, cluster: Cluster, name: string, input: Omit<sdk.CreateServiceRequest, 'serviceName'>): Service {
    const world = this.world;
    const deploymentConfiguration = mergeConfiguration(DEFAULT_CONFIGURATION(), input.deploymentConfiguration ?? {});
    checkStrategy(deploymentConfiguration, input.deploymentController?.type ?? 'ECS', input.loadBalancers ?? []);
    const host: ServiceHost = {
      clock: world.clock,
      launch: (service, deployment) => world.launcher.launchServiceTask(region, service, deployment, false),
      placementProblem: (deployment) => placementProblem(cluster, launchTypeOf(deployment.placement)),
      alarmInAlarm: (name) => world.alarms.state(name) === 'ALARM',
      alarmBakeTime: world.section.alarmBakeTime,
      log: (change) => world.transitions.push(change),
      traffic: {
        stageSeconds: world.section.stageSeconds,
        hookBehaviour: world.hookBehaviour,
        setWeights: (ruleArn, weights, by) => world.listenerRules()?.setWeights(ruleArn, weights, by),
      },
    };
    const service = new Service(
      `arn:aws:ecs:${region}:${world.accountId}:service/${cluster.name}/${name}`,
      name,
      cluster.name,
      cluster.arn,
      input.deploymentController?.type ?? 'ECS',
      input.desiredCount ?? 0,
      deploymentConfiguration,
      placementOf(input, {}),
      {
        tags: input.tags ?? [],
        createdBy: `arn:aws:iam::${world.accountId}:role/sandbox`,
        enableECSManagedTags: input.enableECSManagedTags ?? false,
        propagateTags: input.propagateTags ?? 'NONE',
        loadBalancers: input.loadBalancers ?? [],
      },
      host,
    );
    cluster.services.set(service.name, service);
    return service;
  }

  /** Load balancers of a CreateService or UpdateService request, checked against the ELBv2 module's. */
  private loadBalancers(region: string, given: sdk.LoadBalancer[] | undefined): sdk.LoadBalancer[] {
    return resolveLoadBalancers(given, region, this.world.accountId, this.world.listenerRules(), false);
  }

  /** An ACTIVE service, or the error ECS gives. */
  private active(region: string, clusterRef: string | undefined, reference: string | undefined): Service {
    const cluster = this.world.clusters.get(region, clusterRef);
    const service = reference ? cluster.services.get(serviceName(reference)) : undefined;
    if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
    if (service.status !== 'ACTIVE') throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
    return service;
  }

  private *all(region: string): Iterable<Service> {
    for (const cluster of this.world.region(region).clusters.values()) yield* cluster.services.values();
  }

  private findRecord(region: string, arn: string) {
    for (const service of this.all(region)) {
      const record = service.records.find((r) => r.arn === arn);
      if (record) return { service, record };
    }
    return undefined;
  }

  private findRevision(region: string, arn: string) {
    for (const service of this.all(region)) {
      for (const record of service.records) {
        const deployments = [
          record.targetDeployment,
          record.rollbackDeployment,
          ...record.sources.map((s) => s.deployment),
        ];
        const deployment = deployments.find((d) => d?.revision.arn === arn);
        if (deployment) return { service, deployment };
      }
    }
    return undefined;
  }
}

function mergeConfiguration(
  current: DeploymentConfiguration,
  update: sdk.DeploymentConfiguration,
): DeploymentConfiguration {
  const merged: DeploymentConfiguration = {
    ...structuredClone(current),
    ...structuredClone(update),
  } as DeploymentConfiguration;
  merged.maximumPercent = update.maximumPercent ?? current.maximumPercent;
  merged.minimumHealthyPercent = update.minimumHealthyPercent ?? current.minimumHealthyPercent;
  merged.deploymentCircuitBreaker = update.deploymentCircuitBreaker
    ? structuredClone(update.deploymentCircuitBreaker)
    : current.deploymentCircuitBreaker;
  mergeStrategy(merged, update);
  if (merged.maximumPercent < 100 && merged.minimumHealthyPercent >= 100) {
    throw new AwsError(
      'InvalidParameterException',
      'The maximumPercent must be at least 100 when minimumHealthyPercent is 100.',
    );
  }
  return merged;
}

function placementOf(
  input: Omit<sdk.CreateServiceRequest, 'serviceName'> | sdk.UpdateServiceRequest,
  current: Placement,
): Placement {
  const launchType = 'launchType' in input ? input.launchType : undefined;
  return compact({
    launchType: input.capacityProviderStrategy ? undefined : (launchType ?? current.launchType),
    platformVersion: input.platformVersion ?? current.platformVersion,
    capacityProviderStrategy: input.capacityProviderStrategy ?? current.capacityProviderStrategy,
    networkConfiguration: input.networkConfiguration ?? current.networkConfiguration,
    volumeConfigurations: input.volumeConfigurations ?? current.volumeConfigurations,
  });
}

function toMillis(value: Date | number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Date) return value.getTime();
  return typeof value === 'number' ? value * 1000 : Date.parse(value);
}
