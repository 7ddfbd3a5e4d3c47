// The task sets and listener weights a CodeDeploy ECS deployment moves: the replacement (green) task set it creates
// beside the original (blue), the task sets it removes, and the listener-rule weights that send traffic to either.
// Kept apart from the lifecycle (deployment.ts), which only decides when each of these happens.
import { newDeployment, newRecord, newRevision, type Deployment } from '../ecs/deployments.js';
import type { Service } from '../ecs/service.js';
import type { TaskDefinition } from '../ecs/task-definitions.js';

/** The deployment group's two target groups and listener rules, as the traffic moves need them. */
export interface TrafficRoutes {
  targetGroupArns: [string, string];
  productionRuleArn: string;
  testRuleArn?: string;
}

/** Creates the replacement task set on the target group blue does not use, and starts its tasks. */
export function createReplacement(
  service: Service,
  routes: TrafficRoutes,
  blue: Deployment,
  taskDefinition: TaskDefinition,
  deploymentId: string,
): Deployment {
  const revision = newRevision(service, taskDefinition);
  const [first, second] = routes.targetGroupArns;
  const blueGroup = blue.revision.targetGroups?.[0] ?? service.extra.loadBalancers[0]?.targetGroupArn;
  revision.loadBalancers = structuredClone(service.extra.loadBalancers);
  revision.targetGroups = [blueGroup === second ? first : second];
  const green = newDeployment(service, taskDefinition, revision, false);
  green.record = newRecord(service, green, [], false);
  green.status = 'ACTIVE';
  green.taskSet = { startedBy: 'CodeDeploy', externalId: deploymentId };
  green.desiredCount = service.desiredCount;
  service.deployments.push(green);
  service.launchTasks(green, service.desiredCount);
  return green;
}

/** Stops a task set's tasks and removes it from the service. */
export function removeTaskSet(service: Service, deployment: Deployment, deploymentId: string): void {
  service.stopTasks(
    deployment.tasks.filter((t) => t.alive),
    `Task set ${deployment.id} was deleted by CodeDeploy deployment ${deploymentId}.`,
  );
  service.removeDeployment(deployment);
}

/**
 * The listener rule and its weights that give `green` `share` percent of a listener's traffic (the rest to the other
 * target group), or undefined when the group has no such listener or green has no target group yet.
 */
export function listenerWeights(
  routes: TrafficRoutes,
  listener: 'production' | 'test',
  green: Deployment | undefined,
  share: number,
): { ruleArn: string; weights: Record<string, number> } | undefined {
  const ruleArn = listener === 'production' ? routes.productionRuleArn : routes.testRuleArn;
  const greenGroup = green?.revision.targetGroups?.[0];
  const blueGroup = routes.targetGroupArns.find((g) => g !== greenGroup);
  if (!ruleArn || !greenGroup || !blueGroup) return undefined;
  return { ruleArn, weights: { [blueGroup]: 100 - share, [greenGroup]: share } };
}

/** Every wanted task of the task set is running and healthy. */
export function isReady(deployment: Deployment, desired: number): boolean {
  const live = deployment.tasks.filter((t) => t.alive);
  return live.length >= desired && live.every((t) => t.healthy && t.lastStatus === 'RUNNING');
}
