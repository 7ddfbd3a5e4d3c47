/**
 * What the per-area bench scripts (bench/deploy.ts, migration.ts, ecr.ts, smoke.ts) report with `--json`: one JSON
 * object as their only stdout, read back by bench/lib/readers.ts. A measurement that failed on its own carries an
 * `error` instead of its numbers, so that the script's other measurements still count.
 */

/** A measurement that could not be taken, and why (one line). */
export interface Failed {
  error: string;
}

export interface DetectionEntry {
  pollSeconds: number;
  /** ECS recording COMPLETED (or FAILED) in the sandbox → the step's exit, one sample per run. */
  completedMs?: number[];
  failedMs?: number[];
  error?: string;
}

export interface DescribeServicesEntry {
  services: number;
  /** DescribeServices calls in the first poll after the update, and in the busiest poll. */
  firstPoll?: number;
  maxPerPoll?: number;
  polls?: number;
  /** Every DescribeServices call the sandbox recorded for the deploy, the checks before the update included. */
  total?: number;
  error?: string;
}

export interface DeployReport {
  runs: number;
  detection: DetectionEntry[];
  describeServices: DescribeServicesEntry[];
  coldStart?: { medianMs: number; nodeMedianMs: number };
}

export interface MigrationReport {
  runs: number;
  pollSeconds: number;
  logLag: { lines: number; p50Ms: number; p95Ms: number; maxMs: number };
  /** ECS stoppedAt → the step printing STOPPED, one sample per run. */
  stopped: { samplesMs: number[] };
  /** SIGTERM to the step → StopTask reaching ECS, one sample per run. */
  cancellation: { samplesMs: number[] };
}

export interface PromotedImage {
  image: string;
  calls: number;
  operations: string[];
}

export interface PushStats {
  blobsUploaded: number;
  bytesUploaded: number;
  blobsSkipped: number;
  requests: number;
  ms: number;
}

export interface Promotion {
  images: PromotedImage[];
}

export interface RepeatedPush {
  first: PushStats;
  repeat: PushStats;
}

export interface EcrReport {
  promotion: Promotion | Failed;
  repeatedPush: RepeatedPush | Failed;
}

export interface SampleSummary {
  medianMs: number;
  minMs: number;
  maxMs: number;
  cpuMs: number;
  runs: number;
}

export interface SmokeReport {
  checks: number;
  endpointMs: number;
  concurrency: number;
  engine: SampleSummary;
  bundle: SampleSummary;
}

/** How a script talks: its human lines, and its report when run with --json. */
export interface ScriptOutput {
  /** The arguments other than --json. */
  args: string[];
  say(line?: string): void;
  report(report: object): void;
}

export function scriptOutput(argv: readonly string[] = process.argv.slice(2)): ScriptOutput {
  const json = argv.includes('--json');
  return {
    args: argv.filter((arg) => arg !== '--json'),
    // With --json the human lines go to stderr, so that stdout carries the report alone.
    say: (line = '') => void (json ? process.stderr : process.stdout).write(`${line}\n`),
    report: (report) => void (json && process.stdout.write(`${JSON.stringify(report)}\n`)),
  };
}

/** The first line of an error's message, for a report's `error`. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
