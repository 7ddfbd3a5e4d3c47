// The services' own HTTP endpoints, as a load balancer would expose them: GET <sandbox>/apps/<cluster>/<service>/<path>
// is answered by one of the service's healthy RUNNING tasks in turn (so during a rollout old and new versions both
// answer, as they do behind a real load balancer), or 503 when none is healthy. Each answer shows the version of the
// image that task runs, from the image's `org.opencontainers.image.revision` annotation in ECR, or its tag.
// This is what smoke tests check after a deploy. A request for a host that a listener rule of the `elbv2` section
// names is answered the same way by the service behind that rule (./load-balancer.ts). GET
// <sandbox>/listeners/<lb>/<port>/<path> answers as that listener routes it, by its rules' weights (./listeners.ts).
import * as z from 'zod';
import type { HttpOperation } from '../core/extensions.js';
import type {
  HttpModule,
  SandboxRequest,
  SandboxResponse,
  ServiceDefinition,
  ServiceEnvironment,
} from '../core/module.js';
import { ecrService, type EcrState } from '../ecr/index.js';
import { ecsService } from '../ecs/index.js';
import { elbv2Service } from '../elbv2/index.js';
import { listenerRoute, routeToTask } from './listeners.js';
import { routeByHost } from './load-balancer.js';

const PREFIX = '/apps/';

export const appsSectionSchema = z
  .object({
    versionHeader: z.string().default('X-App-Version').describe('Response header that carries the running version'),
  })
  .strict()
  .default({ versionHeader: 'X-App-Version' });

export type AppsSection = z.infer<typeof appsSectionSchema>;

export type AppsModule = HttpModule & { state: AppsState };

export class AppsState {
  /** Requests answered, per service, for tests. */
  readonly answered = new Map<string, number>();
  private readonly turn = new Map<string, number>();

  constructor(
    private readonly env: ServiceEnvironment,
    readonly section: AppsSection,
  ) {}

  /** The version a task's image shows: its revision annotation in ECR, else its tag, else the digest. */
  versionOf(image: string, region: string): string {
    const at = image.lastIndexOf('@');
    const reference = at >= 0 ? image.slice(0, at) : image;
    const slash = reference.indexOf('/');
    const colon = reference.lastIndexOf(':');
    const tag = at < 0 && colon > slash ? reference.slice(colon + 1) : undefined;
    const path =
      slash >= 0
        ? colon > slash && at < 0
          ? reference.slice(slash + 1, colon)
          : reference.slice(slash + 1)
        : reference;
    const digest = at >= 0 ? image.slice(at + 1) : undefined;
    const ecr = this.ecr();
    if (ecr) {
      try {
        const repository = ecr.repository(region, path);
        const found = ecr.findImage(repository, digest ? { imageDigest: digest } : { imageTag: tag ?? 'latest' });
        const revision = found && revisionOf(found.manifest);
        if (revision) return revision;
        if (found && !tag) return ecr.tagsOf(repository, found.digest)[0] ?? found.digest;
      } catch {
        // Not an image of this ECR: fall back to the reference itself.
      }
    }
    return tag ?? digest ?? image;
  }

  /** The next healthy task's image for a service, round robin; undefined when none is healthy. */
  pick(region: string, cluster: string, serviceName: string): { image: string; taskId: string } | undefined {
    const world = this.env.stateOf(ecsService);
    const service = world?.service(region, cluster, serviceName);
    if (!service) return undefined;
    const healthy = service.tasks.filter((task) => task.lastStatus === 'RUNNING' && task.healthy);
    if (healthy.length === 0) return undefined;
    const key = `${region}/${cluster}/${serviceName}`;
    const n = this.turn.get(key) ?? 0;
    this.turn.set(key, n + 1);
    const task = healthy[n % healthy.length]!;
    const container = task.containers.find((c) => c.essential) ?? task.containers[0]!;
    return { image: container.image, taskId: task.id };
  }

  /** The task a listener routes a request to, by its rules' weights (./listeners.ts). */
  pickByListener(pathname: string): ReturnType<typeof routeToTask> | undefined {
    const route = listenerRoute(pathname);
    if (!route) return undefined;
    let elbv2;
    try {
      elbv2 = this.env.stateOf(elbv2Service);
    } catch {
      return { status: 404, message: 'This sandbox serves no load balancers.' };
    }
    return routeToTask(route, elbv2, this.env.stateOf(ecsService));
  }

  private ecr(): EcrState | undefined {
    try {
      return this.env.stateOf(ecrService);
    } catch {
      return undefined;
    }
  }
}

function revisionOf(manifest: string): string | undefined {
  try {
    const parsed = JSON.parse(manifest) as { annotations?: Record<string, string> };
    return parsed.annotations?.['org.opencontainers.image.revision'];
  } catch {
    return undefined;
  }
}

interface AppTarget {
  region?: string;
  cluster: string;
  service: string;
  path: string;
}

function route(req: SandboxRequest, env: ServiceEnvironment): AppTarget | undefined {
  if (!req.url.pathname.startsWith(PREFIX)) return routeByHost(req, env);
  const [cluster, service, ...rest] = req.url.pathname.slice(PREFIX.length).split('/');
  if (!cluster || !service) return undefined;
  return { cluster: decodeURIComponent(cluster), service: decodeURIComponent(service), path: `/${rest.join('/')}` };
}

export const appsService: ServiceDefinition<AppsSection, AppsModule, 'apps'> = {
  key: 'apps',
  schema: appsSectionSchema,
  create(section, env) {
    const state = new AppsState(env, section);
    return {
      protocol: 'http',
      name: 'apps',
      state,
      describe(req): HttpOperation | undefined {
        const listener = listenerRoute(req.url.pathname);
        if (listener) return { operation: `Listener ${listener.path}`, mutating: false, params: listener };
        const target = route(req, env);
        return target ? { operation: `App ${target.path}`, mutating: false, params: { ...target } } : undefined;
      },
      handle(req: SandboxRequest, res: SandboxResponse) {
        const routed = state.pickByListener(req.url.pathname);
        if (routed) {
          if ('status' in routed) {
            res.send(routed.status, { status: 'unavailable', message: routed.message });
            return true;
          }
          const container = routed.task.containers.find((c) => c.essential) ?? routed.task.containers[0]!;
          const version = state.versionOf(container.image, env.defaultRegion);
          res.send(
            200,
            { status: 'ok', path: req.url.pathname, version, task: routed.task.id },
            { [section.versionHeader]: version },
          );
          return true;
        }
        const target = route(req, env);
        if (!target) return false;
        const region = target.region ?? env.defaultRegion;
        const picked = state.pick(region, target.cluster, target.service);
        const key = `${target.cluster}/${target.service}`;
        state.answered.set(key, (state.answered.get(key) ?? 0) + 1);
        if (!picked) {
          res.send(503, { status: 'unavailable', message: `No healthy task of ${target.service} is running.` });
          return true;
        }
        const version = state.versionOf(picked.image, region);
        res.send(
          200,
          { status: 'ok', service: target.service, path: target.path, version, task: picked.taskId },
          {
            [section.versionHeader]: version,
          },
        );
        return true;
      },
    };
  },
};
