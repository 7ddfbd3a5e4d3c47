// What a stopped task means for the step: the chosen container's exit code decides.
import type { Task } from '@aws-sdk/client-ecs';

export type TaskOutcome =
  { passed: true; exitCode: 0; summary: string } | { passed: false; exitCode?: number; summary: string };

export function decideOutcome(task: Task, container: string): TaskOutcome {
  const stopCode = task.stopCode ?? 'unknown stop code';
  const stoppedReason = task.stoppedReason ? `: ${task.stoppedReason}` : '';
  const state = task.containers?.find((c) => c.name === container);
  const containerReason = state?.reason ? ` (container reason: ${state.reason})` : '';
  if (task.stopCode === 'TaskFailedToStart') {
    return {
      passed: false,
      exitCode: state?.exitCode,
      summary: `The migration task failed to start (TaskFailedToStart${stoppedReason})${containerReason}.`,
    };
  }
  if (state?.exitCode === undefined || state.exitCode === null) {
    return {
      passed: false,
      summary: `Container ${container} has no exit code, so it never ran to completion (${stopCode}${stoppedReason})${containerReason}.`,
    };
  }
  if (state.exitCode === 0) return { passed: true, exitCode: 0, summary: `Container ${container} exited with code 0.` };
  return {
    passed: false,
    exitCode: state.exitCode,
    summary: `The migration failed: container ${container} exited with code ${state.exitCode} (${stopCode}${stoppedReason})${containerReason}.`,
  };
}

/** How long the task ran: from start (or creation) to stop, as ECS recorded it. */
export function taskDurationMs(task: Task, fallbackStart: number, fallbackEnd: number): number {
  const start = (task.startedAt ?? task.createdAt)?.getTime() ?? fallbackStart;
  const end = task.stoppedAt?.getTime() ?? fallbackEnd;
  return Math.max(0, end - start);
}
