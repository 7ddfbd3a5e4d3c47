// The sandbox as the load balancers of its `elbv2` section answer: a request whose Host header a listener rule's
// host-header condition names (a preview environment's host, say) goes to that rule's target group, and from there to
// the ECS service registered in it, exactly as /apps/<cluster>/<service>/ would answer. A host no rule names is not
// the load balancer's, so other modules answer it.
import type { ServiceEnvironment, SandboxRequest } from '../core/module.js';
import { ecsService } from '../ecs/index.js';
import { elbv2Service } from '../elbv2/index.js';
import type { ListenerRule } from '../elbv2/state.js';

export interface LoadBalancedTarget {
  region: string;
  cluster: string;
  service: string;
  path: string;
  /** The rule that matched, for the answer. */
  rule: string;
}

/** Where a request would go through the load balancer, or undefined when no listener rule names its host. */
export function routeByHost(req: SandboxRequest, env: ServiceEnvironment): LoadBalancedTarget | undefined {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  if (!host || /^[\d.]+$|^localhost$|^\[/.test(host)) return undefined;
  let elb;
  try {
    elb = env.stateOf(elbv2Service);
  } catch {
    return undefined;
  }
  if (!elb) return undefined;
  const path = req.url.pathname;
  const rules = [...elb.rules.values()]
    .filter((rule) => !rule.isDefault && rule.hostHeader?.some((pattern) => wildcard(pattern).test(host)))
    .filter((rule) => rule.pathPattern.length === 0 || rule.pathPattern.some((pattern) => wildcard(pattern).test(path)))
    .sort((a, b) => Number(a.priority) - Number(b.priority));
  const rule = rules[0];
  const targetGroup = rule && heaviest(rule);
  if (!rule || !targetGroup) return undefined;
  const world = env.stateOf(ecsService);
  for (const cluster of world?.clusters.all() ?? []) {
    for (const service of cluster.services.values()) {
      if (service.status === 'ACTIVE' && service.extra.loadBalancers.some((lb) => lb.targetGroupArn === targetGroup)) {
        return { region: rule.region, cluster: cluster.name, service: service.name, path, rule: rule.arn };
      }
    }
  }
  return undefined;
}

function heaviest(rule: ListenerRule): string | undefined {
  return [...(rule.forward ?? [])].sort((a, b) => b.weight - a.weight)[0]?.targetGroupArn;
}

/** An ELB condition value (`*` any characters, `?` one) as a case-insensitive pattern. */
function wildcard(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}
