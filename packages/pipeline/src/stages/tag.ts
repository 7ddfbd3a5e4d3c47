/**
 * The annotated tag (and GitHub release) of the released commit and the GitHub deployment record, by the same code
 * as the tag-release action. A failed release is never tagged, but when the config asks for deployment records it is
 * recorded as a failed deployment, with the snapshot it took in the payload: what a rollback restores.
 */
import { publishRelease, recordDeployment } from '@ecs-ship/github-release';
import type { StageRecord } from '../report.js';
import { SKIPPED, skipRule, type ReleaseRun, type Stage } from './stage.js';

const asked = skipRule({
  asked: 'tag',
  unconfigured: (run) =>
    run.target.tag || run.target['deployment-record'] ? undefined : 'no tag or deployment record in the config',
  plansInDryRun: false,
  afterFailure: false,
});

/** GitHub keeps at most 140 characters of a deployment status's description. */
const DESCRIPTION_LIMIT = 140;

export const tag: Stage = {
  key: 'tag',
  title: 'Tag and record',
  skip: (run) => {
    const reason = asked(run);
    if (reason !== undefined) return reason;
    if (run.failed() && !run.target['deployment-record']) return 'the release failed: nothing is tagged';
    return undefined;
  },
  async run(run, record) {
    if (run.failed()) return recordFailure(run, record);
    const { client, repository } = run.context.github!;
    const { environment, sha, runUrl } = run.options;
    const { logger } = run.tools;
    const config = run.target;
    const details = facts(run);
    const deployment = config['deployment-record']
      ? { environment, state: 'success' as const, environmentUrl: config['deployment-record'].url }
      : undefined;
    if (config.tag) {
      const outcome = await publishRelease(
        client,
        {
          repository,
          sha,
          tag: { kind: 'name', name: run.fill(config.tag.template) },
          release: config.tag.release ? { generateNotes: true, prerelease: false, makeLatest: 'auto' } : undefined,
          deployment,
          details,
          runUrl,
        },
        logger,
      );
      const tag = outcome.tag!.tag; // a plan with a tag always comes back tagged
      run.report.tag = tag;
      const recorded = outcome.deployment ? `, deployment ${outcome.deployment.id} recorded` : '';
      record.detail = `tagged ${tag}${recorded}`;
      if (outcome.release?.url) record.links.push({ text: `release ${tag}`, url: outcome.release.url });
    } else if (deployment) {
      const result = await recordDeployment(
        client,
        repository,
        {
          ...deployment,
          sha,
          tag: '',
          logUrl: runUrl,
          description: `Released ${sha.slice(0, 7)} to ${environment}`,
          payload: { tag: '', ...details },
        },
        logger,
      );
      record.detail = `deployment ${result.id} recorded`;
    }
  },
};

/** Facts of the release for the release body and the deployment payload. */
function facts(run: ReleaseRun): Record<string, unknown> {
  const { report } = run;
  return {
    image: report.imageRef,
    'task-definitions': report.taskDefinitionArns,
    ...(report.snapshot ? { snapshot: report.snapshot } : {}),
  };
}

/** A failed release: no tag, a deployment recorded as failed, with what it failed at and the snapshot it took. */
async function recordFailure(run: ReleaseRun, record: StageRecord): Promise<void> {
  const { client, repository } = run.context.github!;
  const { environment, sha, runUrl } = run.options;
  const { report } = run;
  const description = `${sha.slice(0, 7)} ${report.result} at ${report.failedStage}: ${report.failureReason ?? ''}`;
  const result = await recordDeployment(
    client,
    repository,
    {
      environment,
      sha,
      tag: '',
      state: 'failure',
      logUrl: runUrl,
      description:
        description.length > DESCRIPTION_LIMIT ? `${description.slice(0, DESCRIPTION_LIMIT - 1)}…` : description,
      payload: {
        tag: '',
        ...facts(run),
        result: report.result,
        'failed-stage': report.failedStage,
        'failure-reason': report.failureReason,
      },
    },
    run.tools.logger,
  );
  record.detail = `${SKIPPED.earlierFailure}: nothing tagged; deployment ${result.id} recorded as failed${
    report.snapshot ? ` with snapshot ${report.snapshot.id}` : ''
  }`;
}
