/**
 * The service-managed EBS volume's configuration checked against the shape ECS takes
 * (ServiceManagedEBSVolumeConfiguration), when the step runs and before any AWS call. It is kept out of the input
 * check (service-settings.ts) because zod is a fifth of the deploy's code at start: a step refused for another input
 * would load it for nothing.
 */
import { InputError } from '@ecs-ship/action-kit';
import { zodValidator } from '@ecs-ship/action-kit/zod';
import * as z from 'zod';
import { PROPAGATE_TAGS } from './rules.js';
import { EBS_VOLUME_FIX, type ServiceSettings, type ServiceSettingsInputs } from './service-settings.js';

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

const checkVolume = zodValidator(EBS_VOLUME, EBS_VOLUME_FIX);

/** The settings with the EBS volume checked; a volume ECS would refuse is the input's error. */
export function parseServiceSettings(given: ServiceSettingsInputs): ServiceSettings {
  const { ebsVolume, ...rest } = given;
  if (!ebsVolume) return rest;
  const checked = checkVolume(ebsVolume.configuration);
  if ('problem' in checked) throw new InputError('service-managed-ebs-volume', checked.problem, checked.fix);
  return { ...rest, ebsVolume: { name: ebsVolume.name, managedEBSVolume: checked.value } };
}
