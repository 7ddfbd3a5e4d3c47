import {
  addMask,
  InputError,
  runnerLogger,
  systemClock,
  cancellationSignal,
  errorAnnotation,
} from '@ecs-ship/action-kit';
import { appendSummary, setOutputs } from '@ecs-ship/action-kit/core';
import { parseChecks, renderSummary, runChecks, type SmokeReport } from '@ecs-ship/probe';
import type { SmokeSettings } from './settings.js';

/** Validates the checks (before any request), runs them, and writes outputs, summary and the step's result. */
export async function run(settings: SmokeSettings): Promise<void> {
  const logger = runnerLogger;
  const { checks, problems } = parseChecks(settings.checksText, {
    ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
    env: process.env,
  });
  if (problems.length > 0) {
    for (const { problem, fix } of problems)
      errorAnnotation(new InputError(settings.checksInput, problem, fix).message);
    process.exitCode = 1;
    return;
  }
  // Secret header values, URL passwords and secret bodies are masked before anything could print them.
  for (const check of checks) for (const secret of check.secrets) addMask(secret);

  const { probe } = settings;
  logger.info(
    `Checking ${checks.length} endpoint${checks.length === 1 ? '' : 's'}` +
      (probe.expectVersion ? `, expecting version ${probe.expectVersion}` : '') +
      (probe.waitForHealthyMs > 0 ? `, warm-up up to ${probe.waitForHealthyMs / 1000} s` : ''),
  );
  const running = runChecks(checks, probe, {
    logger,
    clock: systemClock,
    signal: cancellationSignal(),
    progressIntervalMs: settings.progressIntervalMs,
  });
  const report = await running;
  setOutputs(outputsOf(report));
  await appendSummary(renderSummary(report));

  const failed = report.checks.filter((c) => c.result === 'failed');
  for (const check of failed) {
    const text = `${check.name}: ${check.failure ?? 'failed'}`;
    if (settings.failOnError) logger.error(text, 'Smoke check failed');
    else logger.warning(text, 'Smoke check failed');
  }
  if (failed.length > 0 && settings.failOnError) process.exitCode = 1;
  logger.info(
    report.result === 'passed'
      ? `All ${report.checks.length} checks passed.`
      : `${failed.length} of ${report.checks.length} checks failed.`,
  );
}

function outputsOf(report: SmokeReport) {
  const failed = report.checks.filter((c) => c.result === 'failed').map((c) => c.name);
  return {
    result: report.result,
    report,
    'failed-checks': failed,
    'failed-count': failed.length,
    'version-seen': report.versionsSeen.join(','),
  };
}
