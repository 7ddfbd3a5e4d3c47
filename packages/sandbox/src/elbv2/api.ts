// The Elastic Load Balancing (v2) operations the sandbox serves (awsQuery), their answers typed by the AWS SDK's own
// response shapes: a handler that answers a member ELBv2 does not have does not compile. Handlers get the flat form
// parameters (`RuleArns.member.1`), as every awsQuery module does.
import type * as sdk from '@aws-sdk/client-elastic-load-balancing-v2';
import type { CallContext } from '../core/module.js';

export interface Elbv2Operations {
  DescribeRules: sdk.DescribeRulesOutput;
}

export type Elbv2Handlers = {
  [K in keyof Elbv2Operations]: (params: Record<string, string>, ctx: CallContext) => Elbv2Operations[K];
};

/** Operations that change state (the recorder flags them); none yet. */
export const ELBV2_MUTATING: readonly string[] = [];

/** The values of a flat awsQuery list parameter (`Name.member.1`, `Name.member.2`, ...), in order. */
export function listParameter(params: Record<string, string>, name: string): string[] {
  const prefix = `${name}.member.`;
  return Object.entries(params)
    .filter(([key]) => key.startsWith(prefix))
    .map(([key, value]) => [Number(key.slice(prefix.length)), value] as const)
    .sort(([a], [b]) => a - b)
    .map(([, value]) => value);
}
