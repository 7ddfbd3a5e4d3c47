/**
 * Turns the JSON reports of the per-area bench scripts (bench/deploy.ts, migration.ts, ecr.ts, smoke.ts, run with
 * --json) into figures of the table. The reports come from another process, so every entry is checked against the
 * zod schema the script printed it with (./report.ts) before use: a figure whose numbers are missing, of the wrong
 * type or replaced by an `error` becomes a figure that was not measured, naming the script and the missing fields,
 * rather than a guess.
 */
import type * as z from 'zod';
import { failedFigure, type Figure } from './figures.js';
import type { ScriptRun } from './child.js';
import {
  describeServicesEntry,
  detectionEntry,
  logLag,
  promotedImage,
  promotion as promotionSchema,
  repeatedPush as repeatedPushSchema,
  sampleSummary,
  sampled,
} from './report.js';
import { formatBytes, median } from './stats.js';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The report a script printed with --json: the last non-empty line of its stdout, when that is a JSON object. */
export function reportOf(run: ScriptRun): JsonObject | undefined {
  const last = run.stdout.trim().split('\n').at(-1)?.trim() ?? '';
  if (!last.startsWith('{')) return undefined;
  try {
    const report: unknown = JSON.parse(last);
    return isObject(report) ? report : undefined;
  } catch {
    return undefined;
  }
}

/** The last words of a script that printed no report: its exit code and the error it printed, if any. */
function lastWords(run: ScriptRun): string {
  const lines = (run.stderr.trim() || run.stdout.trim()).split('\n').filter((line) => line.trim());
  const error = lines.findLast((line) => /Error|error:|not finish/.test(line));
  return `exit code ${run.exitCode}: ${(error ?? lines.at(-1) ?? 'no output').trim()}`;
}

/** The label, how and goal of a figure: what stays in the table whether or not it was measured. */
interface Heading {
  figure: string;
  how: string;
  goal: string;
}

type Measurement = Pick<Figure, 'measured' | 'pass' | 'values'>;

/** One script's report, and the way to turn one of its entries into a figure. */
class ScriptReport {
  readonly report: JsonObject | undefined;

  constructor(
    readonly script: string,
    private readonly run: ScriptRun,
  ) {
    this.report = reportOf(run);
  }

  /** The entry of an array field of the report whose `key` is `value`. */
  entryOf(list: string, key: string, value: unknown): unknown {
    const entries = this.report?.[list];
    return Array.isArray(entries) ? entries.find((entry) => isObject(entry) && entry[key] === value) : undefined;
  }

  /**
   * The figure measured from `entry` when it holds every field of `shape`; otherwise one that was not measured, saying
   * whether the script printed no report, reported an error, or left out fields (`what` names the entry).
   */
  figure<T>(
    heading: Heading,
    entry: unknown,
    what: string,
    schema: z.ZodType<T>,
    measure: (fields: T) => Measurement,
  ): Figure {
    const notMeasured = (why: string) => failedFigure(heading.figure, heading.how, heading.goal, why);
    if (!this.report) return notMeasured(`${this.script} printed no JSON report (${lastWords(this.run)})`);
    if (isObject(entry) && typeof entry.error === 'string') return notMeasured(`${this.script}: ${entry.error}`);
    if (entry === undefined) return notMeasured(`${this.script} reported nothing for ${what}`);
    const found = schema.safeParse(entry);
    if (!found.success) {
      const missing = [...new Set(found.error.issues.map((issue) => String(issue.path[0] ?? 'anything usable')))];
      return notMeasured(`${this.script} reported no ${missing.join(', ')} for ${what}`);
    }
    return { ...heading, ...measure(found.data) };
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function readDeploy(
  run: ScriptRun,
  pollIntervals: readonly number[],
  serviceCounts: readonly number[],
): Figure[] {
  const report = new ScriptReport('bench/deploy.ts', run);
  const detection = pollIntervals.map((poll) => {
    const targetMs = poll * 1000 + 200;
    const heading = {
      figure: `deploy detection latency, poll ${poll} s`,
      how: 'ECS records COMPLETED / FAILED in the sandbox → step exits (bench/deploy.ts, worst run)',
      goal: `≤ ${poll + 0.2} s`,
    };
    const entry = report.entryOf('detection', 'pollSeconds', poll);
    const shape = detectionEntry.required({ completedMs: true, failedMs: true });
    return report.figure(heading, entry, `poll ${poll} s`, shape, ({ completedMs, failedMs }) => {
      const worstCompleted = Math.max(...completedMs);
      const worstFailed = Math.max(...failedMs);
      return {
        measured: `COMPLETED ${seconds(worstCompleted)}, FAILED ${seconds(worstFailed)}`,
        pass: Math.max(worstCompleted, worstFailed) <= targetMs,
        values: {
          pollSeconds: poll,
          targetMs,
          completedMs,
          failedMs,
          completedMedianMs: median(completedMs),
          failedMedianMs: median(failedMs),
        },
      };
    });
  });
  const calls = serviceCounts.map((services) => {
    const expected = Math.ceil(services / 10);
    const heading = {
      figure: `API calls per deploy, ${services} service${services === 1 ? '' : 's'}`,
      how: 'DescribeServices calls per poll and in the whole deploy, from the sandbox recorder (bench/deploy.ts)',
      goal: `${expected} per poll (⌈${services}/10⌉)`,
    };
    const entry = report.entryOf('describeServices', 'services', services);
    const shape = describeServicesEntry.required({ firstPoll: true, maxPerPoll: true, polls: true, total: true });
    return report.figure(
      heading,
      entry,
      `${services} service(s)`,
      shape,
      ({ firstPoll, maxPerPoll, polls, total }) => ({
        measured: `first poll ${firstPoll}, at most ${maxPerPoll} per poll over ${polls} polls; ${total} per deploy`,
        // The total has no goal of its own: it grows with the polls a rollout takes, which ECS decides.
        pass: firstPoll === expected && maxPerPoll <= expected,
        values: { services, expectedPerPoll: expected, firstPoll, maxPerPoll, polls, totalPerDeploy: total },
      }),
    );
  });
  return [...detection, ...calls];
}

export function readMigration(run: ScriptRun, pollSeconds: number): Figure[] {
  const report = new ScriptReport('bench/migration.ts', run);
  const pollMs = pollSeconds * 1000;
  const lag = report.figure(
    {
      figure: `migration log lag, poll ${pollSeconds} s`,
      how: 'CloudWatch ingestion → line on the step stdout; a lost or doubled line fails (bench/migration.ts)',
      goal: `≤ ${pollMs} ms, none lost or doubled`,
    },
    report.report?.logLag,
    'the log lag',
    logLag,
    ({ lines, p50Ms, p95Ms, maxMs }) => ({
      measured: `${lines} lines, p50 ${p50Ms} ms, p95 ${p95Ms} ms, max ${maxMs} ms`,
      pass: maxMs <= pollMs,
      values: { lines, p50Ms, p95Ms, maxMs },
    }),
  );
  const worstOf =
    (targetMs: number) =>
    ({ samplesMs }: { samplesMs: number[] }) => ({
      measured: `worst ${Math.max(...samplesMs)} ms`,
      pass: Math.max(...samplesMs) <= targetMs,
      values: { samplesMs },
    });
  const stopped = report.figure(
    {
      figure: 'migration STOPPED detection',
      how: 'ECS stoppedAt → the step prints STOPPED (bench/migration.ts, worst run)',
      goal: `≤ ${pollMs + 200} ms`,
    },
    report.report?.stopped,
    'STOPPED detection',
    sampled,
    worstOf(pollMs + 200),
  );
  const cancellation = report.figure(
    {
      figure: 'migration cancellation',
      how: 'SIGTERM to the step → StopTask reaches ECS (bench/migration.ts, worst run)',
      goal: '≤ 2000 ms',
    },
    report.report?.cancellation,
    'cancellation',
    sampled,
    worstOf(2000),
  );
  return [lag, stopped, cancellation];
}

const LAYER_UPLOADS = /LayerUpload|UploadLayerPart|PutLayer/;

export function readEcr(run: ScriptRun): Figure[] {
  const report = new ScriptReport('bench/ecr.ts', run);
  // A small and a large image: the figure compares their call counts.
  const promotionShape = promotionSchema.extend({ images: promotedImage.array().length(2) });
  const promotion = report.figure(
    {
      figure: 'promotion',
      how: 'API calls and layer uploads to promote a 4 KiB and a 30 GiB image (bench/ecr.ts)',
      goal: 'constant calls, 0 layer bytes',
    },
    report.report?.promotion,
    'promotion',
    promotionShape,
    ({ images }) => {
      const calls = images.map((image) => image.calls);
      const layerUploads = images.flatMap((image) => image.operations).filter((op) => LAYER_UPLOADS.test(op));
      return {
        measured: `${calls.join(' and ')} calls; ${layerUploads.length} layer upload calls`,
        pass: calls[0] === calls[1] && layerUploads.length === 0,
        values: Object.fromEntries(
          images.map((image) => [image.image, { calls: image.calls, operations: image.operations.join(', ') }]),
        ),
      };
    },
  );
  const push = report.figure(
    {
      figure: 'repeated archive push',
      how: 'blob bytes uploaded by a second push-archive to a real registry (bench/ecr.ts)',
      goal: '0 bytes',
    },
    report.report?.repeatedPush,
    'the repeated push',
    repeatedPushSchema,
    ({ first, repeat }) => ({
      measured:
        `${formatBytes(first.bytesUploaded)} first, ${formatBytes(repeat.bytesUploaded)} second ` +
        `(${repeat.blobsSkipped} blobs already there)`,
      pass: repeat.bytesUploaded === 0,
      values: {
        firstBytes: first.bytesUploaded,
        repeatBytes: repeat.bytesUploaded,
        repeatBlobsSkipped: repeat.blobsSkipped,
      },
    }),
  );
  return [promotion, push];
}

export function readSmoke(run: ScriptRun): Figure[] {
  const report = new ScriptReport('bench/smoke.ts', run);
  const heading = {
    figure: 'smoke',
    how: '200 checks × 50 ms endpoints, concurrency 20; engine median, bundle median (bench/smoke.ts)',
    goal: '< 1 s',
  };
  // The goal is the engine's; the whole bundle is reported beside it when the script measured it.
  const engineShape = sampleSummary.pick({ medianMs: true, cpuMs: true, runs: true });
  const reported = sampleSummary.safeParse(report.report?.bundle);
  const bundle = reported.success ? reported.data : undefined;
  return [
    report.figure(heading, report.report?.engine, 'the engine', engineShape, (engine) => ({
      measured: `engine ${engine.medianMs} ms` + (bundle ? `, whole bundle ${bundle.medianMs} ms` : ''),
      pass: engine.medianMs < 1000,
      values: {
        engineMedianMs: engine.medianMs,
        engineCpuMs: engine.cpuMs,
        runs: engine.runs,
        ...(bundle ? { bundleMedianMs: bundle.medianMs, bundleCpuMs: bundle.cpuMs } : {}),
      },
    })),
  ];
}
