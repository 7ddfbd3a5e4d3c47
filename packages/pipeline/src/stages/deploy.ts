/**
 * The deploy of the release's image to every service, watched by the same engine as the
 * ecs-deploy-with-circuit-breaker action; a dry run plans it. A failure is told to Slack the moment the engine sees
 * it; a rollback by ECS fails the stage and marks the whole release rolled back, a superseded deployment marks it
 * superseded.
 */
import { Deadline } from '@ecs-ship/action-kit';
import { deployAndWatch, diagnoseFailures } from '@ecs-ship/ecs';
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
    const imageRefs = { environment: report.imageRef, services: report.serviceImageRefs };
    const options = {
      ...deployOptions(run.target, imageRefs, run.options.dryRun ? 'plan' : 'deploy'),
      // Each CODE_DEPLOY service is its own CodeDeploy deployment, after the ECS ones, with the smoke checks on green.
      serviceCodeDeploy: run.codeDeploy,
    };
    const deadline = new Deadline(run.tools.clock, options.timeoutMs);
    const result = await run.aws.retryBudget.within(deadline, () =>
      deployAndWatch(options, {
        ...run.tools,
        ecs: run.aws.ecs(),
        elbv2: () => run.aws.elbv2(),
        cloudwatch: () => run.aws.cloudwatch(),
        codedeploy: () => run.aws.codedeploy(),
        deadline,
        onFailure: (failure) => notifyFailureDetected(run, failure),
      }),
    );
    report.deploy = result;
    // After a breach of the watch, the new tasks were stopped by the rollback, not by a failure of their own.
    if (['failed', 'rolled-back', 'timed-out'].includes(result.result) && !result.watch) {
      const { 'diagnose-tasks': tasks, 'diagnose-log-lines': logLines } = run.target.deploy;
      const logs = (region: string | undefined) => run.aws.logs(region);
      await diagnoseFailures(result, { tasks, logLines }, { ...run.tools, ecs: run.aws.ecs(), logs });
    }
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
