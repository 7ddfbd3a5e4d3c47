/**
 * The deploy of the release's image to every service, watched by the same engine as the
 * ecs-deploy-with-circuit-breaker action; a dry run plans it. A failure is told to Slack the moment the engine sees
 * it; a rollback by ECS fails the stage and marks the whole release rolled back, a superseded deployment marks it
 * superseded.
 */
import { Deadline } from '@ecs-ship/action-kit';
import { deployServices } from '@ecs-ship/ecs';
import { deployOptions } from '../options.js';
import { notifyFailureDetected } from './notify.js';
import { StageFailure, skipRule, type Stage } from './stage.js';

export const deploy: Stage = {
  key: 'deploy',
  title: 'Deploy',
  skip: skipRule({ asked: 'deploy', plansInDryRun: true }),
  async run(run, record) {
    const { report } = run;
    if (!report.imageRef) throw new StageFailure('No image to deploy: run the image stage too.');
    const options = deployOptions(run.target, report.imageRef, run.options.dryRun ? 'plan' : 'deploy');
    const deadline = new Deadline(run.tools.clock, options.timeoutMs);
    const result = await run.aws.retryBudget.within(deadline, () =>
      deployServices(options, {
        ...run.tools,
        ecs: run.aws.ecs(),
        elbv2: () => run.aws.elbv2(),
        deadline,
        onFailure: (failure) => notifyFailureDetected(run, failure),
      }),
    );
    report.deploy = result;
    // What now runs: the new revisions only when the deploy held.
    if (result.result === 'succeeded' || result.result === 'unchanged') {
      for (const service of result.services)
        if (service.taskDefinition) report.taskDefinitionArns[service.service] = service.taskDefinition;
    }
    record.detail = `${result.services.length} service(s): ${result.result}`;
    if (result.result === 'planned') record.result = 'planned';
    else if (result.result === 'rolled-back' || result.result === 'superseded') {
      report.result = result.result;
      throw new StageFailure(result.failureReason ?? `the deployment ended ${result.result}`);
    } else if (result.result !== 'succeeded' && result.result !== 'unchanged') {
      throw new StageFailure(result.failureReason ?? `the deployment ended ${result.result}`);
    }
  },
};
