// What ECS accepts in the strategy members of a deployment configuration (DeploymentConfiguration,
// LinearConfiguration, CanaryConfiguration, DeploymentLifecycleHook in the API reference), refused with
// InvalidParameterException as CreateService and UpdateService refuse it.
import type * as sdk from '@aws-sdk/client-ecs';
import { AwsError } from '../core/module.js';
import type { DeploymentConfiguration } from './deployments.js';
import { shiftsTraffic, strategyOf } from './lifecycle.js';

const STRATEGIES = ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'];
const HOOK_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
];

/** The configuration after an update: a strategy's own settings go when the update switches to another strategy. */
export function mergeStrategy(merged: DeploymentConfiguration, update: sdk.DeploymentConfiguration): void {
  if (update.strategy === undefined) return;
  if (update.strategy !== 'LINEAR' && update.linearConfiguration === undefined) delete merged.linearConfiguration;
  if (update.strategy !== 'CANARY' && update.canaryConfiguration === undefined) delete merged.canaryConfiguration;
}

export function checkStrategy(
  config: DeploymentConfiguration,
  controller: string,
  loadBalancers: readonly sdk.LoadBalancer[],
): void {
  const strategy = config.strategy ?? 'ROLLING';
  if (!STRATEGIES.includes(strategy)) throw invalid(`Deployment strategy ${strategy} is not valid.`);
  if (shiftsTraffic(config) && controller !== 'ECS') {
    throw invalid(`The ${strategy} deployment strategy is only supported with the ECS deployment controller.`);
  }
  if (strategy === 'BLUE_GREEN' && config.bakeTimeInMinutes === undefined) {
    throw invalid('bakeTimeInMinutes must be provided for the BLUE_GREEN deployment strategy.');
  }
  minutes(config.bakeTimeInMinutes, 'bakeTimeInMinutes');
  if (config.linearConfiguration) {
    if (strategyOf(config) !== 'LINEAR') throw invalid('linearConfiguration is only valid with the LINEAR strategy.');
    tenths(config.linearConfiguration.stepPercent, 3, 'linearConfiguration.stepPercent');
    minutes(config.linearConfiguration.stepBakeTimeInMinutes, 'linearConfiguration.stepBakeTimeInMinutes');
  }
  if (config.canaryConfiguration) {
    if (strategyOf(config) !== 'CANARY') throw invalid('canaryConfiguration is only valid with the CANARY strategy.');
    tenths(config.canaryConfiguration.canaryPercent, 0.1, 'canaryConfiguration.canaryPercent');
    minutes(config.canaryConfiguration.canaryBakeTimeInMinutes, 'canaryConfiguration.canaryBakeTimeInMinutes');
  }
  for (const hook of config.lifecycleHooks ?? []) checkHook(hook);
  if (shiftsTraffic(config)) {
    for (const lb of loadBalancers) {
      const advanced = lb.advancedConfiguration;
      if (!advanced?.alternateTargetGroupArn || !advanced.productionListenerRule || !advanced.roleArn) {
        throw invalid(
          `The ${strategy} deployment strategy needs advancedConfiguration with alternateTargetGroupArn, productionListenerRule and roleArn for each load balancer.`,
        );
      }
    }
  }
}

function checkHook(hook: sdk.DeploymentLifecycleHook): void {
  const type = hook.targetType ?? 'AWS_LAMBDA';
  if (type !== 'AWS_LAMBDA' && type !== 'PAUSE') throw invalid(`Lifecycle hook targetType ${type} is not valid.`);
  const stages = hook.lifecycleStages ?? [];
  if (stages.length === 0) throw invalid('A lifecycle hook needs lifecycleStages.');
  for (const stage of stages) {
    if (!HOOK_STAGES.includes(stage)) throw invalid(`Lifecycle stage ${stage} is not valid for a hook.`);
    if (type === 'PAUSE' && (stage === 'TEST_TRAFFIC_SHIFT' || stage === 'PRODUCTION_TRAFFIC_SHIFT')) {
      throw invalid(`PAUSE hooks cannot be configured at the ${stage} stage.`);
    }
  }
  if (
    type === 'AWS_LAMBDA' &&
    !/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[\w$-]+)?$/.test(hook.hookTargetArn ?? '')
  ) {
    throw invalid('A lifecycle hook of type AWS_LAMBDA needs a Lambda function ARN in hookTargetArn.');
  }
  const timeout = hook.timeoutConfiguration?.timeoutInMinutes;
  if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 1 || timeout > 20160)) {
    throw invalid('timeoutConfiguration.timeoutInMinutes must be a whole number from 1 to 20160.');
  }
}

function minutes(value: number | undefined, name: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > 1440)) {
    throw invalid(`${name} must be a whole number of minutes from 0 to 1440.`);
  }
}

/** Percentages in multiples of 0.1 from `min` to 100. */
function tenths(value: number | undefined, min: number, name: string): void {
  if (value === undefined) return;
  if (value < min || value > 100 || Math.abs(value * 10 - Math.round(value * 10)) > 1e-9) {
    throw invalid(`${name} must be a multiple of 0.1 from ${min} to 100.`);
  }
}

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameterException', message);
}
