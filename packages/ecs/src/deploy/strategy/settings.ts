/**
 * A deployment strategy chosen for one deploy, with its parameters: applied with the UpdateService that starts the
 * deployment. Light on purpose (no AWS SDK): the action's settings build it before anything heavy is loaded.
 */
import type { Strategy, StrategyKeys } from '../../rules.js';

export interface StrategySettings {
  strategy: Strategy;
  bakeTimeMinutes?: number;
  linearStepPercent?: number;
  linearStepBakeMinutes?: number;
  canaryPercent?: number;
  canaryBakeMinutes?: number;
}

/** The settings from keys named as the inputs and the release config name them (undefined: keep the service's). */
export function strategySettings(keys: StrategyKeys): StrategySettings | undefined {
  if (!keys.strategy) return undefined;
  const settings: StrategySettings = {
    strategy: keys.strategy,
    bakeTimeMinutes: keys['bake-time-minutes'],
    linearStepPercent: keys['linear-step-percent'],
    linearStepBakeMinutes: keys['linear-step-bake-minutes'],
    canaryPercent: keys['canary-percent'],
    canaryBakeMinutes: keys['canary-bake-minutes'],
  };
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as StrategySettings;
}
