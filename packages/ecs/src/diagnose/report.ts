/**
 * A failed rollout's stopped tasks, added to the deploy report after the engine is done, and shown where a person
 * looks: one log group per task, a collapsible section per task in the summary, and the most telling line in
 * `failure-reason` (which the Slack failure message quotes).
 */
import { randomBytes } from 'node:crypto';
import { details, heading, type Logger } from '@ecs-ship/action-kit';
import type { DeployReport, ServiceReport } from '../deploy/types.js';
import { describeAwsError } from '../task/task-definition.js';
import {
  diagnoseDeployment,
  type ContainerDiagnosis,
  type DiagnosisSettings,
  type DiagnosisTools,
  type TaskDiagnosis,
} from './stopped-tasks.js';

/** The results whose new deployment had tasks worth describing. */
const DIAGNOSED = new Set(['failed', 'rolled-back', 'timed-out']);

/**
 * Describes the stopped tasks of each failed service's new deployment, logs them, and adds the most telling line
 * of each to the report's failure reason. A diagnosis that fails is a warning, never a second failure.
 */
export async function diagnoseFailures(
  report: DeployReport,
  settings: DiagnosisSettings,
  tools: DiagnosisTools,
): Promise<void> {
  if (settings.tasks === 0) return;
  const telling: string[] = [];
  for (const service of report.services) {
    if (!DIAGNOSED.has(service.result) || !service.deploymentId) continue;
    try {
      service.diagnosis = await diagnoseDeployment(
        { cluster: report.cluster, service: service.service, deploymentId: service.deploymentId },
        settings,
        tools,
      );
    } catch (error) {
      if (tools.signal?.aborted) return;
      tools.logger.warning(`${service.service}: could not describe the stopped tasks (${describeAwsError(error)}).`);
      continue;
    }
    for (const task of service.diagnosis) logTask(service.service, task, tools.logger);
    const line = tellingLine(service);
    if (line) telling.push(line);
  }
  if (telling.length > 0) report.failureReason = [report.failureReason, ...telling].filter(Boolean).join(' | ');
}

/**
 * The one line that says most: the newest task that failed on its own, its reason, its failing container, its last
 * log line. None when ECS stopped every task itself (a hook or an alarm failed the deployment, not the tasks): the
 * deployment's own reason says it all, and the stopped tasks stay in the summary.
 */
export function tellingLine(service: ServiceReport): string | undefined {
  const task = service.diagnosis?.[0];
  if (!task?.failedOnItsOwn) return undefined;
  const container = failingContainer(task);
  const last = container?.lastLines?.filter((line) => line.trim() !== '').at(-1);
  const parts = [
    `${service.service}: stopped task ${task.taskId.slice(0, 8)}: ${task.stoppedReason ?? task.stopCode ?? 'stopped'}`,
  ];
  if (container) parts.push(`(${containerLine(container)})`);
  if (last) parts.push(`last log line: ${JSON.stringify(last.length > 200 ? `${last.slice(0, 199)}…` : last)}`);
  return parts.join(' ');
}

/** The container that explains the stop: one that exited non-zero, else one with a reason, else an unhealthy one. */
function failingContainer(task: TaskDiagnosis): ContainerDiagnosis | undefined {
  return (
    task.containers.find((c) => c.exitCode !== undefined && c.exitCode !== 0) ??
    task.containers.find((c) => c.reason) ??
    task.containers.find((c) => c.healthStatus === 'UNHEALTHY') ??
    task.containers.find((c) => c.lastLines?.length)
  );
}

function containerLine(c: ContainerDiagnosis): string {
  const facts = [
    c.exitCode !== undefined ? `exit ${c.exitCode}` : 'no exit code',
    c.reason,
    c.healthStatus && c.healthStatus !== 'UNKNOWN' ? `health ${c.healthStatus}` : undefined,
  ];
  return `${c.name}: ${facts.filter(Boolean).join(', ')}`;
}

function taskLines(task: TaskDiagnosis): string[] {
  const lines = [
    `stopCode: ${task.stopCode ?? '(none)'}`,
    `stoppedReason: ${task.stoppedReason ?? '(none)'}`,
    ...(task.stoppedAt ? [`stoppedAt: ${new Date(task.stoppedAt).toISOString()}`] : []),
    ...(task.healthStatus ? [`health: ${task.healthStatus}`] : []),
  ];
  for (const c of task.containers) {
    lines.push(`container ${containerLine(c)}`);
    if (c.log) {
      lines.push(`  last ${c.lastLines?.length ?? 0} line(s) of ${c.log.group} ${c.log.stream}:`);
      for (const line of c.lastLines ?? []) lines.push(`  | ${line}`);
    }
  }
  return lines;
}

function logTask(service: string, task: TaskDiagnosis, logger: Logger): void {
  logger.startGroup(`${service}: stopped task ${task.taskId} (${task.stopCode ?? 'stopped'})`);
  const lines = taskLines(task);
  // A container's line must not act as a workflow command (`::add-mask::`, `::error::`, ...).
  const guard = lines.some((line) => line.includes('::')) ? randomBytes(16).toString('hex') : undefined;
  if (guard) logger.info(`::stop-commands::${guard}`);
  for (const line of lines) logger.info(line);
  if (guard) logger.info(`::${guard}::`);
  logger.endGroup();
}

/** The summary's section: a collapsible block per stopped task; empty when no task was described. */
export function diagnosisSummary(report: DeployReport): string | undefined {
  const described = report.services.filter((s) => s.diagnosis?.length);
  if (described.length === 0) return undefined;
  const parts = [heading('Stopped tasks of the failed deployments', 3)];
  for (const s of described) {
    for (const task of s.diagnosis!) {
      const why = task.stoppedReason ?? task.stopCode ?? 'stopped';
      parts.push(details(`${s.service}: task ${task.taskId.slice(0, 8)}: ${why}`, taskLines(task).join('\n'), true));
    }
  }
  return parts.join('\n\n');
}
