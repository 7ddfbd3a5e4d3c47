/**
 * Before the first stage changes anything, the services' deployment controllers are read: the deploy's rules for
 * them (one CodeDeploy deployment per CODE_DEPLOY service, CodeDeploy options only for those, no watch-minutes with
 * them) are applied, and each CODE_DEPLOY service's deployment group is read (it must exist and deploy that
 * service; one that waits for a go-ahead needs the test listener the smoke checks give it on). A wrong CodeDeploy key is then refused before an image is promoted, a snapshot taken or a migration run,
 * not at the deploy stage after them. Read only; a service that does not exist is left for the deploy to say.
 */
import { DescribeServicesCommand, type Service } from '@aws-sdk/client-ecs';
import { UserError, awsErrorContext, describeAwsFailure } from '@ecs-ship/action-kit';
import {
  codeDeployOptionsFor,
  controllerProblem,
  optionLabel,
  readDeploymentGroup,
  usesCodeDeploy,
} from '@ecs-ship/ecs';
import { deployOptions } from './options.js';
import type { ReleaseRun } from './stages/stage.js';

/** DescribeServices takes at most 10 services a call. */
const DESCRIBE_BATCH = 10;

export async function checkControllers(run: ReleaseRun): Promise<void> {
  if (!run.wants('deploy') || run.options.dryRun) return;
  const options = { ...deployOptions(run.target, {}, 'deploy'), serviceCodeDeploy: run.codeDeploy };
  const context = { ...run.tools, ecs: run.aws.ecs(), codedeploy: () => run.aws.codedeploy() };
  let described: Service[];
  try {
    described = await describe(run, options.services);
  } catch (error) {
    if (run.tools.signal.aborted || !awsErrorContext(error)) throw error;
    throw new UserError(
      `Could not read the services before the release (${describeAwsFailure(error)}). Nothing was changed.`,
      { cause: error },
    );
  }
  const problems = described.flatMap((service) => controllerProblem(service.serviceName!, service, options) ?? []);
  if (problems.length > 0) {
    throw new UserError(`The release cannot deploy: ${problems.join('; ')}. Nothing was changed.`);
  }
  for (const service of described.filter(usesCodeDeploy)) {
    const name = service.serviceName!;
    const own = codeDeployOptionsFor(options, name);
    const group = await readDeploymentGroup(name, { ...options, codeDeploy: own }, context);
    // A group that waits for a go-ahead nobody gives would hold the release until its timeout, then roll back.
    const waits = group.blueGreenDeploymentConfiguration?.deploymentReadyOption?.actionOnTimeout === 'STOP_DEPLOYMENT';
    if (waits && !own?.smoke) {
      throw new UserError(
        `${optionLabel(own, 'codedeploy-smoke-checks')} is not set, but deployment group "${group.deploymentGroupName}" waits for a go-ahead before production traffic moves. Set it to the test listener's URL, so that the smoke checks give the go-ahead; nothing was changed.`,
      );
    }
  }
}

async function describe(run: ReleaseRun, names: string[]): Promise<Service[]> {
  const services: Service[] = [];
  for (let i = 0; i < names.length; i += DESCRIBE_BATCH) {
    const answer = await run.aws
      .ecs()
      .send(
        new DescribeServicesCommand({ cluster: run.target.cluster, services: names.slice(i, i + DESCRIBE_BATCH) }),
        { abortSignal: run.tools.signal },
      );
    services.push(...(answer.services ?? []).filter((s) => s.status === 'ACTIVE'));
  }
  return services;
}
