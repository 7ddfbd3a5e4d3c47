// CodeDeploy's predefined deployment configurations for ECS: how the production traffic moves to the replacement
// task set (all at once, a canary share then the rest, or equal linear steps), as the user guide lists them.

export interface TrafficSteps {
  /** Green's production share after each move, in percent (the last is 100). */
  shares: number[];
  /** Minutes between two moves. */
  intervalMinutes: number;
  /** The TrafficRoutingConfig the configuration has, as GetDeploymentConfig would give it. */
  type: 'AllAtOnce' | 'TimeBasedCanary' | 'TimeBasedLinear';
}

const canary = (percent: number, minutes: number): TrafficSteps => ({
  shares: [percent, 100],
  intervalMinutes: minutes,
  type: 'TimeBasedCanary',
});

const linear = (percent: number, minutes: number): TrafficSteps => ({
  shares: Array.from({ length: Math.ceil(100 / percent) }, (_, i) => Math.min(100, (i + 1) * percent)),
  intervalMinutes: minutes,
  type: 'TimeBasedLinear',
});

export const ECS_DEPLOYMENT_CONFIGS: Readonly<Record<string, TrafficSteps>> = {
  'CodeDeployDefault.ECSAllAtOnce': { shares: [100], intervalMinutes: 0, type: 'AllAtOnce' },
  'CodeDeployDefault.ECSCanary10Percent5Minutes': canary(10, 5),
  'CodeDeployDefault.ECSCanary10Percent15Minutes': canary(10, 15),
  'CodeDeployDefault.ECSLinear10PercentEvery1Minutes': linear(10, 1),
  'CodeDeployDefault.ECSLinear10PercentEvery3Minutes': linear(10, 3),
};
