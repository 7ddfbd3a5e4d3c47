/**
 * Service settings the deploy applies with its UpdateService, under the input names the official ECS deploy action
 * uses, so that a workflow switching over keeps its lines: ECS managed tags, tag propagation to tasks, and the
 * service-managed EBS volume. An input left empty leaves the service's own setting as it is.
 */
import type { InputReader } from '@ecs-ship/action-kit';
import { zodValidator } from '@ecs-ship/action-kit/zod';
import * as z from 'zod';
import { PROPAGATE_TAGS, VOLUME_NAME } from './rules.js';

export type PropagateTags = (typeof PROPAGATE_TAGS)[number];

/** ServiceManagedEBSVolumeConfiguration as ECS takes it; unknown keys are refused so that a typo is not dropped. */
const EBS_VOLUME = z
  .strictObject({
    roleArn: z
      .string({ error: 'roleArn is required (the ECS infrastructure role that manages the volume)' })
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, { error: 'roleArn is not an IAM role ARN' }),
    sizeInGiB: z.number().int().min(1).max(16_384).optional(),
    snapshotId: z
      .string()
      .regex(/^snap-[0-9a-f]{8,17}$/, { error: 'snapshotId is not an EBS snapshot ID (snap-...)' })
      .optional(),
    volumeInitializationRate: z.number().int().positive().optional(),
    volumeType: z.enum(['gp2', 'gp3', 'io1', 'io2', 'st1', 'sc1', 'standard']).optional(),
    iops: z.number().int().positive().optional(),
    throughput: z.number().int().min(1).max(1000).optional(),
    encrypted: z.boolean().optional(),
    kmsKeyId: z.string().min(1).optional(),
    filesystemType: z.enum(['ext3', 'ext4', 'xfs', 'ntfs']).optional(),
    tagSpecifications: z
      .array(
        z.strictObject({
          resourceType: z.literal('volume'),
          tags: z.array(z.strictObject({ key: z.string().min(1), value: z.string() })).optional(),
          propagateTags: z.enum(PROPAGATE_TAGS).optional(),
        }),
      )
      .optional(),
  })
  .refine((v) => v.sizeInGiB !== undefined || v.snapshotId !== undefined, {
    error: 'it gives neither sizeInGiB nor snapshotId (ECS needs one of them)',
  })
  .refine((v) => v.volumeInitializationRate === undefined || v.snapshotId !== undefined, {
    error: 'volumeInitializationRate only applies to a volume created from snapshotId',
  });

export type ManagedEbsVolume = z.infer<typeof EBS_VOLUME>;

export interface ServiceSettings {
  enableECSManagedTags?: boolean;
  propagateTags?: PropagateTags;
  /** The task definition volume (configuredAtLaunch) ECS creates an EBS volume for, per task. */
  ebsVolume?: { name: string; managedEBSVolume: ManagedEbsVolume };
}

/** `enable-ecs-managed-tags`, `propagate-tags`, `service-managed-ebs-volume-name` and `service-managed-ebs-volume`. */
export function readServiceSettings(inputs: InputReader): ServiceSettings {
  const enableECSManagedTags = inputs.boolean('enable-ecs-managed-tags');
  const propagateTags = inputs.enumeration('propagate-tags', PROPAGATE_TAGS);
  const name = inputs.string('service-managed-ebs-volume-name', { rule: VOLUME_NAME });
  const managedEBSVolume = inputs.json(
    'service-managed-ebs-volume',
    zodValidator(
      EBS_VOLUME,
      'Give a ServiceManagedEBSVolumeConfiguration object, for example {"roleArn": "arn:aws:iam::123456789012:role/ecsInfrastructureRole", "sizeInGiB": 20}',
    ),
  );
  if (name !== undefined && inputs.raw('service-managed-ebs-volume') === '') {
    inputs.fail(
      'service-managed-ebs-volume-name',
      'it is set but "service-managed-ebs-volume" is not',
      'Set "service-managed-ebs-volume" to the volume\'s JSON configuration too',
    );
  }
  if (
    name === undefined &&
    inputs.raw('service-managed-ebs-volume') !== '' &&
    inputs.raw('service-managed-ebs-volume-name') === ''
  ) {
    inputs.fail(
      'service-managed-ebs-volume',
      'it is set but "service-managed-ebs-volume-name" is not',
      'Set "service-managed-ebs-volume-name" to the task definition volume marked configuredAtLaunch',
    );
  }
  return {
    enableECSManagedTags,
    propagateTags,
    ebsVolume: name !== undefined && managedEBSVolume ? { name, managedEBSVolume } : undefined,
  };
}
