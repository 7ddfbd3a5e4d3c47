/**
 * The job log during a watch shows changes, not heartbeats: each service event once, and a progress line only
 * when a service's counts or state change.
 */
import type { Logger } from '@ecs-ship/action-kit';
import type { Assessment } from './assess.js';
import { recentEvents } from './assess.js';
import type { EventView, ServiceSnapshot } from './snapshot.js';

export class ProgressLog {
  private readonly seenEvents = new Map<string, Set<string>>();
  private readonly lastLine = new Map<string, string>();
  /** Events since each deployment started, oldest first, for the report. */
  readonly events = new Map<string, EventView[]>();

  constructor(private readonly logger: Logger) {}

  /** Marks events that happened before the deployment, so they are never printed as news. */
  remember(service: string, eventIds: readonly string[]): void {
    const seen = this.seen(service);
    for (const id of eventIds) seen.add(id);
  }

  /** Prints what is new in this snapshot; returns true when anything was printed. */
  update(snapshot: ServiceSnapshot, startedAt: number, assessment: Assessment): boolean {
    const service = snapshot.service;
    const seen = this.seen(service);
    const fresh = recentEvents({ startedAt }, snapshot)
      .filter((event) => !seen.has(event.id))
      .reverse(); // ECS lists newest first; people read oldest first.
    for (const event of fresh) {
      seen.add(event.id);
      this.logger.info(`${service}: ${event.message}`);
    }
    if (fresh.length > 0) this.events.set(service, [...(this.events.get(service) ?? []), ...fresh]);

    const line = progressLine(service, assessment);
    if (line !== undefined && line !== this.lastLine.get(service)) {
      this.lastLine.set(service, line);
      this.logger.info(line);
      return true;
    }
    return fresh.length > 0;
  }

  private seen(service: string): Set<string> {
    let seen = this.seenEvents.get(service);
    if (!seen) this.seenEvents.set(service, (seen = new Set()));
    return seen;
  }
}

function progressLine(service: string, assessment: Assessment): string | undefined {
  switch (assessment.state) {
    case 'progressing':
      return `${service}: deploying: ${assessment.summary}`;
    case 'rolling-back':
      return `${service}: rolling back: ${assessment.summary}`;
    default:
      return undefined; // final states are reported by the engine, once.
  }
}
