import { ECSClient } from '@aws-sdk/client-ecs';
import { CancelledError, UserError, cancellationSignal, runnerLogger, systemClock } from '@ecs-ship/action-kit';
import { awsClientConfig } from '@ecs-ship/action-kit/aws';
import { appendSummary, setOutputs } from '@ecs-ship/action-kit/core';
import { deployOutputs, deployServices, deploySummary, type DeployOutputs, type DeployReport } from '@ecs-ship/ecs';
import type { DeploySettings } from './settings.js';

type OutputName = keyof DeployOutputs;

/** Results after which the step fails. */
const FAILING = new Set(['failed', 'rolled-back', 'timed-out', 'cancelled']);

export async function run(settings: DeploySettings): Promise<void> {
  const signal = cancellationSignal();
  // Region and endpoint come from the standard AWS_* variables; the SDK retries throttling itself.
  const ecs = new ECSClient(awsClientConfig({ retryMode: 'adaptive', maxAttempts: 5 }));
  let report: DeployReport;
  try {
    report = await deployServices(
      {
        ...settings,
        templates: new Map([...settings.templates].map(([service, { definition }]) => [service, definition])),
      },
      { ecs, logger: runnerLogger, clock: systemClock, signal, progressIntervalMs: settings.progressIntervalMs },
    );
  } catch (error) {
    // A refused deployment still says so in the outputs, so that later steps can branch on it.
    if (error instanceof UserError)
      setOutputs<OutputName>({ result: 'failed', 'failure-reason': error.message, changed: false });
    throw error;
  } finally {
    ecs.destroy();
  }

  setOutputs<OutputName>({ ...deployOutputs(report) });
  await appendSummary(deploySummary(report));

  if (report.result === 'cancelled') throw new CancelledError('The job was cancelled while watching the deployments.');
  // Each failing service already has its own ::error annotation; the step only needs to fail.
  if (FAILING.has(report.result)) process.exitCode = 1;
}
