/**
 * The snapshot of the environment's database, a stage of its own before the migration and the deploy, by the same
 * engine as the rds-snapshot action (tags, request tag, lost-answer protection, heartbeats). A release that runs the
 * migration takes it even when only `migrate` was asked for: the migration never runs without its snapshot.
 * What it took goes into the report, and from there into the deployment record a rollback reads.
 */
import { Deadline, snapshotConsoleUrl } from '@ecs-ship/action-kit';
import { snapshotConfig, snapshotRequest } from '../options.js';
import { skipRule, type Stage } from './stage.js';

export const snapshot: Stage = {
  key: 'snapshot',
  title: 'Snapshot',
  skip: (run) => {
    if (!snapshotConfig(run.target)) return 'no snapshot in the config';
    // Asked for by `snapshot`, or by `migrate` when there is a migration to protect.
    const asked = run.wants('migrate') && run.target.migration ? 'migrate' : 'snapshot';
    return skipRule({ asked, plansInDryRun: false })(run);
  },
  async run(run, record) {
    const { config, key } = snapshotConfig(run.target)!;
    const { environment, sha, runId } = run.options;
    // Loaded only for a release that takes a snapshot: the RDS client is several megabytes of memory.
    const [{ createSnapshotAndWait }, rds] = await Promise.all([import('@ecs-ship/rds'), run.aws.rds()]);
    const facts = { createdBy: 'release', environment, sha, runId, repository: run.context.env.GITHUB_REPOSITORY };
    const request = snapshotRequest(config, run.fill(config.id), facts);
    // Throttled calls are retried until the snapshot's own deadline, no longer.
    const taken = await run.aws.retryBudget.within(new Deadline(run.tools.clock, request.timeoutMs), () =>
      createSnapshotAndWait(rds, request, {
        ...run.tools,
        consequence: run.target.migration ? 'the migration was not run' : 'nothing was deployed',
        timeoutInput: `${key}.timeout-minutes`,
      }),
    );
    run.report.snapshot = {
      id: taken.snapshotId,
      kind: request.source.kind,
      database: request.source.identifier,
      arn: taken.arn,
    };
    record.detail = `${taken.snapshotId} of ${request.source.kind} ${request.source.identifier} available`;
    const url = snapshotConsoleUrl(taken.arn);
    if (url) record.links.push({ text: `snapshot ${taken.snapshotId}`, url });
  },
};
