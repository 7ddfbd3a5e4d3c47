// What a publish may be asked beyond names: the scan threshold, the chunk size of archive uploads and how long to
// wait for a scan. The build-push-ecr action and the release config take the same values. Light on purpose.
import type { Bounds } from '@ecs-ship/action-kit';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'] as const;
export type Severity = (typeof SEVERITIES)[number];

const MIB = 1024 * 1024;
/**
 * Blobs larger than the chunk size go up in chunks of it, each held in memory while it is sent. ECR refuses upload
 * parts smaller than 5 MiB (except the last).
 */
export const CHUNK_SIZE: Bounds = { min: 5 * MIB, max: 1024 * MIB };
export const DEFAULT_CHUNK_SIZE = 16 * MIB;

/** How long to wait for the scan findings (milliseconds). */
export const SCAN_TIMEOUT: Bounds = { min: 1000, max: 3 * 3_600_000 };
export const DEFAULT_SCAN_TIMEOUT_MS = 10 * 60_000;

/** How the image comes to be: built with buildx, pushed from an OCI archive, or promoted by manifest. */
export const PUBLISH_MODES = ['build', 'push-archive', 'promote'] as const;
