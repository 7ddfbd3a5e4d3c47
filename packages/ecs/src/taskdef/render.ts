/**
 * Turns a task-definition template (a file, or the service's current definition as DescribeTaskDefinition returns
 * it) into a RegisterTaskDefinition request: read-only fields dropped, tags kept, images and environment applied.
 */
import { READ_ONLY_MEMBERS } from './shapes.js';

/** Fields ECS adds to a registered definition and refuses on registration (from AWS's model: ./shapes.ts). */
export const READ_ONLY_FIELDS = READ_ONLY_MEMBERS;

export interface Tag {
  key: string;
  value: string;
}

/** The body of a RegisterTaskDefinition call. Kept loose: ECS adds fields faster than we should track them. */
export type TaskDefinitionInput = Record<string, unknown> & {
  family: string;
  containerDefinitions: ContainerDefinition[];
  tags?: Tag[];
};

export type ContainerDefinition = Record<string, unknown> & {
  name: string;
  image?: string;
  essential?: boolean;
  environment?: { name: string; value: string }[];
};

export interface RenderOptions {
  /** Image per container name. */
  images?: ReadonlyMap<string, string>;
  /** An image for the one essential container (the `image` input without `container`). */
  imageForEssentialContainer?: string;
  /** Environment variables to merge, per container name. */
  environment?: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Tags that came separately (DescribeTaskDefinition's `tags`), used when the template has none. */
  tags?: Tag[];
}

export interface Rendered {
  definition: TaskDefinitionInput;
  /** Problems a user must fix (unknown containers, ambiguous `image`); nothing is registered while there are any. */
  errors: string[];
}

/**
 * Accepts a bare definition, or the `{ taskDefinition, tags }` shape that `aws ecs describe-task-definition`
 * prints, so that users can save that output as their template; the tags come from either.
 */
export function unwrapTaskDefinition(template: Record<string, unknown>): {
  definition: Record<string, unknown>;
  tags?: Tag[];
} {
  const inner = template.taskDefinition;
  const wrapped = inner && typeof inner === 'object' && !Array.isArray(inner);
  const definition = wrapped ? (inner as Record<string, unknown>) : template;
  const tags = Array.isArray(template.tags) ? (template.tags as Tag[]) : undefined;
  return { definition, tags };
}

export function renderTaskDefinition(template: Record<string, unknown>, options: RenderOptions = {}): Rendered {
  const errors: string[] = [];
  const { definition: source, tags: wrappedTags } = unwrapTaskDefinition(template);
  const definition = structuredClone(source) as Record<string, unknown>;
  for (const field of READ_ONLY_FIELDS) delete definition[field];

  const tags = (definition.tags as Tag[] | undefined) ?? wrappedTags ?? options.tags;
  if (tags && tags.length > 0) definition.tags = tags.map((tag) => ({ key: tag.key, value: tag.value }));
  else delete definition.tags;

  if (typeof definition.family !== 'string' || definition.family === '') {
    errors.push('the task definition has no "family"');
  }
  const containers = Array.isArray(definition.containerDefinitions)
    ? (definition.containerDefinitions as ContainerDefinition[])
    : [];
  if (containers.length === 0) errors.push('the task definition has no containerDefinitions');
  const byName = new Map(containers.map((container) => [container.name, container]));
  const known = () => [...byName.keys()].map((name) => `"${name}"`).join(', ');

  for (const [name, image] of options.images ?? []) {
    const container = byName.get(name);
    if (container) container.image = image;
    else
      errors.push(
        `container "${name}" (in images) is not in task definition "${definition.family}"; it has ${known()}`,
      );
  }

  if (options.imageForEssentialContainer !== undefined) {
    // ECS treats a container without `essential` as essential.
    const essential = containers.filter((container) => container.essential !== false);
    if (essential.length === 1) essential[0]!.image = options.imageForEssentialContainer;
    else {
      errors.push(
        `task definition "${definition.family}" has ${essential.length} essential containers (${known()}), so "image" needs "container" to say which one`,
      );
    }
  }

  for (const [name, variables] of options.environment ?? []) {
    const container = byName.get(name);
    if (!container) {
      errors.push(
        `container "${name}" (in environment) is not in task definition "${definition.family}"; it has ${known()}`,
      );
      continue;
    }
    const merged = new Map((container.environment ?? []).map((entry) => [entry.name, entry.value]));
    for (const [key, value] of variables) merged.set(key, value);
    container.environment = [...merged].map(([key, value]) => ({ name: key, value }));
  }

  return { definition: definition as TaskDefinitionInput, errors };
}

/** The images a definition runs, `container=image`, for reports. */
export function imagesOf(definition: { containerDefinitions?: unknown }): Record<string, string> {
  const result: Record<string, string> = {};
  for (const container of (definition.containerDefinitions as ContainerDefinition[] | undefined) ?? []) {
    if (container.image) result[container.name] = container.image;
  }
  return result;
}
