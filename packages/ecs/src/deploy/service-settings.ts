/**
 * The service settings of a deploy (managed tags, tag propagation, the service-managed EBS volume) as ECS takes
 * them in UpdateService, how they differ from what the service has, and the check that the EBS volume fits the task
 * definition — made before anything changes, so that ECS's refusal does not come after the registration.
 */
import type { Service, UpdateServiceRequest } from '@aws-sdk/client-ecs';
import type { ServiceSettings } from '../service-settings.js';
import { diffTaskDefinitions, type DefinitionChange } from '../taskdef/compare.js';

type SettingsRequest = Pick<UpdateServiceRequest, 'enableECSManagedTags' | 'propagateTags' | 'volumeConfigurations'>;

/** The UpdateService members for the settings given; unset ones are left out so that ECS keeps the service's own. */
export function settingsRequest(settings: ServiceSettings | undefined): SettingsRequest {
  const volume = settings?.ebsVolume;
  return {
    enableECSManagedTags: settings?.enableECSManagedTags,
    propagateTags: settings?.propagateTags,
    volumeConfigurations: volume ? [{ name: volume.name, managedEBSVolume: volume.managedEBSVolume }] : undefined,
  };
}

/**
 * What the settings change on `service`, as plan lines (`service.propagateTags`), and whether the change starts a
 * deployment: ECS rolls out a new volume configuration, while tags only reach tasks started afterwards.
 */
export function settingsChanges(
  service: Service,
  settings: ServiceSettings | undefined,
): { changes: DefinitionChange[]; startsDeployment: boolean } {
  const wanted = settingsRequest(settings);
  const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
  const current: SettingsRequest = {
    enableECSManagedTags: service.enableECSManagedTags ?? false,
    propagateTags: service.propagateTags ?? 'NONE',
    volumeConfigurations: primary?.volumeConfigurations,
  };
  const given = (Object.keys(wanted) as (keyof SettingsRequest)[]).filter((key) => wanted[key] !== undefined);
  const pick = (from: SettingsRequest) => Object.fromEntries(given.map((key) => [key, from[key]]));
  const changes = diffTaskDefinitions(pick(current), pick(wanted)).map((c) => ({ ...c, path: `service.${c.path}` }));
  return {
    changes,
    startsDeployment: changes.some((c) => c.path.startsWith('service.volumeConfigurations')),
  };
}

/** Settings changes on one line: `propagateTags NONE → SERVICE, enableECSManagedTags false → true`. */
export function settingsLine(changes: DefinitionChange[]): string {
  return changes
    .map((c) => `${c.path.replace(/^service\./, '')} ${c.before ?? '(unset)'} → ${c.after ?? '(unset)'}`)
    .join(', ');
}

/** Why the EBS volume setting does not fit `definition`, naming the input; undefined when it fits or is unset. */
export function volumeProblem(
  definition: Record<string, unknown>,
  settings: ServiceSettings | undefined,
): string | undefined {
  const name = settings?.ebsVolume?.name;
  if (name === undefined) return undefined;
  const volumes = Array.isArray(definition.volumes) ? (definition.volumes as Record<string, unknown>[]) : [];
  const volume = volumes.find((v) => v.name === name);
  if (volume?.configuredAtLaunch === true) return undefined;
  return volume
    ? `volume "${name}" of the task definition is not marked "configuredAtLaunch": true, so ECS cannot attach a service-managed EBS volume to it (service-managed-ebs-volume-name)`
    : `the task definition has no volume "${name}" (service-managed-ebs-volume-name); add {"name": "${name}", "configuredAtLaunch": true} to its volumes`;
}
