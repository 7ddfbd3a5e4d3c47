/**
 * After ECS rolled a blue/green, linear or canary deployment back, the load balancer itself is asked where the
 * production traffic goes: the revision ECS went back to names its target group and production listener rule
 * (DescribeServiceRevisions, resolvedConfiguration), and ELBv2's DescribeRules gives that rule's weights.
 */
import { DescribeServiceRevisionsCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client, Rule } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ServiceDeploymentView } from '../snapshot.js';
import type { DeployContext } from '../types.js';
import { percent } from './lifecycle.js';

export interface TrafficCheck {
  /** Every production listener rule sends all its traffic to the revision's target group. */
  confirmed: boolean;
  /** "listener rule …/9683b2d02a6cabee: 100% to web-blue". */
  detail: string;
}

/** The production traffic on a revision, as its load balancers' listener rules say; undefined without any. */
export async function productionTrafficOn(
  ecs: ECSClient,
  elbv2: ElasticLoadBalancingV2Client,
  revisionArn: string,
  signal?: AbortSignal,
): Promise<TrafficCheck | undefined> {
  const { serviceRevisions } = await ecs.send(
    new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revisionArn] }),
    { abortSignal: signal },
  );
  const routes = (serviceRevisions?.[0]?.resolvedConfiguration?.loadBalancers ?? []).filter(
    (lb): lb is { targetGroupArn: string; productionListenerRule: string } =>
      Boolean(lb.targetGroupArn && lb.productionListenerRule),
  );
  if (routes.length === 0) return undefined;
  const { DescribeRulesCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
  const ruleArns = [...new Set(routes.map((route) => route.productionListenerRule))];
  const { Rules } = await elbv2.send(new DescribeRulesCommand({ RuleArns: ruleArns }), { abortSignal: signal });
  const shares = routes.map((route) => {
    const rule = Rules?.find((r) => r.RuleArn === route.productionListenerRule);
    return { route, share: rule ? shareOf(rule, route.targetGroupArn) : 0 };
  });
  return {
    confirmed: shares.every(({ share }) => share >= 99.95),
    detail: shares
      .map(
        ({ route, share }) =>
          `listener rule …/${route.productionListenerRule.split('/').at(-1)}: ${percent(share)} to ${targetGroupName(route.targetGroupArn)}`,
      )
      .join(', '),
  };
}

/** A target group's share of a rule's forwarded traffic, in percent. */
export function shareOf(rule: Rule, targetGroupArn: string): number {
  const forward = rule.Actions?.find((action) => action.Type === 'forward');
  if (!forward) return 0;
  const groups = forward.ForwardConfig?.TargetGroups;
  if (!groups || groups.length === 0) return forward.TargetGroupArn === targetGroupArn ? 100 : 0;
  const total = groups.reduce((sum, group) => sum + (group.Weight ?? 1), 0);
  const mine = groups.find((group) => group.TargetGroupArn === targetGroupArn);
  return total > 0 && mine ? ((mine.Weight ?? 1) / total) * 100 : 0;
}

function targetGroupName(arn: string): string {
  return /:targetgroup\/([^/]+)\//.exec(arn)?.[1] ?? arn;
}

/**
 * A rollback of a traffic-shifting deployment is confirmed by the load balancer: all production traffic on the
 * revision ECS went back to. Without an ELBv2 client, load balancers or permission to read them, ECS's record stands
 * (and a warning says the rules could not be read). Returns the verdict to apply, or undefined to keep ECS's.
 */
export async function confirmTrafficBack(
  service: string,
  record: ServiceDeploymentView | undefined,
  verdict: { reason: string },
  context: Pick<DeployContext, 'ecs' | 'elbv2' | 'logger' | 'signal'>,
): Promise<{ healthy: boolean; reason: string } | undefined> {
  const revision = record?.rollbackRevisionArn ?? record?.lifecycle?.blue[0]?.arn;
  if (!record?.lifecycle || !revision || !context.elbv2) return undefined;
  try {
    const check = await productionTrafficOn(context.ecs, await context.elbv2(), revision, context.signal);
    if (!check) return undefined;
    return check.confirmed
      ? { healthy: true, reason: `${verdict.reason} (${check.detail})` }
      : {
          healthy: false,
          reason: `ECS reports the rollback done, but the production traffic is not all back: ${check.detail}`,
        };
  } catch (error) {
    if (context.signal.aborted) throw error;
    const { name, message } = error as Error;
    context.logger.warning(
      `${service}: could not read the production listener rule to confirm the traffic is back (${name}: ${message}); ECS's service deployment says it is.`,
    );
    return undefined;
  }
}
