/**
 * The strategy each service would deploy with (its own, or the deploy's), and what would make that deployment fail
 * for sure, found from DescribeServices alone, before anything changes: a blue/green deployment without a bake time,
 * a load balancer without the alternate target group and listener rules traffic shifting needs, and a timeout
 * shorter than the bakes the strategy waits through.
 */
import type { DeploymentConfiguration, Service } from '@aws-sdk/client-ecs';
import { UserError, formatDuration } from '@ecs-ship/action-kit';
import type { DeployOptions } from '../types.js';
import { bakeMinutes, shiftsTraffic, strategyOf } from './config.js';

/** The problems, each naming the input to change and how. */
export function strategyProblems(
  service: string,
  described: Service,
  target: DeploymentConfiguration,
  options: Pick<DeployOptions, 'wait' | 'timeoutMs' | 'strategy'>,
): string[] {
  const problems: string[] = [];
  const strategy = strategyOf(target);
  const chosen = options.strategy ? 'the "strategy" input' : 'the service';
  if (strategy === 'BLUE_GREEN' && target.bakeTimeInMinutes === undefined) {
    problems.push(
      `Input "bake-time-minutes": service "${service}" would deploy BLUE_GREEN without a bake time, which ECS requires. Set "bake-time-minutes" (0 to 1440)`,
    );
  }
  if (shiftsTraffic(target)) {
    const bare = (described.loadBalancers ?? []).filter(
      (lb) => !lb.advancedConfiguration?.alternateTargetGroupArn || !lb.advancedConfiguration.productionListenerRule,
    );
    if (bare.length > 0) {
      problems.push(
        `Input "strategy": service "${service}" has a load balancer without advancedConfiguration (an alternate target group and a production listener rule), which ${strategy} needs. Add them to the service, or deploy it with "strategy: rolling"`,
      );
    }
  }
  const waits = bakeMinutes(target) * 60_000;
  if (options.wait && waits > options.timeoutMs) {
    problems.push(
      `Input "timeout-minutes": the ${strategy} deployment of "${service}" (as ${chosen} sets it) waits ${formatDuration(waits)} in its bake times alone, longer than "timeout-minutes" (${formatDuration(options.timeoutMs)}). Give "timeout-minutes" more than ${Math.ceil(waits / 60_000)}, shorten the bake times, or set "wait: false"`,
    );
  }
  return problems;
}

/**
 * Checks every service about to be deployed: throws a UserError naming every problem (nothing has changed yet); in
 * plan mode returns them for the plan to show.
 */
export function checkStrategies(
  prepared: readonly { service: string; described: Service; deploy: boolean }[],
  options: Pick<DeployOptions, 'wait' | 'timeoutMs' | 'strategy' | 'mode'>,
  configurationOf: (service: Service) => DeploymentConfiguration,
): string[] {
  const problems = prepared.flatMap((p) =>
    p.deploy || options.mode === 'plan'
      ? strategyProblems(p.service, p.described, configurationOf(p.described), options)
      : [],
  );
  if (problems.length > 0 && options.mode !== 'plan')
    throw new UserError(`${problems.join('. ')}. Nothing was changed.`);
  return problems;
}
