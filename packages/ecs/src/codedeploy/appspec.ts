/**
 * The AppSpec of a CodeDeploy deployment of an ECS service: the file `codedeploy-appspec` names (JSON or YAML, its
 * TaskDefinition replaced by the revision just registered, as the official action does), or one made from the
 * service's load balancer (its container and port), which is what CodeDeploy needs to move the traffic.
 */
import type { Service } from '@aws-sdk/client-ecs';
import { UserError } from '@ecs-ship/action-kit';

export interface AppSpecFile {
  path: string;
  /** The parsed file. */
  content: Record<string, unknown>;
}

/** The AppSpec text to send: JSON, with `TaskDefinition` set to `taskDefinition`. */
export function appSpecFor(service: Service, taskDefinition: string, file: AppSpecFile | undefined): string {
  if (file) return JSON.stringify(withTaskDefinition(file, taskDefinition));
  const lb = service.loadBalancers?.find((l) => l.containerName && l.containerPort !== undefined);
  if (!lb) {
    throw new UserError(
      `Service "${service.serviceName}" has no load balancer with a container name and port, so no AppSpec can be made for it. Give one in "codedeploy-appspec".`,
    );
  }
  return JSON.stringify({
    version: 0.0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: taskDefinition,
            LoadBalancerInfo: { ContainerName: lb.containerName, ContainerPort: lb.containerPort },
          },
        },
      },
    ],
  });
}

/** The file's ECS service resource, with the task definition just registered (whatever placeholder it held). */
function withTaskDefinition(file: AppSpecFile, taskDefinition: string): Record<string, unknown> {
  const spec = structuredClone(file.content);
  const resources = Array.isArray(spec.Resources) ? (spec.Resources as Record<string, any>[]) : [];
  const target = resources
    .flatMap((resource) => Object.values(resource ?? {}))
    .find((r: any) => r?.Type === 'AWS::ECS::Service') as { Properties?: Record<string, unknown> } | undefined;
  if (!target) {
    throw new UserError(
      `Input "codedeploy-appspec": ${file.path} has no resource of Type AWS::ECS::Service under Resources. Add the TargetService resource (see the CodeDeploy AppSpec reference for ECS).`,
    );
  }
  target.Properties = { ...target.Properties, TaskDefinition: taskDefinition };
  return spec;
}

/** Checks a parsed AppSpec file before anything changes; returns the problem, if any. */
export function appSpecProblem(content: unknown): string | undefined {
  if (!content || typeof content !== 'object' || Array.isArray(content)) return 'it is not a JSON or YAML object';
  const resources = (content as Record<string, unknown>).Resources;
  if (!Array.isArray(resources) || resources.length === 0) return 'it has no Resources list';
  const ecs = resources.flatMap((r) => Object.values(r ?? {})).find((r: any) => r?.Type === 'AWS::ECS::Service');
  if (!ecs) return 'it has no resource of Type AWS::ECS::Service';
  const info = (ecs as { Properties?: { LoadBalancerInfo?: { ContainerName?: unknown; ContainerPort?: unknown } } })
    .Properties?.LoadBalancerInfo;
  if (!info?.ContainerName || info.ContainerPort === undefined) {
    return 'its ECS service resource has no LoadBalancerInfo with ContainerName and ContainerPort';
  }
  return undefined;
}
