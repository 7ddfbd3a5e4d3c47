// Waiting for ECR's image scan and judging its findings against a severity threshold.
import { DescribeImageScanFindingsCommand, type ECRClient } from '@aws-sdk/client-ecr';
import {
  Deadline,
  Heartbeat,
  UserError,
  formatDuration,
  sleepWithin,
  type Clock,
  type Logger,
  type RetryBudget,
} from '@ecs-ship/action-kit';
import { describeAwsError, isAwsError } from './errors.js';
import { SEVERITIES, type Severity } from './options.js';

export type SeverityCounts = Partial<Record<Severity, number>>;

/** Counts at or above the threshold (CRITICAL is the highest). */
export function findingsAtOrAbove(counts: SeverityCounts, threshold: Severity): SeverityCounts {
  const limit = SEVERITIES.indexOf(threshold);
  const result: SeverityCounts = {};
  for (const severity of SEVERITIES.slice(0, limit + 1)) {
    const count = counts[severity] ?? 0;
    if (count > 0) result[severity] = count;
  }
  return result;
}

export function addCounts(a: SeverityCounts, b: SeverityCounts): SeverityCounts {
  const result: SeverityCounts = { ...a };
  for (const severity of SEVERITIES) {
    if (b[severity]) result[severity] = (result[severity] ?? 0) + b[severity]!;
  }
  return result;
}

export function formatCounts(counts: SeverityCounts): string {
  const parts = SEVERITIES.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length > 0 ? parts.join(', ') : 'no findings';
}

/** The platform images of an index (attestations excluded), or the image itself. Only images are scanned. */
export function scannedDigests(digest: string, manifest: string | undefined): string[] {
  if (!manifest) return [digest];
  try {
    const parsed = JSON.parse(manifest) as { manifests?: { digest: string; platform?: { os?: string } }[] };
    if (!Array.isArray(parsed.manifests)) return [digest];
    return parsed.manifests.filter((m) => m.platform?.os !== 'unknown').map((m) => m.digest);
  } catch {
    return [digest];
  }
}

export interface ScanCheck {
  counts: SeverityCounts;
  blocking: SeverityCounts;
}

/**
 * Waits for the scan of each image to finish, then fails when any finding is at or above `threshold`.
 * Polls every `pollMs` until `timeoutMs`, never sleeping past it; only a change of status is logged. With a
 * `retryBudget` (the client's), throttled calls are retried until the same deadline. While the log is quiet for
 * `progressIntervalMs`, a heartbeat says which scan is awaited, where it stands and how long is left.
 */
export async function checkScanFindings(
  client: ECRClient,
  repository: { name: string; registryId?: string },
  digests: string[],
  threshold: Severity,
  options: {
    clock: Clock;
    logger: Logger;
    signal?: AbortSignal;
    timeoutMs: number;
    pollMs?: number;
    retryBudget?: RetryBudget;
    /** The longest the log stays quiet while the scan runs (default 30 s). */
    progressIntervalMs?: number;
  },
): Promise<ScanCheck> {
  const deadline = new Deadline(options.clock, options.timeoutMs);
  const awaited = { what: '' };
  const heartbeat = new Heartbeat(options, () => ({
    what: awaited.what,
    startedAt: deadline.startedAt,
    deadline: deadline.at,
  }));
  const watch = { ...options, logger: heartbeat.logger, heartbeat, awaited };
  const wait = async (): Promise<ScanCheck> => {
    let counts: SeverityCounts = {};
    for (const digest of digests) counts = addCounts(counts, await scanOf(client, repository, digest, deadline, watch));
    return { counts, blocking: findingsAtOrAbove(counts, threshold) };
  };
  return options.retryBudget ? options.retryBudget.within(deadline, wait) : wait();
}

/** The finding counts of one image, once its scan is complete. */
async function scanOf(
  client: ECRClient,
  repository: { name: string; registryId?: string },
  digest: string,
  deadline: Deadline,
  options: {
    logger: Logger;
    signal?: AbortSignal;
    timeoutMs: number;
    pollMs?: number;
    heartbeat: Heartbeat;
    /** What the heartbeat says is awaited, kept up to date here. */
    awaited: { what: string };
  },
): Promise<SeverityCounts> {
  let lastStatus = '';
  for (;;) {
    let status: string | undefined;
    let found: SeverityCounts | undefined;
    try {
      const answer = await client.send(
        new DescribeImageScanFindingsCommand({
          repositoryName: repository.name,
          ...(repository.registryId ? { registryId: repository.registryId } : {}),
          imageId: { imageDigest: digest },
        }),
        { abortSignal: options.signal },
      );
      status = answer.imageScanStatus?.status;
      found = answer.imageScanFindings?.findingSeverityCounts as SeverityCounts | undefined;
      if (status === 'FAILED') {
        throw new UserError(
          `The ECR scan of ${digest} failed (${answer.imageScanStatus?.description ?? 'no reason given'}), so fail-on-severity cannot be checked.`,
          { title: 'Image scan' },
        );
      }
    } catch (error) {
      if (error instanceof UserError) throw error;
      if (!isAwsError(error, 'ScanNotFoundException')) {
        throw new UserError(`Could not read the scan findings of ${digest} (${describeAwsError(error)}).`, {
          title: 'Image scan',
          cause: error,
        });
      }
      status = 'NOT_STARTED';
    }
    if (status === 'COMPLETE' || status === 'ACTIVE') {
      options.logger.info(`Scan of ${digest}: ${formatCounts(found ?? {})}.`);
      return found ?? {};
    }
    if (status !== lastStatus) {
      options.awaited.what = `Scan of ${digest}: ${status?.toLowerCase().replace(/_/g, ' ') ?? 'pending'}`;
      options.logger.info(`${options.awaited.what}…`);
      lastStatus = status ?? '';
    }
    if (deadline.passed()) {
      throw new UserError(
        `The ECR scan of ${digest} did not finish in time: still ${status ?? 'unknown'} after ${deadline.elapsedText()} (the limit is ${formatDuration(options.timeoutMs)}). Turn on scan-on-push for the repository, or raise scan-timeout.`,
        { title: 'Image scan' },
      );
    }
    // Never sleep past the deadline: the last look comes right at it.
    await options.heartbeat.sleep(sleepWithin(options.pollMs ?? 5000, deadline.left()), options.signal);
  }
}
