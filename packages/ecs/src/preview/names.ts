/**
 * What marks a preview environment as the suite's: the tag on the service, its target group and its listener rule,
 * and the target group's name derived from the service's.
 */
import { createHash } from 'node:crypto';

/** The tag every resource of a preview carries, valued with the preview service's name. */
export const PREVIEW_TAG = 'ecs-ship:preview';

/** The tag of a preview named `service`. */
export function previewTag(service: string): { key: string; value: string } {
  return { key: PREVIEW_TAG, value: service };
}

/** Whether tags (ECS's `key`/`value` or ELB's `Key`/`Value`) mark the preview named `service`. */
export function marksPreview(
  tags: readonly { key?: string; value?: string; Key?: string; Value?: string }[] | undefined,
  service: string,
): boolean {
  return (tags ?? []).some((tag) => (tag.key ?? tag.Key) === PREVIEW_TAG && (tag.value ?? tag.Value) === service);
}

/**
 * The preview's target group name. ELB allows 32 letters, digits and hyphens, not starting or ending with a hyphen,
 * and a service name allows 255 characters and underscores: a name that fits is kept (underscores become hyphens),
 * a longer one is cut and ends with a hash of the whole name, so that two previews never share a target group.
 */
export function previewTargetGroupName(service: string): string {
  const cleaned = service.replace(/_/g, '-').replace(/^-+|-+$/g, '');
  if (cleaned.length > 0 && cleaned.length <= 32 && cleaned === service) return cleaned;
  const hash = createHash('sha256').update(service).digest('hex').slice(0, 8);
  const head = cleaned.slice(0, 32 - hash.length - 1).replace(/-+$/, '');
  return head ? `${head}-${hash}` : `preview-${hash}`;
}
