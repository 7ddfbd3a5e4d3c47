/**
 * Service settings the deploy applies with its UpdateService, under the input names the official ECS deploy action
 * uses, so that a workflow switching over keeps its lines: ECS managed tags, tag propagation to tasks, and the
 * service-managed EBS volume. An input left empty leaves the service's own setting as it is.
 *
 * The input check reads them with light code: the volume's JSON is parsed here, and checked against the shape ECS
 * takes (ebs-volume.ts, with zod) when the step runs, before any AWS call, so that refusing other inputs stays fast.
 */
import type { InputReader } from '@ecs-ship/action-kit';
import type { ManagedEbsVolume } from './ebs-volume.js';
import { PROPAGATE_TAGS, VOLUME_NAME } from './rules.js';

export type PropagateTags = (typeof PROPAGATE_TAGS)[number];

export interface ServiceSettings {
  enableECSManagedTags?: boolean;
  propagateTags?: PropagateTags;
  /** The task definition volume (configuredAtLaunch) ECS creates an EBS volume for, per task. */
  ebsVolume?: { name: string; managedEBSVolume: ManagedEbsVolume };
}

/** The settings as the input check reads them: the EBS volume is a JSON object not yet checked against its shape. */
export type ServiceSettingsInputs = Omit<ServiceSettings, 'ebsVolume'> & {
  ebsVolume?: { name: string; configuration: Record<string, unknown> };
};

/** The fix for a volume configuration that is not what ECS takes. */
export const EBS_VOLUME_FIX =
  'Give a ServiceManagedEBSVolumeConfiguration object, for example {"roleArn": "arn:aws:iam::123456789012:role/ecsInfrastructureRole", "sizeInGiB": 20}';

/** `enable-ecs-managed-tags`, `propagate-tags`, `service-managed-ebs-volume-name` and `service-managed-ebs-volume`. */
export function readServiceSettings(inputs: InputReader): ServiceSettingsInputs {
  const enableECSManagedTags = inputs.boolean('enable-ecs-managed-tags');
  const propagateTags = inputs.enumeration('propagate-tags', PROPAGATE_TAGS);
  const name = inputs.string('service-managed-ebs-volume-name', { rule: VOLUME_NAME });
  const configuration = inputs.json('service-managed-ebs-volume', (value) =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? { value: value as Record<string, unknown> }
      : { problem: 'it is not a JSON object', fix: EBS_VOLUME_FIX },
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
    ebsVolume: name !== undefined && configuration ? { name, configuration } : undefined,
  };
}
