// The deploy's overall result and failure reason, from its services' reports.
import { FAILING_RESULTS, rolledBackBecauseOfOthers } from './siblings.js';
import type { OverallResult, ServiceReport } from './types.js';

export function overallResult(reports: ServiceReport[]): OverallResult {
  const results = new Set(reports.map((r) => r.result));
  if (results.has('cancelled')) return 'cancelled';
  if (results.has('failed') || results.has('gone')) return 'failed';
  if (results.has('timed-out')) return 'timed-out';
  if (results.has('rolled-back')) return 'rolled-back';
  // Replaced by someone else's update: not this deploy's failure, but not its success either.
  if (results.has('superseded')) return 'superseded';
  if (results.has('started') || results.has('in-progress')) return 'started';
  if (results.has('succeeded')) return 'succeeded';
  return 'unchanged';
}

export function failureReason(reports: ServiceReport[]): string | undefined {
  // A service this step rolled back because another failed is not a reason; the summary says what became of it.
  const failed = reports.filter(
    (r) =>
      (FAILING_RESULTS.includes(r.result) || r.result === 'cancelled') && !rolledBackBecauseOfOthers({ report: r }),
  );
  if (failed.length === 0) return undefined;
  return failed
    .map((r) => {
      const after = r.rollback ? ` Then: ${r.rollback.reason}.` : '';
      return `${r.service}: ${r.reason ?? r.result}${after}`;
    })
    .join(' | ');
}
