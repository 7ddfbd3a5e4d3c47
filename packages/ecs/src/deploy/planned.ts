/** `mode: plan`: what the update would change, from what prepare compared and the settings the update would send. */
import { usesCodeDeploy } from '../codedeploy/options.js';
import { planService, type ServicePlan } from '../plan/index.js';
import { deploymentConfiguration } from './apply.js';
import { revisionName } from './assess.js';
import type { PreparedService } from './prepare.js';
import type { DeployOptions } from './types.js';

export function planOf(p: PreparedService, options: DeployOptions): ServicePlan {
  const current = p.compared?.current ?? {};
  return planService({
    service: p.service,
    running: revisionName(p.currentTaskDefinition),
    current,
    next: p.compared?.rendered ?? current,
    deploys: p.deploy,
    registers: p.changed,
    configuration: {
      before: p.described.deploymentConfiguration,
      // CodeDeploy deploys without UpdateService: the service's deployment configuration stays as it is.
      after: usesCodeDeploy(p.described)
        ? p.described.deploymentConfiguration
        : deploymentConfiguration(p.described, options),
    },
    desiredCount: { before: p.described.desiredCount, after: options.desiredCount },
    forced: options.forceNewDeployment,
    serviceSettings: p.diff.filter((change) => change.path.startsWith('service.')),
  });
}
