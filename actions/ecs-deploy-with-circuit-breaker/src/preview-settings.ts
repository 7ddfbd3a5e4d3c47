/**
 * The preview inputs: `create-from` (a service that does not exist yet is created from this one), `preview-host`
 * (its own host on the template's load balancer) and `mode: delete` (previews removed). Checked with the other
 * inputs, before any call.
 */
import { problemWith, type InputReader } from '@ecs-ship/action-kit';
import { NEW_SERVICE_NAME, PREVIEW_HOST, SERVICE } from '@ecs-ship/ecs/rules';

export interface PreviewInputs {
  /** The template service's name. */
  createFrom: string;
  host?: string;
}

type Mode = 'deploy' | 'plan' | 'rollback' | 'delete';

/**
 * `create-from` and `preview-host`; undefined when no preview is created. `renders`: images, a template, environment
 * or secrets are given, which a delete has no use for.
 */
export function readPreview(
  inputs: InputReader,
  mode: Mode,
  services: string[],
  renders: boolean,
  desiredCount: number | undefined,
): PreviewInputs | undefined {
  if (mode === 'delete' && (renders || desiredCount !== undefined)) {
    inputs.fail(
      'mode',
      'a delete removes preview services and takes no images, template, environment, secrets or desired count',
      'Remove those inputs from the delete step, or use "mode: deploy"',
    );
  }
  const given = inputs.string('create-from', { rule: SERVICE });
  const host = inputs.string('preview-host', { rule: PREVIEW_HOST });
  if (given === undefined) {
    if (host !== undefined) {
      inputs.fail('preview-host', 'it needs "create-from"', 'Set "create-from" to the service the preview copies');
    }
    if (mode === 'delete') namesOnly(inputs, services, 'mode: delete removes services by name');
    return undefined;
  }
  // DescribeServices names a service by its last ARN segment; the preview is found by that name.
  const createFrom = given.split('/').at(-1)!;
  if (mode !== 'deploy') {
    inputs.fail(
      'create-from',
      `it only applies when "mode" is deploy (it is ${mode})`,
      'Set "mode: deploy", or remove "create-from"',
    );
  }
  if (services.length !== 1) {
    inputs.fail(
      'services',
      `"create-from" creates one service, and ${services.length} are listed`,
      'List only the preview service, for example shop-pr-42',
    );
  }
  namesOnly(inputs, services, 'a service to be created is named, not given by ARN');
  if (services[0] === createFrom) {
    inputs.fail(
      'create-from',
      `it names the service being deployed ("${createFrom}")`,
      'Name the template service the preview copies',
    );
  }
  return { createFrom, host: host?.toLowerCase() };
}

/** Each service must be a plain name (the preview tag carries names). */
function namesOnly(inputs: InputReader, services: string[], why: string): void {
  for (const service of services) {
    const problem = problemWith(NEW_SERVICE_NAME, service);
    if (problem) inputs.fail('services', `${problem} (${why})`, NEW_SERVICE_NAME.fix);
  }
}
