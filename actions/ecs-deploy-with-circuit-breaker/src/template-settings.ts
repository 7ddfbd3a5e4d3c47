// `task-definition`: which template file each service is rendered from.
import { splitList, type InputReader } from '@ecs-ship/action-kit';
import { readTaskDefinitionInput, type TemplateCheck } from '@ecs-ship/ecs/inputs';
import { SERVICE } from '@ecs-ship/ecs/rules';

/** A template as read: the file it came from, and its task definition. */
export type TemplateFile = { path: string; definition: Record<string, unknown> };

/**
 * `task-definition`: `service=path` lines, one template per service (a service without a line renders from its
 * current definition). A bare path is a template for the only service; for several services it is refused, since
 * every service would then be rendered from one service's definition.
 */
export function readTemplates(
  inputs: InputReader,
  services: string[],
  workspace: string,
  check: TemplateCheck,
): Map<string, TemplateFile> {
  const templates = new Map<string, TemplateFile>();
  const given = splitList(inputs.raw('task-definition'), 'lines');
  if (given.length === 0) return templates;
  if (!given.some((line) => line.includes('='))) {
    const path = given[0]!;
    if (given.length > 1) {
      inputs.fail(
        'task-definition',
        `${given.length} paths are given without the services they belong to`,
        `Write one service=path line per service, for example "${services[0] ?? 'web'}=${path}"`,
      );
    } else if (services.length > 1) {
      inputs.fail(
        'task-definition',
        `one template ("${path}") is given for ${services.length} services (${services.join(', ')}), so every service would be rendered from it`,
        `Give one template per service as service=path lines, for example "${services[0]}=${path}"`,
      );
    } else {
      const template = readTaskDefinitionInput(inputs, 'task-definition', path, workspace, check);
      if (template && services[0]) templates.set(services[0], template);
    }
    return templates;
  }
  for (const [service, path] of inputs.map('task-definition', { keyRule: SERVICE })) {
    if (!services.includes(service)) {
      inputs.fail(
        'task-definition',
        `"${service}" is not one of the services being deployed`,
        'Name a service from "services"',
      );
      continue;
    }
    const template = readTaskDefinitionInput(inputs, 'task-definition', path, workspace, check);
    if (template) templates.set(service, template);
  }
  return templates;
}
