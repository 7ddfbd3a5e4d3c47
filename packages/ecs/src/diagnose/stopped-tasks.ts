/**
 * Why a rollout failed, in the tasks' own words: what a person runs by hand after a breaker trips
 * (`aws ecs describe-tasks` for the stopped tasks' reasons and exit codes, `aws logs tail` for the last lines), done
 * for them. Read-only, best effort: a diagnosis that cannot be had is said in one line and never fails the step
 * for another reason than the deployment's own.
 */
import {
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  type ECSClient,
  type Task,
} from '@aws-sdk/client-ecs';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Logger } from '@ecs-ship/action-kit';
import { logLocation, taskIdOf, type LogLocation } from '../task/container.js';
import { LogFollower } from '../task/log-follower.js';
import { describeAwsError } from '../task/task-definition.js';

export interface ContainerDiagnosis {
  name: string;
  lastStatus?: string;
  exitCode?: number;
  reason?: string;
  healthStatus?: string;
  /** awslogs containers: where the lines came from, and the last ones (oldest first). */
  log?: LogLocation;
  lastLines?: string[];
}

export interface TaskDiagnosis {
  taskId: string;
  taskArn: string;
  stopCode?: string;
  stoppedReason?: string;
  stoppedAt?: number;
  healthStatus?: string;
  /** It failed on its own (did not start, a container exited or was unhealthy), rather than being stopped by ECS. */
  failedOnItsOwn: boolean;
  containers: ContainerDiagnosis[];
}

export interface DiagnosisSettings {
  /** At most this many stopped tasks are described (0: none). */
  tasks: number;
  /** The last lines read from each awslogs container (0: none). */
  logLines: number;
}

export interface DiagnosisTools {
  ecs: ECSClient;
  /** A Logs client for a region (undefined: the task's own). */
  logs: (region: string | undefined) => CloudWatchLogsClient;
  logger: Logger;
  signal?: AbortSignal;
}

/**
 * The newest stopped tasks of one deployment (ECS starts a service's tasks with `startedBy` set to the deployment
 * id), newest first, with the last log lines of their awslogs containers.
 */
export async function diagnoseDeployment(
  target: { cluster: string; service: string; deploymentId: string; taskDefinition?: string },
  settings: DiagnosisSettings,
  tools: DiagnosisTools,
): Promise<TaskDiagnosis[]> {
  if (settings.tasks === 0) return [];
  const { ecs, signal } = tools;
  // startedBy must be the only filter of ListTasks, so the service's stopped tasks are listed and then matched.
  const listed = await ecs.send(
    new ListTasksCommand({ cluster: target.cluster, serviceName: target.service, desiredStatus: 'STOPPED' }),
    { abortSignal: signal },
  );
  const arns = listed.taskArns ?? [];
  if (arns.length === 0) return [];
  const described = await ecs.send(new DescribeTasksCommand({ cluster: target.cluster, tasks: arns.slice(0, 100) }), {
    abortSignal: signal,
  });
  // Tasks that failed say why; those the scheduler stopped once the breaker tripped (scale-in) say nothing, so they
  // come after them. Newest first within each.
  const tasks = (described.tasks ?? [])
    .filter((task) => task.startedBy === target.deploymentId)
    .sort(
      (a, b) => Number(failed(b)) - Number(failed(a)) || (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0),
    )
    .slice(0, settings.tasks);
  if (tasks.length === 0) return [];
  const containers = settings.logLines > 0 ? await containerDefinitions(tasks[0]!, tools) : [];
  const result: TaskDiagnosis[] = [];
  for (const task of tasks) result.push(await diagnoseTask(task, containers, settings, tools));
  return result;
}

/** A container ECS stopped (SIGTERM) exits 128 + 15: that is the stop, not its cause. */
const STOPPED_BY_ECS = 143;

/** A task that failed on its own: it never started, an essential container exited, or a health check failed. */
function failed(task: Task): boolean {
  return (
    task.stopCode === 'TaskFailedToStart' ||
    task.stopCode === 'EssentialContainerExited' ||
    task.healthStatus === 'UNHEALTHY' ||
    (task.containers ?? []).some(
      (c) =>
        c.healthStatus === 'UNHEALTHY' ||
        (c.exitCode !== undefined && c.exitCode !== 0 && c.exitCode !== STOPPED_BY_ECS),
    )
  );
}

async function containerDefinitions(task: Task, tools: DiagnosisTools) {
  const answer = await tools.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: task.taskDefinitionArn }), {
    abortSignal: tools.signal,
  });
  return answer.taskDefinition?.containerDefinitions ?? [];
}

async function diagnoseTask(
  task: Task,
  definitions: Awaited<ReturnType<typeof containerDefinitions>>,
  settings: DiagnosisSettings,
  tools: DiagnosisTools,
): Promise<TaskDiagnosis> {
  const taskId = taskIdOf(task.taskArn ?? '');
  const containers: ContainerDiagnosis[] = [];
  for (const container of task.containers ?? []) {
    const entry: ContainerDiagnosis = {
      name: container.name ?? '',
      lastStatus: container.lastStatus,
      exitCode: container.exitCode,
      reason: container.reason,
      healthStatus: container.healthStatus,
    };
    const log = logLocation(
      definitions.find((d) => d.name === container.name),
      taskId,
    );
    if (log) {
      entry.log = log;
      entry.lastLines = await lastLines(log, settings.logLines, tools);
    }
    containers.push(entry);
  }
  return {
    taskId,
    taskArn: task.taskArn ?? '',
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    stoppedAt: task.stoppedAt?.getTime(),
    healthStatus: task.healthStatus,
    failedOnItsOwn: failed(task),
    containers,
  };
}

/** The migration's log reader, asked once for the whole stream and keeping only its last lines. */
async function lastLines(log: LogLocation, count: number, tools: DiagnosisTools): Promise<string[]> {
  try {
    const follower = new LogFollower(tools.logs(log.region), log, tools.logger, { keep: count, print: false });
    await follower.poll();
    return follower.lastLines();
  } catch (error) {
    tools.logger.warning(`Could not read ${log.group}/${log.stream}: ${describeAwsError(error)}.`);
    return [];
  }
}
