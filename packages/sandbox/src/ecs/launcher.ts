// How ECS starts a task in the sandbox: what each container runs (the scenario's behaviour for its image and
// command), where its awslogs output goes, and the environment its lifecycle reports to.
import type * as sdk from '@aws-sdk/client-ecs';
import { imageMatches } from './alarms.js';
import type { Cluster } from './clusters.js';
import type { Deployment } from './deployments.js';
import { taskId } from './ids.js';
import type { EcsSection, ImageSection } from './scenario.js';
import type { Service } from './service.js';
import { Task, type Behaviour, type ContainerPlan, type TaskDetails, type TaskEnvironment } from './task.js';
import type { ContainerDefinition, TaskDefinition } from './task-definitions.js';
import type { EcsWorld } from './world.js';

export class Launcher {
  private readonly sequenceCounters = new Map<string, number>();

  constructor(
    private readonly world: EcsWorld,
    private readonly section: EcsSection,
    /** The tags ECR holds for a digest of a repository (`<registry>/<name>`), so digest-pinned images find their
     *  scenario behaviour. */
    private readonly imageTags?: (repository: string, digest: string) => string[],
  ) {}

  /** A task of `cluster`, registered there; `start()` begins its lifecycle. */
  create(
    region: string,
    cluster: Cluster,
    definition: TaskDefinition,
    details: Omit<TaskDetails, 'clusterArn' | 'taskDefinitionArn'>,
    options: { service?: Service; commands?: ReadonlyMap<string, string> } = {},
  ): Task {
    const id = taskId();
    const task = new Task(
      id,
      `arn:aws:ecs:${region}:${this.world.accountId}:task/${cluster.name}/${id}`,
      this.plans(region, definition, id, options.commands),
      this.environment(region, options.service),
      { clusterArn: cluster.arn, taskDefinitionArn: definition.taskDefinitionArn, ...details },
    );
    cluster.tasks.set(id, task);
    return task;
  }

  /** A service task; `steady` ones (the scenario's starting point) are RUNNING and healthy at once. */
  launchServiceTask(region: string, service: Service, deployment: Deployment, steady: boolean): Task {
    const cluster = this.world.clusters.get(region, service.clusterName);
    const definition = deployment.taskDefinition;
    const { launchType, platformVersion, networkConfiguration } = deployment.placement;
    const task = this.create(
      region,
      cluster,
      definition,
      {
        group: `service:${service.name}`,
        startedBy: deployment.id,
        launchType,
        platformVersion: launchType === 'FARGATE' ? (platformVersion ?? '1.4.0') : undefined,
        cpu: definition.body.cpu,
        memory: definition.body.memory,
        overrides: { containerOverrides: [], inferenceAcceleratorOverrides: [] },
        networkConfiguration,
        tags: [
          ...(service.extra.enableECSManagedTags ? managedTags(cluster.name, service.name) : []),
          ...propagatedTags(service.extra.propagateTags, service.extra.tags, definition.tags),
        ],
        serviceName: service.name,
        deploymentId: deployment.id,
      },
      { service },
    );
    if (steady) task.startSteady();
    else this.world.clock.after(0, () => task.start());
    return task;
  }

  private environment(region: string, service: Service | undefined): TaskEnvironment {
    return {
      clock: this.world.clock,
      timings: this.section.timings,
      writeLogs: (logRegion, group, stream, lines) =>
        this.world.logs()?.append(logRegion || region, group, stream, lines),
      changed: (task) => {
        this.world.alarms.watch(task);
        service?.onTaskChanged(task);
      },
    };
  }

  /** What each container runs and where its awslogs output goes. A command override picks the image's behaviour for
   *  that command (`commands` in the scenario), so one image can serve and also run a migration. */
  private plans(
    region: string,
    definition: TaskDefinition,
    id: string,
    commands: ReadonlyMap<string, string> = new Map(),
  ): ContainerPlan[] {
    return definition.body.containerDefinitions.map((c) => {
      const options = c.logConfiguration?.logDriver === 'awslogs' ? (c.logConfiguration.options ?? {}) : undefined;
      const group = options?.['awslogs-group'];
      const prefix = options?.['awslogs-stream-prefix'];
      return {
        name: c.name,
        image: c.image,
        essential: c.essential !== false,
        behaviour: this.behaviour(c.image, commands.get(c.name) ?? commandOf(c)),
        logs:
          options && group
            ? { region: options['awslogs-region'] ?? region, group, stream: prefix ? `${prefix}/${c.name}/${id}` : id }
            : undefined,
      };
    });
  }

  /** The scenario's behaviour for an image (exact reference, or the part after the registry host; an image pinned by
   *  digest also matches the tags ECR holds for that digest), and for the command it runs when one is given. */
  behaviour(image: string, command?: string): Behaviour {
    const candidates = [image, ...this.taggedAliases(image)];
    const entry = Object.entries(this.section.images).find(([key]) => candidates.some((c) => imageMatches(c, key)));
    const key = entry?.[0] ?? '*';
    const imageSection: ImageSection = entry?.[1] ?? this.section.defaultImage;
    const forCommand = command !== undefined ? imageSection.commands[command] : undefined;
    const section = forCommand ? { ...forCommand, commands: {} } : imageSection;
    let outcome = section.behaviour ?? (section.duration !== undefined ? 'exits' : 'healthy');
    if (section.sequence) {
      const n = this.sequenceCounters.get(key) ?? 0;
      this.sequenceCounters.set(key, n + 1);
      const { sequence, then } = section;
      outcome = n < sequence.length || then === undefined ? sequence[n % sequence.length]! : then;
    }
    return {
      outcome,
      startDelay: section.startDelay,
      healthyAfter: section.healthyAfter,
      after: section.after,
      duration: section.duration,
      exitCode: section.exitCode ?? (outcome === 'crashes' ? 1 : 0),
      reason:
        section.reason ??
        `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${image}: not found`,
      straightToStopped: section.straightToStopped,
      lines: () => {
        const lines = [...section.logLines];
        for (let i = 1; i <= section.generatedLines; i++)
          lines.push(`generated line ${i} of ${section.generatedLines}`);
        return lines;
      },
    };
  }

  /** `repo:tag` for each tag ECR holds on the digest of `repo@sha256:...`; none for other references. */
  private taggedAliases(image: string): string[] {
    const at = image.indexOf('@sha256:');
    if (at < 0 || !this.imageTags) return [];
    const repository = image.slice(0, at);
    return this.imageTags(repository, image.slice(at + 1)).map((tag) => `${repository}:${tag}`);
  }
}

function commandOf(container: ContainerDefinition): string | undefined {
  return Array.isArray(container.command) ? container.command.join(' ') : undefined;
}

/** The tags ECS adds to a task when managed tags are on: its cluster and, for a service task, its service. */
export function managedTags(cluster: string, service?: string): sdk.Tag[] {
  return [
    { key: 'aws:ecs:clusterName', value: cluster },
    ...(service !== undefined ? [{ key: 'aws:ecs:serviceName', value: service }] : []),
  ];
}

/** The tags `propagateTags` copies onto a task: the service's or the task definition's. */
export function propagatedTags(propagate: string | undefined, service: sdk.Tag[], definition: sdk.Tag[]): sdk.Tag[] {
  if (propagate === 'SERVICE') return structuredClone(service);
  if (propagate === 'TASK_DEFINITION') return structuredClone(definition);
  return [];
}
