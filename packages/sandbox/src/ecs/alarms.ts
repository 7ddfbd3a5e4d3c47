// CloudWatch alarms as ECS deployments see them: OK or ALARM, moved by the scenario (`at`), by a task running a bad
// image long enough (`whenImageRuns`), or by a test (`setAlarm`). Services monitoring an alarm react at once.
import type { SandboxClock } from '../core/module.js';
import type { AlarmSection } from './scenario.js';
import type { Task } from './task.js';

export type AlarmState = 'OK' | 'ALARM';

export class Alarms {
  private readonly states = new Map<string, { state: AlarmState; changedAt: number }>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly section: readonly AlarmSection[],
    /** Every task of the world, to tell whether an image still runs. */
    private readonly tasks: () => Iterable<Task>,
    /** Called after any alarm changed state. */
    private readonly changed: () => void,
  ) {
    for (const alarm of section) {
      this.states.set(alarm.name, { state: 'OK', changedAt: clock.now() });
      if (alarm.at !== undefined) clock.after(alarm.at, () => this.set(alarm.name, 'ALARM'));
    }
  }

  /** Moves an alarm to ALARM or OK. */
  set(name: string, state: AlarmState): void {
    if (this.states.get(name)?.state === state) return;
    this.states.set(name, { state, changedAt: this.clock.now() });
    this.changed();
  }

  state(name: string): AlarmState {
    return this.states.get(name)?.state ?? 'OK';
  }

  /** When the alarm last changed state (epoch ms); the scenario's load for one that never did. */
  changedAt(name: string): number {
    return this.states.get(name)?.changedAt ?? this.clock.now();
  }

  /** Alarms fed by an image: ALARM once a task with it has run long enough, OK when none runs any more. */
  watch(task: Task): void {
    for (const alarm of this.section) {
      if (!alarm.whenImageRuns) continue;
      const image = alarm.whenImageRuns;
      if (!runsImage(task, image)) continue;
      if (task.lastStatus === 'RUNNING' && task.history.at(-1)?.at === this.clock.now()) {
        this.clock.after(alarm.after, () => {
          if (task.alive && task.lastStatus === 'RUNNING') this.set(alarm.name, 'ALARM');
        });
      }
      if (!task.alive && !this.imageRuns(image) && this.state(alarm.name) === 'ALARM') {
        this.clock.after(alarm.okAfter, () => {
          if (!this.imageRuns(image)) this.set(alarm.name, 'OK');
        });
      }
    }
  }

  private imageRuns(image: string): boolean {
    for (const task of this.tasks())
      if (task.alive && task.lastStatus === 'RUNNING' && runsImage(task, image)) return true;
    return false;
  }
}

function runsImage(task: Task, image: string): boolean {
  return task.containers.some((c) => imageMatches(c.image, image));
}

/** A scenario's image key matches an image exactly or its part after the registry host. */
export function imageMatches(image: string, key: string): boolean {
  return image === key || image.endsWith(`/${key}`);
}
