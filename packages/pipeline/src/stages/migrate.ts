/**
 * The snapshot (when the config asks for one) and the migration as a one-off task running the release's image: the
 * same engines as the run-migration-task action. Its exit code decides the stage.
 */
import { snapshotConsoleUrl, taskConsoleUrl } from '@ecs-ship/action-kit';
import { runOneOffTask } from '@ecs-ship/ecs';
import { migrationTask, snapshotRequest } from '../options.js';
import { StageFailure, skipRule, type Stage } from './stage.js';

export const migrate: Stage = {
  key: 'migrate',
  title: 'Snapshot and migration',
  skip: skipRule({
    asked: 'migrate',
    unconfigured: (run) => (run.target.migration ? undefined : 'no migration in the config'),
    plansInDryRun: false,
  }),
  async run(run, record) {
    const migration = run.target.migration!;
    const { environment, sha, runId } = run.options;
    const parts: string[] = [];
    const outputs: NonNullable<typeof run.migration> = {};
    if (migration.snapshot) {
      // Loaded only for a release that takes a snapshot: the RDS client is several megabytes of memory.
      const [{ createSnapshotAndWait }, rds] = await Promise.all([import('@ecs-ship/rds'), run.aws.rds()]);
      const request = snapshotRequest(migration.snapshot, run.fill(migration.snapshot.id), { environment, sha });
      const snapshot = await createSnapshotAndWait(rds, request, run.tools);
      parts.push(`snapshot ${snapshot.snapshotId} available`);
      const url = snapshotConsoleUrl(snapshot.arn);
      if (url) record.links.push({ text: `snapshot ${snapshot.snapshotId}`, url });
      Object.assign(outputs, { 'snapshot-id': snapshot.snapshotId, 'snapshot-arn': snapshot.arn });
      run.migration = outputs;
    }
    const result = await runOneOffTask(
      { ecs: run.aws.ecs(), logs: (region) => run.aws.logs(region), region: run.aws.region },
      migrationTask(run.target, migration, run.report.imageRef, runId),
      run.tools,
    );
    run.migration = Object.assign(outputs, {
      'task-arn': result.taskArn,
      'exit-code': result.exitCode,
      'stop-code': result.stopCode,
      'log-url': result.logUrl,
    });
    const taskUrl = taskConsoleUrl(result.taskArn);
    if (taskUrl) record.links.push({ text: `migration task ${result.taskId.slice(0, 8)}`, url: taskUrl });
    if (result.logUrl) record.links.push({ text: 'migration logs', url: result.logUrl });
    parts.push(`task ${result.taskId} exited ${result.exitCode ?? 'without an exit code'}`);
    record.detail = parts.join('; ');
    if (!result.outcome.passed) throw new StageFailure(result.outcome.summary);
  },
};
