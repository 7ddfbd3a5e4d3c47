/**
 * What a deployment will do, in words, for plan mode and for whoever formats a plan: the strategy, its traffic steps
 * and bakes, the hooks it runs and the least time it takes.
 */
import type { DeploymentConfiguration } from '@aws-sdk/client-ecs';
import { bakeMinutes, productionSteps, stepBakeMinutes, strategyOf } from './config.js';
import { percent } from './lifecycle.js';

/** `green` is the revision the deployment would run, `blue` the one it replaces. */
export function describeStrategy(config: DeploymentConfiguration, green: string, blue: string): string {
  const strategy = strategyOf(config);
  if (strategy === 'ROLLING') {
    const min = config.minimumHealthyPercent ?? 100;
    const max = config.maximumPercent ?? 200;
    return `Rolling update: tasks of ${green} replace those of ${blue}, keeping at least ${min}% and at most ${max}% of the desired count running.`;
  }
  const steps = productionSteps(config);
  const stepBake = minutes(stepBakeMinutes(config));
  let production: string;
  if (strategy === 'BLUE_GREEN') production = 'all production traffic at once';
  else if (strategy === 'CANARY' && steps.length > 1) {
    production = `${percent(steps[0]!)} of the production traffic, ${stepBake} later the remaining ${percent(100 - steps[0]!)}`;
  } else {
    production = `production traffic in ${steps.length} step(s) (${steps.map(percent).join(', ')}) with ${stepBake} after each but the last`;
  }
  const hooks = (config.lifecycleHooks ?? []).map((hook) => {
    const name = hook.hookTargetArn
      ? (/:function:([^:]+)/.exec(hook.hookTargetArn)?.[1] ?? hook.hookTargetArn)
      : 'pause';
    return `${name} at ${(hook.lifecycleStages ?? []).join(', ')}`;
  });
  const name = { BLUE_GREEN: 'Blue/green', LINEAR: 'Linear', CANARY: 'Canary' }[strategy];
  return [
    `${name}: ${green} scales up beside ${blue}, takes the test traffic, then ${production};`,
    `both run for the ${minutes(config.bakeTimeInMinutes ?? 0)} bake time, then ${blue} is removed.`,
    hooks.length > 0 ? `Lifecycle hooks: ${hooks.join('; ')}.` : '',
    `The waits alone take ${minutes(bakeMinutes(config))}.`,
  ]
    .filter(Boolean)
    .join(' ');
}

export function minutes(count: number): string {
  return `${count} min`;
}
