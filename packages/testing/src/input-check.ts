/**
 * An action's input check, run in the test's own process: the settings reader that the action's entry runs before
 * anything else (`readInputsOrExit(readSettings)`, ahead of loading or calling anything), over the very environment
 * the harness gives a spawned step. A table of bad inputs goes through here row by row in milliseconds, where a
 * spawned step costs a Node start and the action's loading, a third of a second of CPU each.
 *
 * What it cannot see is the entry itself: that the action reaches this reader first, prints each problem as a one-line
 * `::error::`, exits 1 and calls nothing. So every table that uses it also spawns one refused step per action (and,
 * for the release's config file, one refused by its run).
 */
import { rmSync } from 'node:fs';
import { UserError, environmentInputs, readInputs, type InputReader } from '@ecs-ship/action-kit';
import { readSettings as buildPushEcr } from '../../../actions/build-push-ecr/src/settings.js';
import { readSettings as deploy } from '../../../actions/ecs-deploy-with-circuit-breaker/src/settings.js';
import { readSettings as notifySlack } from '../../../actions/notify-slack/src/settings.js';
import { readSettings as rdsRestore } from '../../../actions/rds-restore/src/settings.js';
import { readSettings as rdsSnapshot } from '../../../actions/rds-snapshot/src/settings.js';
import { readConfigFile } from '../../../actions/release/src/config-file.js';
import { readSettings as release } from '../../../actions/release/src/settings.js';
import { readSettings as runMigrationTask } from '../../../actions/run-migration-task/src/settings.js';
import { readSettings as smokeTest } from '../../../actions/smoke-test/src/settings.js';
import { readSettings as tagRelease } from '../../../actions/tag-release/src/settings.js';
import type { ActionName } from './action-metadata.js';
import { prepareStep, type RunOptions } from './harness.js';

/** Each action's reader, called as its entry calls it: with the inputs alone, the rest read from process.env. */
const READERS: Record<ActionName, (inputs: InputReader) => unknown> = {
  'build-push-ecr': (inputs) => buildPushEcr(inputs),
  'ecs-deploy-with-circuit-breaker': (inputs) => deploy(inputs),
  'notify-slack': notifySlack,
  'rds-restore': (inputs) => rdsRestore(inputs),
  'rds-snapshot': (inputs) => rdsSnapshot(inputs),
  release,
  'run-migration-task': (inputs) => runMigrationTask(inputs),
  'smoke-test': smokeTest,
  'tag-release': (inputs) => tagRelease(inputs),
};

type CheckOptions = Pick<RunOptions, 'inputs' | 'env' | 'cwd'>;

/** What the action's input check made of `options`: the messages of its `::error::`s, and the inputs it read. */
export function inputCheck(name: ActionName, options: CheckOptions = {}): { errors: string[]; inputsRead: string[] } {
  return inStepEnvironment(name, options, () => {
    const inputsRead = new Set<string>();
    const fromEnvironment = environmentInputs();
    const { errors } = readInputs(READERS[name], (input) => {
      inputsRead.add(input);
      return fromEnvironment(input);
    });
    return { errors: errors.map((error) => error.message), inputsRead: [...inputsRead] };
  });
}

/** The messages of the `::error::`s the action's input check gives for `options` (empty when it accepts them). */
export function inputErrors(name: ActionName, options: CheckOptions = {}): string[] {
  return inputCheck(name, options).errors;
}

/**
 * The release's refusals of its inputs and of its config file: its input check, then the config check its run makes
 * first, before any client is made or call is sent (actions/release/src/config-file.ts).
 */
export function releaseConfigErrors(options: CheckOptions = {}): string[] {
  return inStepEnvironment('release', options, () => {
    const { settings, errors } = readInputs(release);
    if (!settings) return errors.map((error) => error.message);
    try {
      readConfigFile(settings.configPath);
      return [];
    } catch (error) {
      if (error instanceof UserError) return [error.message];
      throw error;
    }
  });
}

/**
 * Runs `check` with the step's environment standing in for process.env. The checks are synchronous, so nothing
 * else in this process runs meanwhile.
 */
function inStepEnvironment<T>(name: ActionName, options: CheckOptions, check: () => T): T {
  const step = prepareStep(name, options);
  const own = process.env;
  // Without the runner's debug switch: the reader's debug lines would go to the test's own output.
  process.env = { ...step.env, RUNNER_DEBUG: undefined };
  try {
    return check();
  } finally {
    process.env = own;
    rmSync(step.temp, { recursive: true, force: true });
  }
}
