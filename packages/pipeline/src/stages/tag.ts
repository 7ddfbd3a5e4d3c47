/**
 * The annotated tag (and GitHub release) of the released commit and the GitHub deployment record, by the same code
 * as the tag-release action. A failed release is never tagged.
 */
import { publishRelease, recordDeployment } from '@ecs-ship/github-release';
import { skipRule, type Stage } from './stage.js';

export const tag: Stage = {
  key: 'tag',
  title: 'Tag and record',
  skip: skipRule({
    asked: 'tag',
    unconfigured: (run) =>
      run.target.tag || run.target['deployment-record'] ? undefined : 'no tag or deployment record in the config',
    plansInDryRun: false,
    afterFailure: 'the release failed: nothing is tagged',
  }),
  async run(run, record) {
    const { client, repository } = run.context.github!;
    const { environment, sha, runUrl } = run.options;
    const { logger } = run.tools;
    const config = run.target;
    const details = {
      image: run.report.imageRef,
      ...(run.report.serviceImageRefs ? { 'service-images': run.report.serviceImageRefs } : {}),
      'task-definitions': run.report.taskDefinitionArns,
    };
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
      run.report.tag = outcome.tag.tag;
      const recorded = outcome.deployment ? `, deployment ${outcome.deployment.id} recorded` : '';
      record.detail = `tagged ${outcome.tag.tag}${recorded}`;
      if (outcome.release?.url) record.links.push({ text: `release ${outcome.tag.tag}`, url: outcome.release.url });
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
