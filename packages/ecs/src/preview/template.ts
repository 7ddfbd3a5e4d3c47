/**
 * The CreateService request of a preview: a copy of the template service (placement, networking, deployment
 * configuration, Service Connect as a client, tags) running the template's revision at 0 tasks, tagged as a preview,
 * registered in the preview's own target group when it has one. The deploy that follows renders the new revision
 * and sets the task count, as it does for any service. Pure: tested on real-shaped DescribeServices answers.
 */
import type { CreateServiceRequest, DeploymentConfiguration, Service, Tag } from '@aws-sdk/client-ecs';
import { PREVIEW_TAG, previewTag } from './names.js';

export interface PreviewRequest {
  cluster: string;
  service: string;
  /** The preview's target group, with the container and port the template registers in its own. */
  targetGroup?: { arn: string; containerName: string; containerPort: number };
}

export interface TemplateCopy {
  request: CreateServiceRequest;
  /** What the copy leaves out, and why, one line each (the log says them). */
  leftOut: string[];
}

export function previewServiceRequest(template: Service, preview: PreviewRequest): TemplateCopy {
  const leftOut: string[] = [];
  const primary = template.deployments?.find((d) => d.status === 'PRIMARY') ?? template.deployments?.[0];
  if ((template.serviceRegistries ?? []).length > 0) {
    leftOut.push(
      "service registries (Cloud Map): the preview's tasks would answer under the template's service name, beside its own",
    );
  }
  if ((template.loadBalancers ?? []).length > 0 && !preview.targetGroup) {
    leftOut.push("load balancers: without preview-host the preview's tasks would join the template's target group");
  }
  const serviceConnect = primary?.serviceConnectConfiguration;
  if (serviceConnect?.services?.length) {
    leftOut.push(
      "Service Connect endpoints: the preview is a Service Connect client only, so it takes none of the template's names",
    );
  }
  const configuration = deploymentConfigurationFor(template.deploymentConfiguration, leftOut);
  const tags: Tag[] = [
    ...(template.tags ?? []).filter((tag) => tag.key !== PREVIEW_TAG && !tag.key?.toLowerCase().startsWith('aws:')),
    previewTag(preview.service),
  ];
  const capacity = template.capacityProviderStrategy?.length ? template.capacityProviderStrategy : undefined;
  const request: CreateServiceRequest = {
    cluster: preview.cluster,
    serviceName: preview.service,
    taskDefinition: template.taskDefinition,
    // Nothing runs the template's revision: the deploy that follows starts the rendered one with its own count.
    desiredCount: 0,
    ...(capacity ? { capacityProviderStrategy: capacity } : { launchType: template.launchType }),
    platformVersion: template.platformVersion,
    networkConfiguration: template.networkConfiguration,
    deploymentConfiguration: configuration,
    deploymentController: { type: 'ECS' },
    placementConstraints: template.placementConstraints?.length ? template.placementConstraints : undefined,
    placementStrategy: template.placementStrategy?.length ? template.placementStrategy : undefined,
    schedulingStrategy: template.schedulingStrategy,
    enableECSManagedTags: template.enableECSManagedTags,
    propagateTags: template.propagateTags,
    enableExecuteCommand: template.enableExecuteCommand,
    tags,
    ...(preview.targetGroup
      ? {
          loadBalancers: [
            {
              targetGroupArn: preview.targetGroup.arn,
              containerName: preview.targetGroup.containerName,
              containerPort: preview.targetGroup.containerPort,
            },
          ],
          healthCheckGracePeriodSeconds: template.healthCheckGracePeriodSeconds,
        }
      : {}),
    ...(serviceConnect?.enabled
      ? {
          serviceConnectConfiguration: {
            enabled: true,
            namespace: serviceConnect.namespace,
            logConfiguration: serviceConnect.logConfiguration,
          },
        }
      : {}),
    ...(primary?.volumeConfigurations?.length ? { volumeConfigurations: primary.volumeConfigurations } : {}),
  };
  return { request: withoutUndefined(request), leftOut };
}

/**
 * The template's deployment configuration, rolling: blue/green, linear and canary need the template's alternate
 * target group and listener rules, which the preview does not share, and lifecycle hooks would test the template's
 * traffic.
 */
function deploymentConfigurationFor(
  given: DeploymentConfiguration | undefined,
  leftOut: string[],
): DeploymentConfiguration | undefined {
  if (!given) return undefined;
  if (given.strategy && given.strategy !== 'ROLLING') {
    leftOut.push(`the ${given.strategy} strategy: a preview has one target group, so it deploys ROLLING`);
  }
  if (given.lifecycleHooks?.length)
    leftOut.push("lifecycle hooks: they test the template's traffic, not the preview's");
  const copy: DeploymentConfiguration = { ...given, strategy: 'ROLLING' };
  delete copy.bakeTimeInMinutes;
  delete copy.lifecycleHooks;
  delete copy.linearConfiguration;
  delete copy.canaryConfiguration;
  return copy;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
