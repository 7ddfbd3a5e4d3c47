// The `ecr` section of a scenario file.
import { z } from 'zod';
import { SEVERITIES } from './state.js';

const scanSchema = z
  .object({
    /** Severity counts the scan reports, e.g. `{ CRITICAL: 1, HIGH: 4 }`. */
    findings: z.partialRecord(z.enum(SEVERITIES as [string, ...string[]]), z.number().int().min(0)).default({}),
    /** Scenario seconds from push to a finished scan. */
    seconds: z.number().min(0).default(0),
    /** The scan ends in FAILED instead of COMPLETE. */
    fails: z.boolean().default(false),
  })
  .strict();

const imageSchema = z
  .object({
    tags: z.array(z.string().min(1)).default([]),
    /** The exact manifest (text, or an object written out as JSON); a small OCI manifest is made up when absent. */
    manifest: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
    mediaType: z.string().optional(),
    /** Recorded as the `org.opencontainers.image.revision` annotation of a made-up manifest. */
    revision: z.string().optional(),
    scan: scanSchema.optional(),
  })
  .strict();

const repositorySchema = z
  .object({
    name: z.string(),
    region: z.string().optional(),
    imageTagMutability: z.enum(['MUTABLE', 'IMMUTABLE']).default('MUTABLE'),
    scanOnPush: z.boolean().default(false),
    encryption: z.enum(['AES256', 'KMS']).default('AES256'),
    kmsKey: z.string().optional(),
    /** How the scan of an image added later (PutImage) turns out, when scanOnPush is on. */
    pushScan: scanSchema.optional(),
    images: z.array(imageSchema).default([]),
  })
  .strict();

export const ecrSectionSchema = z
  .object({
    /** The registry `GetAuthorizationToken` names as `proxyEndpoint` (e.g. a local registry `http://127.0.0.1:5000`). */
    registry: z.url().optional(),
    /** The registry password inside the token; a random one when absent. */
    password: z.string().min(8).optional(),
    repositories: z.array(repositorySchema).default([]),
  })
  .strict()
  .default({ repositories: [] });

export type EcrSection = z.infer<typeof ecrSectionSchema>;
export type ScanSection = z.infer<typeof scanSchema>;
