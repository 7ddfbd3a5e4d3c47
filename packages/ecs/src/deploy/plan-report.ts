// mode plan: each service's plan and what its strategy would do, in the log and the report; nothing changes.
import type { Logger } from '@ecs-ship/action-kit';
import { codeDeployOptionsFor, describeCodeDeployPlan, usesCodeDeploy } from '../codedeploy/options.js';
import { planLines } from '../plan/index.js';
import { deploymentConfiguration } from './apply.js';
import { revisionName } from './assess.js';
import { planOf } from './planned.js';
import type { PreparedService } from './prepare.js';
import { describeStrategy } from './strategy/index.js';
import type { DeployOptions, ServiceReport } from './types.js';

export function reportPlans(
  prepared: readonly PreparedService[],
  reports: ServiceReport[],
  problems: readonly string[],
  options: DeployOptions,
  logger: Logger,
): void {
  for (const [i, p] of prepared.entries()) {
    const plan = planOf(p, options);
    const report = reports[i]!;
    report.plan = plan;
    report.strategyPlan = usesCodeDeploy(p.described)
      ? describeCodeDeployPlan(
          options.cluster,
          p.service,
          revisionName(p.currentTaskDefinition),
          codeDeployOptionsFor(options, p.service),
        )
      : describeStrategy(
          deploymentConfiguration(p.described, options),
          p.changed ? 'the new revision' : revisionName(p.currentTaskDefinition),
          revisionName(p.currentTaskDefinition),
        );
    logger.startGroup(
      `${p.service}: ${p.deploy ? 'would deploy' : 'no change to'} ${revisionName(p.currentTaskDefinition)}`,
    );
    logger.info(report.strategyPlan);
    for (const line of planLines(plan)) logger.info(line);
    logger.endGroup();
  }
  for (const problem of problems) logger.warning(problem);
}
