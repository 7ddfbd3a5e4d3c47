// The API-model check as a sandbox turns it on: every AWS exchange checked, violations kept for whoever fails the
// test that caused them, coverage written for the report. Sandboxes started in a process register here so that a
// test framework hook finds them all (the registry lives on globalThis: one per process however modules load).
import { ModelCheck, formatViolation, type ModelViolation } from './check.js';
import { botocoreData } from './botocore.js';

export { ModelCheck, formatViolation, type ModelViolation } from './check.js';
export { coverageReport, readCoverage, outputMembers } from './coverage.js';
export { serviceModel, waiterModels, botocoreData } from './botocore.js';
export { validate, type Violation } from './validate.js';

/** `ECS_SHIP_SANDBOX_CHECK=models` turns the check on for every sandbox started in the process (and its children). */
export const CHECK_VARIABLE = 'ECS_SHIP_SANDBOX_CHECK';
/** A folder where each checked sandbox writes its coverage when it stops. */
export const COVERAGE_VARIABLE = 'ECS_SHIP_SANDBOX_COVERAGE';

export function checkRequested(): boolean {
  return process.env[CHECK_VARIABLE] === 'models';
}

interface Registered {
  url: string;
  check: ModelCheck;
  /** This sandbox's coverage file name (one per sandbox, so processes never share a file). */
  name: string;
}

const REGISTRY = Symbol.for('ecs-ship.sandbox.model-checks');

function registry(): Set<Registered> {
  const holder = globalThis as typeof globalThis & { [REGISTRY]?: Set<Registered> };
  return (holder[REGISTRY] ??= new Set());
}

let sequence = 0;

/** A check for a sandbox about to start; throws naming what to install when the models are missing. */
export function startModelCheck(url: string): { check: ModelCheck; stop(): void } {
  botocoreData();
  const entry = { url, check: new ModelCheck(), name: `${process.pid}-${++sequence}-${Date.now()}` };
  registry().add(entry);
  return {
    check: entry.check,
    stop() {
      registry().delete(entry);
      writeCoverage(entry);
    },
  };
}

function writeCoverage(entry: Registered): void {
  const folder = process.env[COVERAGE_VARIABLE];
  if (folder) entry.check.coverage.writeTo(folder, entry.name);
}

/** Writes the coverage of the sandboxes still running (a test file may end without stopping its sandbox). */
export function writeLiveCoverage(): void {
  for (const entry of registry()) writeCoverage(entry);
}

/** Takes the violations of every checked sandbox of this process. */
export function takeAllViolations(): ModelViolation[] {
  return [...registry()].flatMap((entry) => entry.check.take());
}

/** Throws, listing them, when any checked sandbox of this process found violations (and forgets them). */
export function assertNoModelViolations(): void {
  const violations = takeAllViolations();
  if (violations.length > 0) throw violationsError(violations);
}

/** An error listing violations, one per line, for a failed test. */
export function violationsError(violations: readonly ModelViolation[]): Error {
  const lines = violations.slice(0, 20).map((v) => `  ${formatViolation(v)}`);
  if (violations.length > 20) lines.push(`  … and ${violations.length - 20} more`);
  return new Error(
    `The sandbox answered in a way AWS's API model does not allow (${violations.length} violation(s)):\n${lines.join('\n')}`,
  );
}
