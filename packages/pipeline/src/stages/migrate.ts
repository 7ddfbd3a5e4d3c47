/**
 * The migration as a one-off task running the release's image: the same engine as the run-migration-task action. Its
 * exit code decides the stage. The snapshot before it is a stage of its own (snapshot.ts).
 */
import { Deadline, taskConsoleUrl } from '@ecs-ship/action-kit';
import { runOneOffTask } from '@ecs-ship/ecs';
import { migrationTask } from '../options.js';
import { StageFailure, skipRule, type Stage } from './stage.js';

export const migrate: Stage = {
  key: 'migrate',
  title: 'Migration',
  skip: skipRule({
    asked: 'migrate',
    unconfigured: (run) => (run.target.migration ? undefined : 'no migration in the config'),
    plansInDryRun: false,
  }),
  async run(run, record) {
    const migration = run.target.migration!;
    const task = migrationTask(run.target, migration, run.report.imageRef, run.options.runId);
    const deadline = new Deadline(run.tools.clock, task.timeoutMs);
    const result = await run.aws.retryBudget.within(deadline, () =>
      runOneOffTask({ ecs: run.aws.ecs(), logs: (region) => run.aws.logs(region), region: run.aws.region }, task, {
        ...run.tools,
        deadline,
      }),
    );
    run.migration = {
      'task-arn': result.taskArn,
      'exit-code': result.exitCode,
      'stop-code': result.stopCode,
      'log-url': result.logUrl,
    };
    const taskUrl = taskConsoleUrl(result.taskArn);
    if (taskUrl) record.links.push({ text: `migration task ${result.taskId.slice(0, 8)}`, url: taskUrl });
    if (result.logUrl) record.links.push({ text: 'migration logs', url: result.logUrl });
    record.detail = `task ${result.taskId} exited ${result.exitCode ?? 'without an exit code'}`;
    if (!result.outcome.passed) throw new StageFailure(result.outcome.summary);
  },
};
