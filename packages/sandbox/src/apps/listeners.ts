// A load balancer listener's answer, as the listener rules route it: GET <sandbox>/listeners/<load balancer>/<port>/
// <path> takes the listener's first rule whose path pattern matches, picks one of its target groups by the weights
// ECS or CodeDeploy set, and is answered by a healthy running task registered in that group (the tasks of the
// deployment or task set whose revision uses it). So the production listener shows what production traffic sees
// during a blue/green deployment, and the test listener what test traffic sees: the new revision alone once the test
// traffic moved.
import type { EcsWorld } from '../ecs/world.js';
import type { Elbv2State, ListenerRule } from '../elbv2/state.js';
import type { Task } from '../ecs/task.js';

export const LISTENER_PREFIX = '/listeners/';

export interface ListenerRoute {
  loadBalancer: string;
  port: number;
  path: string;
}

export function listenerRoute(pathname: string): ListenerRoute | undefined {
  if (!pathname.startsWith(LISTENER_PREFIX)) return undefined;
  const [loadBalancer, port, ...rest] = pathname.slice(LISTENER_PREFIX.length).split('/');
  if (!loadBalancer || !port || !/^\d+$/.test(port)) return undefined;
  return { loadBalancer: decodeURIComponent(loadBalancer), port: Number(port), path: `/${rest.join('/')}` };
}

/** Weighted turns per rule, so that a 10/90 split answers one request in ten from the first group. */
const turns = new WeakMap<ListenerRule, number>();

/** The task that answers a request to a listener, or why none does (the status a load balancer would give). */
export function routeToTask(
  route: ListenerRoute,
  elbv2: Elbv2State,
  ecs: EcsWorld,
): { task: Task } | { status: 404 | 503; message: string } {
  const listener = [...elbv2.listeners.values()].find(
    (l) => l.loadBalancer === route.loadBalancer && l.port === route.port,
  );
  if (!listener) return { status: 404, message: `No listener on port ${route.port} of ${route.loadBalancer}.` };
  const rule = elbv2
    .rulesOf(listener.arn)
    .find((r) => !r.isDefault && r.pathPattern.some((pattern) => globMatches(pattern, route.path)));
  const forward = (rule?.forward ?? []).filter((t) => t.weight > 0);
  if (!rule || forward.length === 0) return { status: 404, message: 'Not Found' };
  const total = forward.reduce((sum, t) => sum + t.weight, 0);
  const turn = turns.get(rule) ?? 0;
  turns.set(rule, turn + 1);
  // Turn n goes to the group whose cumulative weight first exceeds n's place in a round of `total` requests.
  let place = (turn * 37) % total;
  const group = forward.find((t) => (place -= t.weight) < 0)!.targetGroupArn;
  const tasks = registeredTasks(ecs, group);
  if (tasks.length === 0) return { status: 503, message: `No healthy target in ${group.split('/').at(-2)}.` };
  return { task: tasks[turn % tasks.length]! };
}

/** The healthy running tasks of every deployment or task set whose revision registers them with `group`. */
function registeredTasks(ecs: EcsWorld, group: string): Task[] {
  const found: Task[] = [];
  for (const cluster of ecs.clusters.all()) {
    for (const service of cluster.services.values()) {
      for (const deployment of service.deployments) {
        if (deployment.status === 'INACTIVE' || !deployment.revision.targetGroups?.includes(group)) continue;
        found.push(...deployment.tasks.filter((t) => t.lastStatus === 'RUNNING' && t.healthy));
      }
    }
  }
  return found;
}

/** An ELB path pattern: `*` any characters, `?` one. */
function globMatches(pattern: string, path: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(path);
}
