/**
 * ECS's deployment strategies as the deploy uses them: which one a service has, the deployment configuration the
 * UpdateService sends when a deploy chooses one, and what the chosen one will do (the production traffic steps and
 * the least time its bakes take). The defaults are the API reference's (LinearConfiguration, CanaryConfiguration).
 */
import type { DeploymentConfiguration } from '@aws-sdk/client-ecs';
import type { Strategy } from '../../rules.js';
import type { StrategySettings } from './settings.js';

export const LINEAR_DEFAULTS = { stepPercent: 10, stepBakeTimeInMinutes: 6 } as const;
export const CANARY_DEFAULTS = { canaryPercent: 5, canaryBakeTimeInMinutes: 10 } as const;

export function strategyOf(config: DeploymentConfiguration | undefined): Strategy {
  return (config?.strategy as Strategy | undefined) ?? 'ROLLING';
}

/** BLUE_GREEN, LINEAR and CANARY move traffic between two revisions in lifecycle stages. */
export function shiftsTraffic(config: DeploymentConfiguration | undefined): boolean {
  return strategyOf(config) !== 'ROLLING';
}

/**
 * The service's deployment configuration with a deploy's strategy applied: the strategy, its parameters (given ones
 * replace the service's, the others are kept when the service already had that strategy), and nothing of another
 * strategy. Without settings the configuration is returned as it is.
 */
export function withStrategy(
  config: DeploymentConfiguration,
  settings: StrategySettings | undefined,
): DeploymentConfiguration {
  if (!settings) return config;
  const { linearConfiguration, canaryConfiguration, bakeTimeInMinutes, ...rest } = config;
  const same = strategyOf(config) === settings.strategy;
  const result: DeploymentConfiguration = { ...rest, strategy: settings.strategy };
  if (settings.strategy === 'ROLLING') return result;
  const bake = settings.bakeTimeMinutes ?? bakeTimeInMinutes;
  if (bake !== undefined) result.bakeTimeInMinutes = bake;
  if (settings.strategy === 'LINEAR') {
    result.linearConfiguration = defined({
      stepPercent: settings.linearStepPercent ?? (same ? linearConfiguration?.stepPercent : undefined),
      stepBakeTimeInMinutes:
        settings.linearStepBakeMinutes ?? (same ? linearConfiguration?.stepBakeTimeInMinutes : undefined),
    });
  }
  if (settings.strategy === 'CANARY') {
    result.canaryConfiguration = defined({
      canaryPercent: settings.canaryPercent ?? (same ? canaryConfiguration?.canaryPercent : undefined),
      canaryBakeTimeInMinutes:
        settings.canaryBakeMinutes ?? (same ? canaryConfiguration?.canaryBakeTimeInMinutes : undefined),
    });
  }
  return result;
}

/** Green's share of the production traffic after each step (percent). */
export function productionSteps(config: DeploymentConfiguration): number[] {
  switch (strategyOf(config)) {
    case 'LINEAR': {
      const tenths = Math.round((config.linearConfiguration?.stepPercent ?? LINEAR_DEFAULTS.stepPercent) * 10);
      const steps = Math.ceil(1000 / tenths);
      return Array.from({ length: steps }, (_, i) => Math.min(1000, (i + 1) * tenths) / 10);
    }
    case 'CANARY': {
      const canary = config.canaryConfiguration?.canaryPercent ?? CANARY_DEFAULTS.canaryPercent;
      return canary >= 100 ? [100] : [canary, 100];
    }
    case 'BLUE_GREEN':
      return [100];
    default:
      return [];
  }
}

/** Minutes of waiting between production steps (none after the step that reaches 100%). */
export function stepBakeMinutes(config: DeploymentConfiguration): number {
  if (strategyOf(config) === 'LINEAR') {
    return config.linearConfiguration?.stepBakeTimeInMinutes ?? LINEAR_DEFAULTS.stepBakeTimeInMinutes;
  }
  if (strategyOf(config) === 'CANARY') {
    return config.canaryConfiguration?.canaryBakeTimeInMinutes ?? CANARY_DEFAULTS.canaryBakeTimeInMinutes;
  }
  return 0;
}

/** The least time the strategy's bakes take (minutes): the step bakes and the final bake. */
export function bakeMinutes(config: DeploymentConfiguration): number {
  if (!shiftsTraffic(config)) return 0;
  const bakes = Math.max(0, productionSteps(config).length - 1) * stepBakeMinutes(config);
  return bakes + (config.bakeTimeInMinutes ?? 0);
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
