/**
 * The go-ahead of a deployment waiting, Ready, with test traffic on the replacement task set (deploymentReadyOption
 * STOP_DEPLOYMENT): the smoke checks run against the test listener; when they pass, ContinueDeployment lets the
 * production traffic move; when they fail, StopDeployment with auto-rollback, before any production traffic moved.
 */
import { ContinueDeploymentCommand, StopDeploymentCommand, type CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { CancelledError, describeAwsFailure } from '@ecs-ship/action-kit';
import { runChecks, type SmokeReport } from '@ecs-ship/probe';
import type { DeployContext, ServiceReport } from '../deploy/types.js';
import type { CodeDeployOptions } from './options.js';

/** Runs the checks and answers CodeDeploy; 'cancelled' when the job was cancelled meanwhile. */
export async function runReadyChecks(
  codedeploy: CodeDeployClient,
  deploymentId: string,
  smoke: NonNullable<CodeDeployOptions['smoke']>,
  report: ServiceReport,
  context: DeployContext,
): Promise<{ outcome: 'continued' | 'stopped' | 'cancelled'; failure?: string }> {
  const { logger, clock, signal } = context;
  const service = report.service;
  const start = clock.now();
  report.phases.push({ label: 'smoke checks (test traffic)', start, outcome: 'active' });
  logger.info(
    `${service}: ready with test traffic on the replacement task set; running ${smoke.checks.length} smoke check(s) against the test listener...`,
  );
  let result: SmokeReport;
  try {
    result = await runChecks(smoke.checks, smoke.settings, { logger, clock, signal });
  } catch (error) {
    if (signal.aborted || error instanceof CancelledError) return { outcome: 'cancelled' };
    throw error;
  }
  const phase = report.phases.at(-1)!;
  Object.assign(phase, { end: clock.now(), outcome: result.result === 'passed' ? 'ok' : 'failed' });
  report.checks = result.checks.map((check) => ({
    name: check.name,
    url: check.url,
    passed: check.result === 'passed',
    detail: check.failure ?? `passed after ${check.attempts} request(s)`,
  }));
  const failed = result.checks.filter((check) => check.result !== 'passed');
  if (failed.length === 0) {
    await continueDeployment(codedeploy, deploymentId, 'every smoke check passed', report, context);
    return { outcome: 'continued' };
  }
  const names = failed.map((check) => `${check.name} (${check.failure ?? 'failed'})`).join('; ');
  logger.error(
    `smoke checks failed on the test listener: ${names}. Stopping the deployment with rollback before any production traffic moves.`,
    service,
  );
  try {
    await codedeploy.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }));
  } catch (error) {
    logger.error(
      `StopDeployment failed (${describeAwsFailure(error)}); the deployment still waits for a go-ahead.`,
      service,
    );
  }
  return { outcome: 'stopped', failure: `smoke checks failed on the test listener: ${names}` };
}

/** ContinueDeployment: the go-ahead for the production traffic, given `because`. */
export async function continueDeployment(
  codedeploy: CodeDeployClient,
  deploymentId: string,
  because: string,
  report: ServiceReport,
  { logger }: DeployContext,
): Promise<void> {
  logger.info(
    `${report.service}: ${because}; ContinueDeployment: production traffic moves to the replacement task set.`,
  );
  try {
    await codedeploy.send(new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: 'READY_WAIT' }));
  } catch (error) {
    logger.error(
      `ContinueDeployment failed (${describeAwsFailure(error)}); the deployment still waits for a go-ahead, until the step's timeout.`,
      report.service,
    );
  }
}
