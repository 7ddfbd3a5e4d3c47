/**
 * `images` (`container=image`), `environment` and `secrets` lines apply to every service that has the container, so a container is
 * only wrong when no service has it: a typo, or a service missing from `services`. Checked across all the services
 * of a deploy.
 */
import type { TaskDefinitionInput } from './render.js';

export function containerNames(definition: TaskDefinitionInput): string[] {
  return (definition.containerDefinitions ?? []).map((container) => container.name);
}

/**
 * One problem per container named in `input` (`images`, `environment`, `secrets`) that none of the rendered definitions has,
 * naming what each service has.
 */
export function unknownContainers(
  input: string,
  containers: Iterable<string>,
  containersByService: ReadonlyMap<string, string[]>,
): string[] {
  const services = [...containersByService];
  const has = services.map(([service, names]) => `${service} has ${names.map((n) => `"${n}"`).join(', ')}`);
  return [...containers]
    .filter((container) => !services.some(([, names]) => names.includes(container)))
    .map((container) => `container "${container}" (in ${input}) is in no service's task definition: ${has.join('; ')}`);
}
