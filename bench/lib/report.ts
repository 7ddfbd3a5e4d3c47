/**
 * What the per-area bench scripts (bench/deploy.ts, migration.ts, ecr.ts, smoke.ts) report with `--json`: one JSON
 * object as their only stdout, read back by bench/lib/readers.ts. One zod schema per report serves both: the script
 * checks what it prints against it, the reader checks what it reads. A measurement that failed on its own carries an
 * `error` instead of its numbers, so that the script's other measurements still count.
 */

import * as z from 'zod';

const number = z.number();
const count = z.number().int().min(0);
/** At least one sample: a figure taken over no run at all is not a measurement. */
const samples = z.array(number).min(1);

/** A measurement that could not be taken, and why (one line). */
export const failed = z.object({ error: z.string() });
export type Failed = z.infer<typeof failed>;

// Entries of a list keep their key and carry either their numbers or an `error`: each field is optional here, and a
// reader asks for the fields its figure needs (`.required(...)`), naming those missing.

export const detectionEntry = z.object({
  pollSeconds: number,
  /** ECS recording COMPLETED (or FAILED) in the sandbox → the step's exit, one sample per run. */
  completedMs: samples.optional(),
  failedMs: samples.optional(),
  error: z.string().optional(),
});
export type DetectionEntry = z.infer<typeof detectionEntry>;

export const describeServicesEntry = z.object({
  services: count,
  /** DescribeServices calls in the first poll after the update, and in the busiest poll. */
  firstPoll: count.optional(),
  maxPerPoll: count.optional(),
  polls: count.optional(),
  /** Every DescribeServices call the sandbox recorded for the deploy, the checks before the update included. */
  total: count.optional(),
  error: z.string().optional(),
});
export type DescribeServicesEntry = z.infer<typeof describeServicesEntry>;

export const deployReportSchema = z.object({
  runs: count,
  detection: z.array(detectionEntry),
  describeServices: z.array(describeServicesEntry),
});
export type DeployReport = z.infer<typeof deployReportSchema>;

export const logLag = z.object({ lines: count, p50Ms: number, p95Ms: number, maxMs: number });
export const sampled = z.object({ samplesMs: samples });

export const migrationReportSchema = z.object({
  runs: count,
  pollSeconds: number,
  logLag,
  /** ECS stoppedAt → the step printing STOPPED, one sample per run. */
  stopped: sampled,
  /** SIGTERM to the step → StopTask reaching ECS, one sample per run. */
  cancellation: sampled,
});
export type MigrationReport = z.infer<typeof migrationReportSchema>;

export const promotedImage = z.object({ image: z.string(), calls: count, operations: z.array(z.string()) });
export type PromotedImage = z.infer<typeof promotedImage>;

export const pushStats = z.object({
  blobsUploaded: count,
  bytesUploaded: count,
  blobsSkipped: count,
  requests: count,
  ms: number,
});
export type PushStats = z.infer<typeof pushStats>;

export const promotion = z.object({ images: z.array(promotedImage) });
export const repeatedPush = z.object({ first: pushStats, repeat: pushStats });

export const ecrReportSchema = z.object({
  promotion: z.union([promotion, failed]),
  repeatedPush: z.union([repeatedPush, failed]),
});
export type EcrReport = z.infer<typeof ecrReportSchema>;

export const sampleSummary = z.object({ medianMs: number, minMs: number, maxMs: number, cpuMs: number, runs: count });
export type SampleSummary = z.infer<typeof sampleSummary>;

export const smokeReportSchema = z.object({
  checks: count,
  endpointMs: number,
  concurrency: count,
  engine: sampleSummary,
  bundle: sampleSummary,
});
export type SmokeReport = z.infer<typeof smokeReportSchema>;

/** How a script talks: its human lines, and its report when run with --json. */
export interface ScriptOutput {
  /** The arguments other than --json. */
  args: string[];
  say(line?: string): void;
  /** Prints the report, checked against the schema its reader uses (a mismatch is a bug in the script). */
  report<T>(schema: z.ZodType<T>, report: T): void;
}

export function scriptOutput(argv: readonly string[] = process.argv.slice(2)): ScriptOutput {
  const json = argv.includes('--json');
  return {
    args: argv.filter((arg) => arg !== '--json'),
    // With --json the human lines go to stderr, so that stdout carries the report alone.
    say: (line = '') => void (json ? process.stderr : process.stdout).write(`${line}\n`),
    report: (schema, report) => void (json && process.stdout.write(`${JSON.stringify(schema.parse(report))}\n`)),
  };
}

/** The first line of an error's message, for a report's `error`. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
