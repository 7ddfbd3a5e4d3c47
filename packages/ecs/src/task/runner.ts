// The one-off task runner: register the revision, RunTask, then poll DescribeTasks until STOPPED (never waiting for
// RUNNING first: a short task can go from PENDING straight to STOPPED) while following the container's log stream.
// On timeout or cancellation it stops the task with a reason before giving up, so that no task is left behind.
import { randomUUID } from 'node:crypto';
import { DescribeTasksCommand, StopTaskCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  CancelledError,
  Heartbeat,
  UserError,
  abortReason,
  formatDuration,
  logStreamConsoleUrl,
  sleepWithin,
  type Clock,
  type Deadline,
  type Logger,
} from '@ecs-ship/action-kit';
import { logLocation, taskIdOf } from './container.js';
import { LogFollower } from './log-follower.js';
import { decideOutcome, taskDurationMs, type TaskOutcome } from './outcome.js';
import { runTaskInput, startTask } from './run-task.js';
import { describeAwsError, prepareTaskDefinition } from './task-definition.js';
import type { OneOffTaskSpec } from './spec.js';

export interface TaskRunnerClients {
  ecs: ECSClient;
  /** The Logs client for a region (the task's awslogs region may differ from the ECS one); created once per region. */
  logs: (region: string | undefined) => CloudWatchLogsClient;
  /** The region the ECS client talks to, for the console link. */
  region: string;
}

export interface TaskRunnerContext {
  logger: Logger;
  clock: Clock;
  signal?: AbortSignal;
  /** The longest the log stays quiet while the task runs (default 30 s). */
  progressIntervalMs?: number;
  /** Called as soon as the task exists, so that a `post:` step can stop it if this process dies. */
  onTaskStarted?: (taskArn: string, cluster: string) => void;
  /** Called once the task is known to be stopped (or stopping on our request). */
  onTaskStopped?: (taskArn: string) => void;
  /**
   * The deadline the AWS clients retry throttling until: moved to the task's own deadline once it runs, and a
   * little past it for stopping the task, so that the stop is still retried after the time ran out.
   */
  deadline?: Deadline;
}

export interface OneOffTaskResult {
  taskArn: string;
  taskId: string;
  taskDefinitionArn: string;
  container: string;
  lastStatus: string;
  stopCode?: string;
  stoppedReason?: string;
  exitCode?: number;
  durationMs: number;
  logUrl?: string;
  /** The last log lines (at most 50), oldest first. */
  lastLines: string[];
  linesRead: number;
  /** Whether the run passed, and a one-line account of why (or why not). */
  outcome: TaskOutcome;
  timedOut: boolean;
  /** Each status the task was seen in, with when it was first seen (ms after RunTask answered). */
  timeline: { status: string; afterMs: number }[];
}

export const STOP_REASON_TIMEOUT = 'Stopped by run-migration-task: the migration did not finish within its timeout';
export const STOP_REASON_CANCELLED = 'Stopped by run-migration-task: the GitHub Actions job was cancelled';

/** The longest pause between two reads of the log after the task stopped, and how many such reads at most. */
const DRAIN_PAUSE_MS = 1000;
const DRAIN_ROUNDS = 5;

/** How long StopTask is retried (under throttling) after the deadline or a cancellation: inside the runner's window. */
const STOP_GRACE_MS = 5000;

/** Consecutive DescribeTasks answers without the task before giving up (it can lag right after RunTask). */
const MISSING_LIMIT = 5;

export async function runOneOffTask(
  clients: TaskRunnerClients,
  spec: OneOffTaskSpec,
  context: TaskRunnerContext,
): Promise<OneOffTaskResult> {
  const { clock, signal } = context;
  let logger = context.logger;
  const prepared = await prepareTaskDefinition(clients.ecs, spec, logger);
  if (signal?.aborted) throw abortReason(signal);

  // RunTask gets no abort signal: once sent, the task may exist, and it must be known so it can be stopped.
  const started = await startTask(clients.ecs, runTaskInput(spec, prepared.arn, prepared.container, randomUUID()));
  const startedAt = clock.now();
  const taskArn = started.taskArn!;
  const taskId = taskIdOf(taskArn);
  context.onTaskStarted?.(taskArn, spec.cluster);
  let lastStatus = started.lastStatus ?? 'PROVISIONING';
  // While the task runs quietly (before its first log line, or between lines), say where it stands.
  const heartbeat = new Heartbeat(context, () => ({
    what: `Task ${taskId} is ${lastStatus}${follower ? (follower.count === 0 ? ', no log line yet' : `, ${follower.count} log lines so far`) : ''}`,
    startedAt,
    deadline: startedAt + spec.timeoutMs,
  }));
  logger = heartbeat.logger;
  logger.info(
    `Started task ${taskId} (${prepared.family}, container ${prepared.container}) on cluster ${spec.cluster}`,
  );

  const location = logLocation(
    prepared.containers.find((c) => c.name === prepared.container),
    taskId,
  );
  const logUrl = location
    ? logStreamConsoleUrl(location.region ?? clients.region, location.group, location.stream)
    : undefined;
  if (logUrl) logger.info(`Logs: ${logUrl}`);
  else
    logger.warning(
      `Container ${prepared.container} has no awslogs group and stream prefix, so its logs cannot be shown.`,
    );
  const follower = location
    ? new LogFollower(clients.logs(location.region), location, logger, { print: spec.streamLogs })
    : undefined;

  const stop = async (reason: string): Promise<void> => {
    context.deadline?.extendTo(clock.now() + STOP_GRACE_MS);
    try {
      await clients.ecs.send(new StopTaskCommand({ cluster: spec.cluster, task: taskArn, reason }));
      logger.info(`Asked ECS to stop task ${taskId}: ${reason}`);
      context.onTaskStopped?.(taskArn);
    } catch (error) {
      logger.error(`Could not stop task ${taskId}: ${describeAwsError(error)}. Stop it by hand: ${taskArn}`);
    }
  };

  /**
   * Reads the last lines once the task has stopped. The awslogs driver flushes before the container exits, but
   * CloudWatch may make the last batch readable a moment later: read again after a short pause while lines keep
   * arriving, so that the end of the log is not cut off.
   */
  const drainLogs = async (): Promise<void> => {
    if (!follower) return;
    await follower.poll();
    const pause = Math.min(spec.pollIntervalMs / 2, DRAIN_PAUSE_MS);
    for (let round = 0; round < DRAIN_ROUNDS; round++) {
      try {
        await clock.sleep(pause, signal);
      } catch {
        return; // Cancelled after the task stopped: nothing is left to stop, and the lines so far are printed.
      }
      if ((await follower.poll()) === 0) return;
    }
  };

  if (spec.streamLogs && follower) logger.startGroup(`Logs of ${prepared.container} (${location!.stream})`);
  let task: Task = started;
  let timedOut = false;
  let stoppedAfterMs: number | undefined;
  let missing = 0;
  let warnedDescribe = false;
  const timeline = [{ status: lastStatus, afterMs: 0 }];
  logger.info(`Task ${taskId} is ${lastStatus}`);
  try {
    const deadline = startedAt + spec.timeoutMs;
    context.deadline?.extendTo(deadline);
    // Ticks at a fixed rate (time spent in calls does not stretch the period). The logs are read every half
    // interval and the task every interval, so that a line shows within one interval of reaching CloudWatch and
    // a stop is seen within one interval plus the time of one call.
    const tickMs = spec.pollIntervalMs / 2;
    let nextTick = clock.now() + tickMs;
    for (let tick = 1; ; tick++) {
      const remaining = deadline - clock.now();
      if (remaining <= 0) {
        timedOut = true;
        stoppedAfterMs = clock.now() - startedAt;
        await follower?.poll();
        logger.info(
          `The task has not stopped after ${formatDuration(clock.now() - startedAt)} (the limit is ${formatDuration(spec.timeoutMs)}); stopping it.`,
        );
        await stop(STOP_REASON_TIMEOUT);
        task = (await describeTask(clients.ecs, spec.cluster, taskArn).catch(() => undefined)) ?? task;
        await drainLogs();
        break;
      }
      try {
        await heartbeat.sleep(sleepWithin(nextTick - clock.now(), remaining), signal);
      } catch (error) {
        if (!(error instanceof CancelledError) && !signal?.aborted) throw error;
        await stop(STOP_REASON_CANCELLED);
        throw error instanceof CancelledError ? error : abortReason(signal!);
      }
      // After a stall (a slow call, a suspended runner) carry on from now rather than firing a burst of polls.
      nextTick = Math.max(nextTick + tickMs, clock.now() + tickMs / 2);
      const lookAtTask = tick % 2 === 0 || clock.now() >= deadline;
      const [described] = await Promise.all([
        lookAtTask
          ? describeTask(clients.ecs, spec.cluster, taskArn).catch((error: unknown) => {
              // The SDK has retried already; the next poll is the next try.
              if (!warnedDescribe)
                logger.warning(`DescribeTasks failed (${describeAwsError(error)}); retrying on the next poll.`);
              warnedDescribe = true;
              return null;
            })
          : Promise.resolve(null),
        follower?.poll(),
      ]);
      if (described === null) continue;
      if (described === undefined) {
        if (++missing >= MISSING_LIMIT) {
          throw new UserError(`ECS no longer reports task ${taskArn}; its outcome is unknown.`);
        }
        continue;
      }
      missing = 0;
      task = described;
      if (task.lastStatus && task.lastStatus !== lastStatus) {
        lastStatus = task.lastStatus;
        timeline.push({ status: lastStatus, afterMs: clock.now() - startedAt });
        logger.info(`Task ${taskId} is ${lastStatus}`);
      }
      if (lastStatus === 'STOPPED') {
        context.onTaskStopped?.(taskArn);
        await drainLogs();
        break;
      }
    }
  } finally {
    if (spec.streamLogs && follower) logger.endGroup();
  }

  const outcome: TaskOutcome = timedOut
    ? {
        passed: false,
        exitCode: task.containers?.find((c) => c.name === prepared.container)?.exitCode,
        summary: `The migration did not finish within ${formatDuration(spec.timeoutMs)} (stopped after ${formatDuration(stoppedAfterMs ?? spec.timeoutMs)}); task ${taskId} was stopped. Raise "timeout-minutes" if it needs longer.`,
      }
    : decideOutcome(task, prepared.container);
  const containerState = task.containers?.find((c) => c.name === prepared.container);
  return {
    taskArn,
    taskId,
    taskDefinitionArn: prepared.arn,
    container: prepared.container,
    lastStatus: task.lastStatus ?? lastStatus,
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    exitCode: containerState?.exitCode ?? undefined,
    durationMs: taskDurationMs(task, startedAt, clock.now()),
    logUrl,
    lastLines: follower?.lastLines() ?? [],
    linesRead: follower?.count ?? 0,
    outcome,
    timedOut,
    timeline,
  };
}

/** The task as ECS sees it now; undefined when ECS does not (yet) report it. */
async function describeTask(ecs: ECSClient, cluster: string, taskArn: string): Promise<Task | undefined> {
  const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }));
  return tasks?.find((t) => t.taskArn === taskArn);
}

/** Stops a task left running (the `post:` safety net). Returns what it did. */
export async function stopTaskIfRunning(
  ecs: ECSClient,
  cluster: string,
  taskArn: string,
  reason: string,
): Promise<'stopped' | 'already-stopped' | 'not-found'> {
  const task = await describeTask(ecs, cluster, taskArn);
  if (!task) return 'not-found';
  if (task.lastStatus === 'STOPPED' || task.desiredStatus === 'STOPPED') return 'already-stopped';
  await ecs.send(new StopTaskCommand({ cluster, task: taskArn, reason }));
  return 'stopped';
}
