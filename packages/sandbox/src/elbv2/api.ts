// The Elastic Load Balancing (v2) operations the sandbox serves (awsQuery), their answers typed by the AWS SDK's own
// response shapes: a handler that answers a member ELBv2 does not have does not compile. Handlers get the flat form
// parameters (`RuleArns.member.1`), as every awsQuery module does.
import type * as sdk from '@aws-sdk/client-elastic-load-balancing-v2';
import type { CallContext } from '../core/module.js';

export interface Elbv2Operations {
  DescribeRules: sdk.DescribeRulesOutput;
  DescribeLoadBalancers: sdk.DescribeLoadBalancersOutput;
  DescribeListeners: sdk.DescribeListenersOutput;
  DescribeTargetGroups: sdk.DescribeTargetGroupsOutput;
  DescribeTags: sdk.DescribeTagsOutput;
  CreateTargetGroup: sdk.CreateTargetGroupOutput;
  DeleteTargetGroup: sdk.DeleteTargetGroupOutput;
  CreateRule: sdk.CreateRuleOutput;
  DeleteRule: sdk.DeleteRuleOutput;
}

export type Elbv2Handlers = {
  [K in keyof Elbv2Operations]: (params: Record<string, string>, ctx: CallContext) => Elbv2Operations[K];
};

/** Operations that change state (the recorder flags them). */
export const ELBV2_MUTATING: readonly (keyof Elbv2Operations)[] = [
  'CreateTargetGroup',
  'DeleteTargetGroup',
  'CreateRule',
  'DeleteRule',
];

/** The values of a flat awsQuery list parameter (`Name.member.1`, `Name.member.2`, ...), in order. */
export function listParameter(params: Record<string, string>, name: string): string[] {
  return structureList(params, name).map((item) => item[''] ?? '');
}

/**
 * The members of a flat awsQuery list of structures (`Tags.member.1.Key`, `Tags.member.1.Value`, ...), in order, each
 * as its own flat parameters (`Key`, `Value`; a scalar member's value under '').
 */
export function structureList(params: Record<string, string>, name: string): Record<string, string>[] {
  const prefix = `${name}.member.`;
  const items = new Map<number, Record<string, string>>();
  for (const [key, value] of Object.entries(params)) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const dot = rest.indexOf('.');
    const n = Number(dot < 0 ? rest : rest.slice(0, dot));
    if (!items.has(n)) items.set(n, {});
    items.get(n)![dot < 0 ? '' : rest.slice(dot + 1)] = value;
  }
  return [...items.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
}

/** `Tags.member.N.Key` / `.Value` as tags. */
export function tagsParameter(params: Record<string, string>, name = 'Tags'): { Key: string; Value?: string }[] {
  return structureList(params, name).map((t) => ({
    Key: t.Key ?? '',
    ...(t.Value !== undefined ? { Value: t.Value } : {}),
  }));
}
