/**
 * After a failure, the services this release changed go back to what they ran before, except those ECS already
 * rolled back and found healthy. Runs only then, and leaves no line in the report otherwise.
 */
import { Deadline } from '@ecs-ship/action-kit';
import { deployServices } from '@ecs-ship/ecs';
import type { ReleaseReport } from '../report.js';
import { rollbackOptions } from '../options.js';
import { StageFailure, UNRECORDED, type Stage } from './stage.js';

export const rollback: Stage = {
  key: 'rollback',
  title: 'Rollback',
  skip: (run) => (run.failed() && servicesToRollBack(run.report).size > 0 ? undefined : UNRECORDED),
  async run(run, record) {
    const previous = servicesToRollBack(run.report);
    const options = {
      ...rollbackOptions(run.target, previous),
      // A CodeDeploy service that succeeded goes back by a new CodeDeploy deployment of its previous revision, given
      // the go-ahead at once: that revision is what ran before, and there is nothing to check it against.
      serviceCodeDeploy: new Map([...run.codeDeploy].map(([service, o]) => [service, { ...o, smoke: undefined }])),
    };
    const deadline = new Deadline(run.tools.clock, options.timeoutMs);
    const result = await run.aws.retryBudget.within(deadline, () =>
      deployServices(options, {
        ...run.tools,
        ecs: run.aws.ecs(),
        elbv2: () => run.aws.elbv2(),
        codedeploy: () => run.aws.codedeploy(),
        deadline,
      }),
    );
    run.report.rollback = result;
    record.detail = `${previous.size} service(s) back on their previous revisions: ${result.result}`;
    if (result.result !== 'succeeded' && result.result !== 'unchanged') {
      throw new StageFailure(result.failureReason ?? `the rollback ended ${result.result}`);
    }
    run.report.result = 'rolled-back';
  },
};

/**
 * Services the deploy moved to a new revision that are not already healthy again on their previous one. A
 * superseded service is left alone: another update now owns it, and putting the old revision back would undo it.
 */
function servicesToRollBack(report: ReleaseReport): Map<string, string> {
  return new Map(
    (report.deploy?.services ?? []).flatMap((s) =>
      s.previousTaskDefinition && s.deploymentId && !s.rollback?.healthy && s.result !== 'superseded'
        ? [[s.service, s.previousTaskDefinition]]
        : [],
    ),
  );
}
