// Metric series on scenario time: what a series is worth at an instant, and the datapoints GetMetricData gives for a
// period. A series holds one value at a time (the same whichever statistic is asked); a period's datapoint is the
// value at the period's end, or now for the period under way, so a series that rises shows in the period it rose.
import type { SandboxClock } from '../core/module.js';
import { imageMatches } from '../ecs/alarms.js';
import type { Task } from '../ecs/task.js';
import type { MetricSection } from './scenario.js';

export interface MetricKey {
  namespace: string;
  name: string;
  dimensions: Readonly<Record<string, string>>;
}

/** Whether a request's metric names this series: the same namespace, name and exactly the same dimensions. */
export function sameMetric(a: MetricKey, b: MetricKey): boolean {
  const dimensionsA = Object.entries(a.dimensions);
  return (
    a.namespace === b.namespace &&
    a.name === b.name &&
    dimensionsA.length === Object.keys(b.dimensions).length &&
    dimensionsA.every(([name, value]) => b.dimensions[name] === value)
  );
}

export class Series {
  constructor(
    readonly section: MetricSection,
    private readonly clock: SandboxClock,
    /** When the scenario loaded (epoch ms): scenario time 0, and the first instant the series has data. */
    readonly since: number,
    /** Every ECS task of the world (for `whileImageRuns`); none when the sandbox serves no ECS. */
    private readonly tasks: () => Iterable<Task>,
  ) {}

  /** The value at an instant (epoch ms), from `since` on. */
  valueAt(instant: number): number {
    const released = this.section.whileImageRuns;
    if (released && this.imageRanLongEnough(released.image, released.after, instant)) return released.value;
    const seconds = (instant - this.since) / this.clock.scaled(1);
    let value = this.section.value;
    let latest = -Infinity;
    for (const step of this.section.steps) {
      if (step.at <= seconds && step.at >= latest) {
        latest = step.at;
        value = step.value;
      }
    }
    return value;
  }

  /** Datapoints of `period` seconds between `start` and `end` (epoch ms), oldest first, never past now. */
  datapoints(start: number, end: number, periodSeconds: number): { timestamp: number; value: number }[] {
    const period = periodSeconds * 1000;
    const now = this.clock.now();
    const points: { timestamp: number; value: number }[] = [];
    // Periods are aligned on the epoch, as CloudWatch aligns them for periods of a minute or more.
    for (let t = Math.floor(start / period) * period; t < end && t <= now; t += period) {
      if (t < start || t + period <= this.since) continue;
      points.push({ timestamp: t, value: this.valueAt(Math.min(t + period - 1, now)) });
    }
    return points;
  }

  private imageRanLongEnough(image: string, afterSeconds: number, instant: number): boolean {
    for (const task of this.tasks()) {
      if (!task.containers.some((c) => imageMatches(c.image, image))) continue;
      const running = task.history.findIndex((h) => h.status === 'RUNNING');
      if (running < 0) continue;
      const from = task.history[running]!.at + this.clock.scaled(afterSeconds);
      const ended = task.history.slice(running + 1).find((h) => h.status !== 'RUNNING')?.at ?? Infinity;
      if (from <= instant && instant < ended) return true;
    }
    return false;
  }
}
