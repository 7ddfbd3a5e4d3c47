// A service's load balancers as ECS keeps them: target groups and listener rules named by ARN (a scenario may name
// them as its `elbv2` section does), checked against the load balancers that exist, and the listener rules set to
// send all traffic to the target group a running revision uses.
import type * as sdk from '@aws-sdk/client-ecs';
import { AwsError } from '../core/module.js';

/** What ECS needs of the ELBv2 module (its state implements it). */
export interface ListenerRules {
  targetGroup(region: string, reference: string): { arn: string } | undefined;
  rule(region: string, reference: string): { arn: string } | undefined;
  setWeights(ruleArn: string, weights: Record<string, number>, by: string): void;
  /** The load balancers whose listeners forward to a target group. */
  loadBalancersOf(targetGroupArn: string): string[];
}

/**
 * The load balancers with ARNs. `names`: the scenario's start, where target groups and rules may be named as the
 * `elbv2` section names them and the role defaults to ecsInfrastructureRoleForLoadBalancers. Without an ELBv2 module
 * the references are kept as given.
 */
export function resolveLoadBalancers(
  given: readonly sdk.LoadBalancer[] | undefined,
  region: string,
  accountId: string,
  rules: ListenerRules | undefined,
  names: boolean,
): sdk.LoadBalancer[] {
  const targetGroup = (reference: string | undefined, what: string): string | undefined => {
    if (reference === undefined) return undefined;
    if (!rules) return reference;
    if (!names && !reference.startsWith('arn:')) throw invalid(`${what} "${reference}" is not an ARN.`);
    const found = rules.targetGroup(region, reference);
    if (!found) throw invalid(`The target group ${reference} does not exist.`);
    // ECS registers tasks only in a target group a load balancer forwards to.
    if (!names && rules.loadBalancersOf(found.arn).length === 0) {
      throw invalid(`The target group with targetGroupArn ${found.arn} does not have an associated load balancer.`);
    }
    return found.arn;
  };
  const rule = (reference: string | undefined, what: string): string | undefined => {
    if (reference === undefined) return undefined;
    if (!rules) return reference;
    if (!names && !reference.startsWith('arn:')) throw invalid(`${what} "${reference}" is not an ARN.`);
    const found = rules.rule(region, reference);
    if (!found) throw invalid(`The listener rule ${reference} does not exist.`);
    return found.arn;
  };
  return (given ?? []).map((lb) => {
    const advanced = lb.advancedConfiguration;
    return {
      ...lb,
      targetGroupArn: targetGroup(lb.targetGroupArn, 'targetGroupArn'),
      ...(advanced
        ? {
            advancedConfiguration: {
              alternateTargetGroupArn: targetGroup(advanced.alternateTargetGroupArn, 'alternateTargetGroupArn'),
              productionListenerRule: rule(advanced.productionListenerRule, 'productionListenerRule'),
              ...(advanced.testListenerRule
                ? { testListenerRule: rule(advanced.testListenerRule, 'testListenerRule') }
                : {}),
              roleArn:
                advanced.roleArn ??
                (names ? `arn:aws:iam::${accountId}:role/ecsInfrastructureRoleForLoadBalancers` : undefined),
            },
          }
        : {}),
    };
  });
}

/** Sends all production and test traffic of each load balancer to the target groups a revision uses. */
export function routeAllTo(
  loadBalancers: readonly sdk.LoadBalancer[],
  targetGroups: readonly string[],
  rules: ListenerRules | undefined,
  by: string,
): void {
  loadBalancers.forEach((lb, i) => {
    const advanced = lb.advancedConfiguration;
    const group = targetGroups[i];
    if (!rules || !advanced || !group) return;
    const other = [lb.targetGroupArn, advanced.alternateTargetGroupArn].find((g) => g && g !== group);
    const weights = { [group]: 100, ...(other ? { [other]: 0 } : {}) };
    for (const ruleArn of [advanced.productionListenerRule, advanced.testListenerRule]) {
      if (ruleArn) rules.setWeights(ruleArn, weights, by);
    }
  });
}

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameterException', message);
}
