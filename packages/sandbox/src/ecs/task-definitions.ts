// ECS task definitions: the registry of one region (families, revisions, ARNs, tags, deregistration) and the
// RegisterTaskDefinition, DescribeTaskDefinition, DeregisterTaskDefinition and List* operations over it.
import type * as sdk from '@aws-sdk/client-ecs';
import { AwsError } from '../core/module.js';
import { requiredAttributes } from './attributes.js';
import { compatibilitiesOf } from './placement.js';
import { compact } from './render.js';
import type { EcsWorld } from './world.js';

/** What RegisterTaskDefinition takes, without its tags: the definition as registered. */
export type TaskDefinitionBody = Omit<sdk.RegisterTaskDefinitionRequest, 'tags'>;
export type ContainerDefinition = sdk.ContainerDefinition & { name: string; image: string };

export interface TaskDefinition {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  status: sdk.TaskDefinitionStatus;
  registeredAt: number;
  registeredBy: string;
  deregisteredAt?: number;
  /** The definition as registered (every field the caller gave, none of the read-only ones). */
  body: Omit<TaskDefinitionBody, 'containerDefinitions'> & { containerDefinitions: ContainerDefinition[] };
  tags: sdk.Tag[];
}

/** Fields ECS sets itself; RegisterTaskDefinition does not accept them. */
export const READ_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
] as const;

const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;

export class TaskDefinitionRegistry {
  private readonly families = new Map<string, TaskDefinition[]>();

  constructor(
    private readonly region: string,
    private readonly accountId: string,
    private readonly now: () => number,
  ) {}

  register(input: sdk.RegisterTaskDefinitionRequest): TaskDefinition {
    for (const field of READ_ONLY_FIELDS) {
      if (field in input) {
        throw new AwsError('ClientException', `${field} is a read-only field and cannot be registered.`);
      }
    }
    const { tags, ...body } = input;
    const family = body.family as unknown;
    if (typeof family !== 'string' || !FAMILY.test(family)) {
      throw new AwsError(
        'ClientException',
        'Family name must be 1-255 characters: letters (upper and lower case), numbers, hyphens and underscores.',
      );
    }
    const containers = body.containerDefinitions as unknown;
    if (!Array.isArray(containers) || containers.length === 0) {
      throw new AwsError('ClientException', 'Container list cannot be empty.');
    }
    const names = new Set<string>();
    for (const c of containers as sdk.ContainerDefinition[]) {
      if (typeof c.name !== 'string' || c.name === '') {
        throw new AwsError('ClientException', 'Container.name should not be null or empty.');
      }
      if (typeof c.image !== 'string' || c.image === '') {
        throw new AwsError('ClientException', 'Container.image should not be null or empty.');
      }
      if (names.has(c.name)) throw new AwsError('ClientException', 'Container names must be unique.');
      names.add(c.name);
    }
    if (!(containers as ContainerDefinition[]).some((c) => c.essential !== false)) {
      throw new AwsError('ClientException', 'At least one essential container is required.');
    }
    const requires = Array.isArray(body.requiresCompatibilities) ? body.requiresCompatibilities : [];
    if (requires.includes('FARGATE')) {
      if (body.networkMode !== 'awsvpc') {
        throw new AwsError('ClientException', 'Fargate only supports network mode ‘awsvpc’.');
      }
      if (body.cpu === undefined || body.memory === undefined) {
        throw new AwsError('ClientException', "Fargate requires that 'cpu' be defined at the task level.");
      }
    }
    const revisions = this.families.get(family) ?? [];
    const revision = (revisions.at(-1)?.revision ?? 0) + 1;
    const definition: TaskDefinition = {
      taskDefinitionArn: `arn:aws:ecs:${this.region}:${this.accountId}:task-definition/${family}:${revision}`,
      family,
      revision,
      status: 'ACTIVE',
      registeredAt: this.now(),
      registeredBy: `arn:aws:iam::${this.accountId}:user/sandbox`,
      body: structuredClone(body) as TaskDefinition['body'],
      tags: Array.isArray(tags) ? structuredClone(tags) : [],
    };
    revisions.push(definition);
    this.families.set(family, revisions);
    return definition;
  }

  /** family (latest ACTIVE revision), family:revision, or an ARN; undefined when unknown. */
  find(reference: string): TaskDefinition | undefined {
    const match = /^(?:arn:aws[\w-]*:ecs:[^:]+:\d+:task-definition\/)?([A-Za-z0-9_-]+)(?::(\d+))?$/.exec(reference);
    if (!match) return undefined;
    const revisions = this.families.get(match[1]!);
    if (!revisions) return undefined;
    if (match[2] === undefined) return revisions.filter((d) => d.status === 'ACTIVE').at(-1);
    return revisions.find((d) => d.revision === Number(match[2]));
  }

  /** Like find, but raises the error ECS gives for an unknown definition. */
  get(reference: string | undefined): TaskDefinition {
    const found = reference ? this.find(reference) : undefined;
    if (!found) throw new AwsError('ClientException', 'Unable to describe task definition.');
    return found;
  }

  deregister(reference: string | undefined): TaskDefinition {
    if (!reference || !/:\d+$/.test(reference)) {
      throw new AwsError('ClientException', 'Revision must be specified: family:revision or the full ARN.');
    }
    const definition = this.find(reference);
    if (!definition) throw new AwsError('ClientException', 'The specified task definition does not exist.');
    if (definition.status === 'ACTIVE') {
      definition.status = 'INACTIVE';
      definition.deregisteredAt = this.now();
    }
    return definition;
  }

  list(familyPrefix?: string, status: string = 'ACTIVE', sort: string = 'ASC'): string[] {
    const arns = [...this.families.entries()]
      .filter(([family]) => familyPrefix === undefined || family === familyPrefix)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .flatMap(([, revisions]) => revisions.filter((d) => d.status === status).map((d) => d.taskDefinitionArn));
    return sort === 'DESC' ? arns.reverse() : arns;
  }

  listFamilies(familyPrefix?: string): string[] {
    return [...this.families.keys()].filter((f) => f.startsWith(familyPrefix ?? '')).sort();
  }
}

/** The operations on the registry of the region a call is signed for. */
export class TaskDefinitions {
  constructor(private readonly world: EcsWorld) {}

  private registry(region: string): TaskDefinitionRegistry {
    return this.world.region(region).registry;
  }

  register(region: string, input: sdk.RegisterTaskDefinitionRequest): sdk.RegisterTaskDefinitionResponse {
    const definition = this.registry(region).register(input);
    return { taskDefinition: renderTaskDefinition(definition), tags: definition.tags };
  }

  describe(region: string, input: sdk.DescribeTaskDefinitionRequest): sdk.DescribeTaskDefinitionResponse {
    const definition = this.registry(region).get(input.taskDefinition);
    return compact({
      taskDefinition: renderTaskDefinition(definition),
      tags: input.include?.includes('TAGS') ? definition.tags : undefined,
    });
  }

  deregister(region: string, input: sdk.DeregisterTaskDefinitionRequest): sdk.DeregisterTaskDefinitionResponse {
    return { taskDefinition: renderTaskDefinition(this.registry(region).deregister(input.taskDefinition)) };
  }

  list(region: string, input: sdk.ListTaskDefinitionsRequest): sdk.ListTaskDefinitionsResponse {
    return { taskDefinitionArns: this.registry(region).list(input.familyPrefix, input.status, input.sort) };
  }

  listFamilies(region: string, input: sdk.ListTaskDefinitionFamiliesRequest): sdk.ListTaskDefinitionFamiliesResponse {
    return { families: this.registry(region).listFamilies(input.familyPrefix) };
  }
}

/** The TaskDefinition shape ECS answers with. */
export function renderTaskDefinition(d: TaskDefinition): sdk.TaskDefinition {
  const body = d.body;
  return {
    ...body,
    taskDefinitionArn: d.taskDefinitionArn,
    family: d.family,
    revision: d.revision,
    status: d.status,
    containerDefinitions: body.containerDefinitions.map((c) => ({
      essential: true,
      environment: [],
      mountPoints: [],
      volumesFrom: [],
      portMappings: [],
      ...c,
    })),
    volumes: body.volumes ?? [],
    placementConstraints: body.placementConstraints ?? [],
    requiresAttributes: requiredAttributes(body),
    compatibilities: compatibilitiesOf(body),
    registeredAt: new Date(d.registeredAt),
    registeredBy: d.registeredBy,
    ...(d.deregisteredAt !== undefined ? { deregisteredAt: new Date(d.deregisteredAt) } : {}),
  };
}
