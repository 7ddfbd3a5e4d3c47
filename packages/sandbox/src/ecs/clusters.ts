// ECS clusters: CreateCluster, DescribeClusters, ListClusters, and the lookup every other operation starts from.
import type * as sdk from '@aws-sdk/client-ecs';
import { AwsError } from '../core/module.js';
import { clusterName } from './api.js';
import type { Service } from './service.js';
import type { Task } from './task.js';
import type { EcsWorld } from './world.js';

export interface Cluster {
  name: string;
  arn: string;
  createdAt: number;
  /** EC2 container instances registered in the cluster (tasks with the EC2 launch type need one). */
  containerInstances: number;
  services: Map<string, Service>;
  tasks: Map<string, Task>;
}

export class Clusters {
  constructor(private readonly world: EcsWorld) {}

  /** A cluster by name or ARN, or ECS's ClusterNotFoundException. */
  get(region: string, reference: string | undefined): Cluster {
    const cluster = this.world.region(region).clusters.get(clusterName(reference));
    if (!cluster) throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
    return cluster;
  }

  /** Every cluster of every region. */
  *all(): Iterable<Cluster> {
    for (const region of this.world.regions()) yield* region.clusters.values();
  }

  create(region: string, input: sdk.CreateClusterRequest, containerInstances = 0): sdk.CreateClusterResponse {
    const name = input.clusterName ?? 'default';
    const clusters = this.world.region(region).clusters;
    let cluster = clusters.get(name);
    if (!cluster) {
      cluster = {
        name,
        arn: `arn:aws:ecs:${region}:${this.world.accountId}:cluster/${name}`,
        createdAt: this.world.clock.now(),
        containerInstances,
        services: new Map(),
        tasks: new Map(),
      };
      clusters.set(name, cluster);
    }
    return { cluster: renderCluster(cluster) };
  }

  describe(region: string, input: sdk.DescribeClustersRequest): sdk.DescribeClustersResponse {
    const refs = input.clusters && input.clusters.length > 0 ? input.clusters : ['default'];
    const clusters: sdk.Cluster[] = [];
    const failures: sdk.Failure[] = [];
    for (const ref of refs) {
      const cluster = this.world.region(region).clusters.get(clusterName(ref));
      if (cluster) clusters.push(renderCluster(cluster));
      else
        failures.push({
          arn: `arn:aws:ecs:${region}:${this.world.accountId}:cluster/${clusterName(ref)}`,
          reason: 'MISSING',
        });
    }
    return { clusters, failures };
  }

  list(region: string): sdk.ListClustersResponse {
    return { clusterArns: [...this.world.region(region).clusters.values()].map((c) => c.arn) };
  }
}

function renderCluster(c: Cluster): sdk.Cluster {
  const tasks = [...c.tasks.values()];
  return {
    clusterArn: c.arn,
    clusterName: c.name,
    status: 'ACTIVE',
    registeredContainerInstancesCount: c.containerInstances,
    runningTasksCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingTasksCount: tasks.filter((t) => t.alive && t.lastStatus !== 'RUNNING').length,
    activeServicesCount: [...c.services.values()].filter((s) => s.status === 'ACTIVE').length,
    statistics: [],
    tags: [],
    settings: [],
    capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
    defaultCapacityProviderStrategy: [],
  };
}
