// The ECS operations the sandbox serves, typed by the AWS SDK's own request and response shapes: a handler that
// answers a member ECS does not have, or of the wrong type, does not compile.
import type * as sdk from '@aws-sdk/client-ecs';
import type { Handlers, Operation } from '../core/module.js';

export interface EcsOperations {
  CreateCluster: Operation<sdk.CreateClusterRequest, sdk.CreateClusterResponse>;
  DescribeClusters: Operation<sdk.DescribeClustersRequest, sdk.DescribeClustersResponse>;
  ListClusters: Operation<sdk.ListClustersRequest, sdk.ListClustersResponse>;
  RegisterTaskDefinition: Operation<sdk.RegisterTaskDefinitionRequest, sdk.RegisterTaskDefinitionResponse>;
  DescribeTaskDefinition: Operation<sdk.DescribeTaskDefinitionRequest, sdk.DescribeTaskDefinitionResponse>;
  DeregisterTaskDefinition: Operation<sdk.DeregisterTaskDefinitionRequest, sdk.DeregisterTaskDefinitionResponse>;
  ListTaskDefinitions: Operation<sdk.ListTaskDefinitionsRequest, sdk.ListTaskDefinitionsResponse>;
  ListTaskDefinitionFamilies: Operation<sdk.ListTaskDefinitionFamiliesRequest, sdk.ListTaskDefinitionFamiliesResponse>;
  CreateService: Operation<sdk.CreateServiceRequest, sdk.CreateServiceResponse>;
  UpdateService: Operation<sdk.UpdateServiceRequest, sdk.UpdateServiceResponse>;
  DeleteService: Operation<sdk.DeleteServiceRequest, sdk.DeleteServiceResponse>;
  DescribeServices: Operation<sdk.DescribeServicesRequest, sdk.DescribeServicesResponse>;
  ListServices: Operation<sdk.ListServicesRequest, sdk.ListServicesResponse>;
  DescribeServiceDeployments: Operation<sdk.DescribeServiceDeploymentsRequest, sdk.DescribeServiceDeploymentsResponse>;
  ListServiceDeployments: Operation<sdk.ListServiceDeploymentsRequest, sdk.ListServiceDeploymentsResponse>;
  DescribeServiceRevisions: Operation<sdk.DescribeServiceRevisionsRequest, sdk.DescribeServiceRevisionsResponse>;
  ContinueServiceDeployment: Operation<sdk.ContinueServiceDeploymentRequest, sdk.ContinueServiceDeploymentResponse>;
  RunTask: Operation<sdk.RunTaskRequest, sdk.RunTaskResponse>;
  DescribeTasks: Operation<sdk.DescribeTasksRequest, sdk.DescribeTasksResponse>;
  StopTask: Operation<sdk.StopTaskRequest, sdk.StopTaskResponse>;
  ListTasks: Operation<sdk.ListTasksRequest, sdk.ListTasksResponse>;
  DescribeTaskSets: Operation<sdk.DescribeTaskSetsRequest, sdk.DescribeTaskSetsResponse>;
}

export type EcsHandlers = Handlers<EcsOperations>;

/** Operations that change state (the recorder flags them). */
export const ECS_MUTATING: readonly (keyof EcsOperations)[] = [
  'CreateCluster',
  'RegisterTaskDefinition',
  'DeregisterTaskDefinition',
  'CreateService',
  'UpdateService',
  'DeleteService',
  'ContinueServiceDeployment',
  'RunTask',
  'StopTask',
];

/** A page of `items` after `nextToken`, the way ECS pages its List operations (an opaque token while more remain). */
export function page<T>(
  items: T[],
  maxResults: number,
  nextToken: string | undefined,
): { items: T[]; nextToken?: string } {
  const start = nextToken ? Number(Buffer.from(nextToken, 'base64url').toString('utf8')) || 0 : 0;
  const next =
    start + maxResults < items.length ? Buffer.from(String(start + maxResults)).toString('base64url') : undefined;
  return { items: items.slice(start, start + maxResults), ...(next ? { nextToken: next } : {}) };
}

/** A cluster's name from a name or ARN (default: `default`). */
export function clusterName(reference: string | undefined): string {
  if (!reference) return 'default';
  return reference.includes(':cluster/') ? reference.split(':cluster/')[1]! : reference;
}

/** A service's name from a name or ARN. */
export function serviceName(reference: string): string {
  return reference.startsWith('arn:') ? reference.split('/').at(-1)! : reference;
}
