/** The smoke checks of the config, run by the same engine as the smoke-test action, against the deployed services. */
import { runChecks } from '@ecs-ship/probe';
import { probeSettings } from '../options.js';
import { StageFailure, skipRule, type Stage } from './stage.js';

export const smoke: Stage = {
  key: 'smoke',
  title: 'Smoke tests',
  skip: skipRule({
    asked: 'smoke',
    unconfigured: (run) => (run.target.smoke && run.checks ? undefined : 'no smoke checks in the config'),
    plansInDryRun: false,
  }),
  async run(run, record) {
    const result = await runChecks(run.checks!, probeSettings(run.target.smoke!, run.options.sha), run.tools);
    run.smoke = result;
    const failedChecks = result.checks.filter((c) => c.result === 'failed');
    record.detail = `${result.checks.length - failedChecks.length} of ${result.checks.length} checks passed`;
    if (failedChecks.length > 0) {
      throw new StageFailure(failedChecks.map((c) => `${c.name}: ${c.failure ?? 'failed'}`).join('; '));
    }
  },
};
