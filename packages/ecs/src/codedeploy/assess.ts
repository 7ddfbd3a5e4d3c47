/**
 * What one look at a CodeDeploy deployment means (GetDeployment and its ECS target), as a pure function: still
 * going, waiting for a go-ahead (Ready), succeeded, or failed or stopped with CodeDeploy's own reason: its
 * errorInformation, and the lifecycle event that failed with its diagnostics.
 */
import type { DeploymentInfo, ECSTarget, LifecycleEvent } from '@aws-sdk/client-codedeploy';

export type CodeDeployAssessment =
  | { state: 'progressing'; summary: string }
  | { state: 'ready'; summary: string }
  | { state: 'succeeded'; summary: string }
  | { state: 'failed'; stopped: boolean; reason: string; rollbackDeploymentId?: string };

export function assessDeployment(info: DeploymentInfo, target: ECSTarget | undefined): CodeDeployAssessment {
  const events = target?.lifecycleEvents ?? [];
  switch (info.status) {
    case 'Succeeded':
      return { state: 'succeeded', summary: `all ${events.length} lifecycle events succeeded` };
    case 'Failed':
    case 'Stopped':
      return {
        state: 'failed',
        stopped: info.status === 'Stopped',
        reason: failureReason(info, events),
        rollbackDeploymentId: info.rollbackInfo?.rollbackDeploymentId,
      };
    case 'Ready':
      return { state: 'ready', summary: `ready, test traffic on the replacement task set${traffic(target)}` };
    default:
      return { state: 'progressing', summary: progress(info, events, target) };
  }
}

/** "CodeDeploy deployment d-X failed at AfterAllowTestTraffic (HOOK_EXECUTION_FAILURE): <message>". */
export function failureReason(info: DeploymentInfo, events: readonly LifecycleEvent[]): string {
  const failed = events.find((e) => e.status === 'Failed');
  const at = failed ? ` at ${failed.lifecycleEventName}` : '';
  const error = info.errorInformation;
  const code = error?.code ? ` (${error.code})` : '';
  const message = error?.message ?? failed?.diagnostics?.message ?? 'CodeDeploy gave no reason';
  const diagnostics =
    failed?.diagnostics?.message && !message.includes(failed.diagnostics.message)
      ? `; ${failed.lifecycleEventName}: ${failed.diagnostics.message}`
      : '';
  const verb = info.status === 'Stopped' ? 'was stopped' : 'failed';
  return `CodeDeploy deployment ${info.deploymentId} ${verb}${at}${code}: ${message}${diagnostics}`;
}

function progress(info: DeploymentInfo, events: readonly LifecycleEvent[], target: ECSTarget | undefined): string {
  const current = events.find((e) => e.status === 'InProgress');
  const done = events.filter((e) => e.status === 'Succeeded').length;
  if (!current) return `${info.status ?? 'Created'}, ${done}/${events.length} lifecycle events done`;
  return `${current.lifecycleEventName} (${done}/${events.length} lifecycle events done)${traffic(target)}`;
}

/** ", production traffic 10% on the replacement task set". */
function traffic(target: ECSTarget | undefined): string {
  const green = target?.taskSetsInfo?.find((t) => t.taskSetLabel === 'Green');
  return green?.trafficWeight !== undefined ? `, production traffic ${green.trafficWeight}% on it` : '';
}
