// The sandbox's Elastic Load Balancing (v2) API (awsQuery, signed as `elasticloadbalancing`, botocore's `elbv2`):
// listener rules with weighted forward actions, read with DescribeRules. ECS's traffic shifting moves the weights
// (see ../ecs/traffic-shift.ts); the state keeps every change.
import type * as sdk from '@aws-sdk/client-elastic-load-balancing-v2';
import { AwsError, type AwsQueryModule, type ServiceDefinition } from '../core/module.js';
import { ScenarioError } from '../core/scenario.js';
import { page } from '../ecs/api.js';
import { ELBV2_MUTATING, listParameter, type Elbv2Handlers } from './api.js';
import { elbv2SectionSchema, type Elbv2Section } from './scenario.js';
import { Elbv2State, type ListenerRule } from './state.js';

export { Elbv2State } from './state.js';
export type { ListenerRule, TargetGroup, WeightChange } from './state.js';
export type { Elbv2Section } from './scenario.js';

export type Elbv2Module = AwsQueryModule & { state: Elbv2State };

export const elbv2Service: ServiceDefinition<Elbv2Section, Elbv2Module, 'elbv2'> = {
  key: 'elbv2',
  schema: elbv2SectionSchema,
  create(section, env) {
    const state = new Elbv2State(env.accountId, () => env.clock.now());
    try {
      state.load(section, env.defaultRegion);
    } catch (error) {
      throw new ScenarioError(`Scenario is not valid: elbv2: ${(error as Error).message}.`);
    }
    return {
      protocol: 'query',
      signingName: 'elasticloadbalancing',
      apiModel: 'elbv2',
      mutating: new Set(ELBV2_MUTATING),
      handlers: handlers(state),
      state,
    };
  },
};

function handlers(state: Elbv2State): Elbv2Handlers {
  return {
    DescribeRules(params, ctx) {
      const ruleArns = listParameter(params, 'RuleArns');
      const listenerArn = params.ListenerArn;
      if (ruleArns.length > 0 === Boolean(listenerArn)) {
        throw new AwsError('ValidationError', 'You must specify either listener ARN or rule ARNs, and not both.');
      }
      let rules: ListenerRule[];
      if (listenerArn) {
        const listener = state.listeners.get(listenerArn);
        if (!listener || listener.region !== ctx.region) {
          throw new AwsError('ListenerNotFound', 'One or more listeners not found');
        }
        rules = state.rulesOf(listenerArn);
      } else {
        const found = ruleArns.map((arn) => state.rules.get(arn));
        if (found.some((rule) => !rule || rule.region !== ctx.region)) {
          throw new AwsError('RuleNotFound', 'One or more rules not found');
        }
        rules = found as ListenerRule[];
      }
      const pageSize = params.PageSize !== undefined ? Number(params.PageSize) : 400;
      const { items, nextToken } = page(rules, pageSize, params.Marker);
      return { Rules: items.map(renderRule), ...(nextToken ? { NextMarker: nextToken } : {}) };
    },
  };
}

function renderRule(rule: ListenerRule): sdk.Rule {
  const action: sdk.Action = rule.forward
    ? {
        Type: 'forward',
        Order: 1,
        ForwardConfig: {
          TargetGroups: rule.forward.map((t) => ({ TargetGroupArn: t.targetGroupArn, Weight: t.weight })),
          TargetGroupStickinessConfig: { Enabled: false },
        },
      }
    : {
        Type: 'fixed-response',
        Order: 1,
        FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'Not Found' },
      };
  return {
    RuleArn: rule.arn,
    Priority: rule.priority,
    Conditions: rule.isDefault
      ? []
      : [{ Field: 'path-pattern', Values: rule.pathPattern, PathPatternConfig: { Values: rule.pathPattern } }],
    Actions: [action],
    IsDefault: rule.isDefault,
  };
}
