/**
 * Services under the CODE_DEPLOY controller in a deploy of several (a release): each is its own CodeDeploy
 * deployment, with its own options. Their deployment groups are read before anything changes; after the services
 * under the ECS controller succeeded together, each CodeDeploy service is deployed in the order given, and only while
 * everything before it succeeded, so that a failure leaves the later ones untouched and says what already changed.
 */
import type { DeploymentGroupInfo } from '@aws-sdk/client-codedeploy';
import type { PreparedService } from '../deploy/prepare.js';
import type { DeployContext, DeployOptions, ServiceReport } from '../deploy/types.js';
import { deployOrSayWhatChanged, readDeploymentGroup } from './deploy.js';
import { codeDeployOptionsFor } from './options.js';

/** The step's options as one CodeDeploy service sees them: its own CodeDeploy options. */
function optionsOf(options: DeployOptions, service: string): DeployOptions {
  return { ...options, codeDeploy: codeDeployOptionsFor(options, service) };
}

/** Reads every CODE_DEPLOY service's deployment group (read only); a wrong name refuses the whole deploy. */
export async function readDeploymentGroups(
  viaCodeDeploy: readonly PreparedService[],
  options: DeployOptions,
  context: DeployContext,
): Promise<Map<string, DeploymentGroupInfo>> {
  const groups = new Map<string, DeploymentGroupInfo>();
  for (const p of viaCodeDeploy) {
    groups.set(p.service, await readDeploymentGroup(p.service, optionsOf(options, p.service), context));
  }
  return groups;
}

const HELD: readonly ServiceReport['result'][] = ['succeeded', 'unchanged'];

/**
 * Deploys the CODE_DEPLOY services one after the other. A service whose turn comes after a failure is left as it
 * was, and says why; a failure names what this step had already deployed. Returns true when the job was cancelled.
 */
export async function deployInTurn(
  viaCodeDeploy: readonly PreparedService[],
  groups: ReadonlyMap<string, DeploymentGroupInfo>,
  reports: ServiceReport[],
  options: DeployOptions,
  context: DeployContext,
): Promise<boolean> {
  for (const p of viaCodeDeploy) {
    const report = reports.find((r) => r.service === p.service)!;
    const failed = reports.filter((r) => r !== report && !HELD.includes(r.result)).map((r) => r.service);
    if (failed.length > 0) {
      report.reason = `not deployed: ${failed.join(', ')} did not succeed first`;
      context.logger.info(`${p.service}: ${report.reason}; it still runs ${report.previousTaskDefinition}.`);
      continue;
    }
    const changedBefore = reports
      .filter((r) => r !== report && r.result === 'succeeded' && r.taskDefinition !== r.previousTaskDefinition)
      .map((r) => r.service);
    const cancelled = await deployOrSayWhatChanged(
      p,
      groups.get(p.service)!,
      report,
      optionsOf(options, p.service),
      context,
    );
    if (cancelled) return true;
    if (!HELD.includes(report.result) && changedBefore.length > 0) {
      report.reason = `${report.reason ?? 'failed'} (this step had already deployed ${changedBefore.join(', ')})`;
    }
  }
  return false;
}
