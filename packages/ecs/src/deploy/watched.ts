/** What the engine keeps per service while it watches, shared by the engine and the handling of the other services. */
import type { Assessment, WatchTarget } from './assess.js';
import type { ServiceReport } from './types.js';

export interface Watched {
  target: WatchTarget;
  /** `deploy`: our rollout; `restore`: the previous revision we put back (after a timeout, or another service's failure). */
  kind: 'deploy' | 'restore';
  report: ServiceReport;
  last?: Assessment;
  /** The service's PRIMARY deployment and service-deployment ARN before our update. */
  before: Before;
  /** The update should create a deployment (a new revision, or forced); a count change alone does not. */
  expectsNew: boolean;
}

export interface Before {
  primaryId?: string;
  serviceDeploymentArn?: string;
}

export function closePhase(report: ServiceReport, end: number, outcome: 'ok' | 'failed' | 'active'): void {
  const phase = report.phases.at(-1);
  if (phase && phase.end === undefined) Object.assign(phase, { end, outcome });
}
