// The `ecr` section of a scenario file.
import * as z from 'zod';
import { SEVERITIES } from './state.js';

const scanSchema = z
  .strictObject({
    findings: z
      .partialRecord(z.enum(SEVERITIES as [string, ...string[]]), z.number().int().min(0))
      .default({})
      .describe('Severity counts the scan reports, e.g. { CRITICAL: 1, HIGH: 4 }'),
    seconds: z.number().min(0).default(0).describe('Scenario seconds from push to a finished scan'),
    fails: z.boolean().default(false).describe('The scan ends in FAILED instead of COMPLETE'),
  })
  .describe('How an image scan turns out');

const imageSchema = z.strictObject({
  tags: z.array(z.string().min(1)).default([]).describe('Tags on this image'),
  manifest: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .optional()
    .describe(
      'The exact manifest (text, or an object written out as JSON); a small OCI manifest is made up when absent',
    ),
  mediaType: z.string().optional().describe('Manifest media type, when the manifest does not carry one'),
  revision: z
    .string()
    .optional()
    .describe('Recorded as the org.opencontainers.image.revision annotation of a made-up manifest'),
  scan: scanSchema.optional().describe('The scan of this image (default: the repository pushScan when scanOnPush)'),
});

const repositorySchema = z.strictObject({
  name: z.string().describe('Repository name, e.g. shop/web'),
  region: z.string().optional().describe('Region of the repository (default: the scenario region)'),
  imageTagMutability: z.enum(['MUTABLE', 'IMMUTABLE']).default('MUTABLE'),
  scanOnPush: z.boolean().default(false),
  encryption: z.enum(['AES256', 'KMS']).default('AES256'),
  kmsKey: z.string().optional().describe('KMS key ARN with encryption KMS (default: the AWS managed key)'),
  pushScan: scanSchema
    .optional()
    .describe('How the scan of an image added later (PutImage) turns out, with scanOnPush'),
  images: z.array(imageSchema).default([]),
});

export const ecrSectionSchema = z
  .strictObject({
    registry: z
      .url()
      .optional()
      .describe(
        'The registry GetAuthorizationToken names as proxyEndpoint, and the host of repository URIs (e.g. a local registry http://127.0.0.1:5000); default https://<account>.dkr.ecr.<region>.amazonaws.com',
      ),
    password: z.string().min(8).optional().describe('The registry password inside the token; a random one when absent'),
    syncWithRegistry: z
      .boolean()
      .default(false)
      .describe(
        'Keep the API and the registry in step as ECR does: images pushed to the registry appear in the API, PutImage tags are written to the registry',
      ),
    repositories: z.array(repositorySchema).default([]),
  })
  .default({ repositories: [], syncWithRegistry: false })
  .describe('ECR: repositories, images by manifest digest, tags, scan findings and registry credentials');

export type EcrSection = z.infer<typeof ecrSectionSchema>;
export type ScanSection = z.infer<typeof scanSchema>;
