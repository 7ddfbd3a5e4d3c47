// The sandbox's Elastic Load Balancing (v2) API (awsQuery, signed as `elasticloadbalancing`, botocore's `elbv2`):
// load balancers, listeners, target groups and listener rules with weighted forward actions (./operations.ts). ECS's
// traffic shifting moves the weights (see ../ecs/traffic-shift.ts); the state keeps every change.
import type { AwsQueryModule, ServiceDefinition } from '../core/module.js';
import { ScenarioError } from '../core/scenario.js';
import { ELBV2_MUTATING } from './api.js';
import { elbv2Handlers } from './operations.js';
import { elbv2SectionSchema, type Elbv2Section } from './scenario.js';
import { Elbv2State } from './state.js';

export { Elbv2State } from './state.js';
export type { Listener, ListenerRule, LoadBalancer, TargetGroup, WeightChange } from './state.js';
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
      handlers: elbv2Handlers(state),
      state,
    };
  },
};
