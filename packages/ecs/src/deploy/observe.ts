/**
 * One look at many services: one DescribeServices per 10 services (the API's limit) and one
 * DescribeServiceDeployments per 20 service-deployment ARNs. Where the newer API is not available the watcher
 * carries on with `deployments[].rolloutState` alone.
 */
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  type ECSClient,
  type Service,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { serviceSnapshot, type ServiceSnapshot } from './snapshot.js';

export const DESCRIBE_SERVICES_LIMIT = 10;
export const DESCRIBE_SERVICE_DEPLOYMENTS_LIMIT = 20;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** DescribeServices for any number of services; the ones ECS does not know come back as undefined. */
export async function describeServices(
  ecs: ECSClient,
  cluster: string,
  services: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, Service | undefined>> {
  const found = new Map<string, Service | undefined>();
  const answers = await Promise.all(
    chunk(services, DESCRIBE_SERVICES_LIMIT).map((names) =>
      ecs.send(new DescribeServicesCommand({ cluster, services: names }), { abortSignal: signal }),
    ),
  );
  for (const answer of answers) {
    for (const service of answer.services ?? []) {
      const name = services.find((wanted) => wanted === service.serviceName || wanted === service.serviceArn);
      if (name) found.set(name, service);
    }
  }
  for (const name of services) if (!found.has(name)) found.set(name, undefined);
  return found;
}

/** Errors that say the account or endpoint does not offer DescribeServiceDeployments. */
export function isUnsupported(error: unknown): boolean {
  const name = (error as { name?: string })?.name ?? '';
  return /UnknownOperation|UnsupportedOperation|AccessDenied|InvalidAction|NotImplemented|UnrecognizedClient/i.test(
    name,
  );
}

export class Observer {
  /** Cleared the first time the API turns out to be unavailable, so later polls do not ask again. */
  private recordsAvailable = true;
  /** DescribeServices calls made, for the bench and the report. */
  describeServicesCalls = 0;
  polls = 0;

  constructor(
    private readonly ecs: ECSClient,
    private readonly cluster: string,
    private readonly onFallback: (reason: string) => void = () => undefined,
  ) {}

  get usesServiceDeployments(): boolean {
    return this.recordsAvailable;
  }

  /** Snapshots of `services`; `arns` are the service-deployment ARNs to read alongside, per service. */
  async look(
    services: readonly string[],
    arns: ReadonlyMap<string, string | undefined>,
    signal?: AbortSignal,
  ): Promise<Map<string, ServiceSnapshot>> {
    this.polls += 1;
    this.describeServicesCalls += Math.ceil(services.length / DESCRIBE_SERVICES_LIMIT);
    const wanted = services.map((service) => arns.get(service)).filter((arn): arn is string => Boolean(arn));
    const [described, records] = await Promise.all([
      describeServices(this.ecs, this.cluster, services, signal),
      this.records(wanted, signal),
    ]);
    const snapshots = new Map<string, ServiceSnapshot>();
    for (const name of services) {
      const arn = arns.get(name);
      snapshots.set(name, serviceSnapshot(name, described.get(name), arn ? records.get(arn) : undefined));
    }
    return snapshots;
  }

  private async records(arns: string[], signal?: AbortSignal): Promise<Map<string, ServiceDeployment>> {
    const result = new Map<string, ServiceDeployment>();
    if (!this.recordsAvailable || arns.length === 0) return result;
    try {
      const answers = await Promise.all(
        chunk(arns, DESCRIBE_SERVICE_DEPLOYMENTS_LIMIT).map((serviceDeploymentArns) =>
          this.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns }), { abortSignal: signal }),
        ),
      );
      for (const answer of answers) {
        for (const record of answer.serviceDeployments ?? []) {
          if (record.serviceDeploymentArn) result.set(record.serviceDeploymentArn, record);
        }
      }
    } catch (error) {
      // A throttled or failed read of the records leaves this poll to deployments[] alone.
      if (isTransient(error)) return result;
      if (!isUnsupported(error)) throw error;
      this.recordsAvailable = false;
      this.onFallback(`${(error as Error).name}: ${(error as Error).message}`);
    }
    return result;
  }
}

/** Errors worth another poll rather than a failed step: throttling, server trouble, a dropped connection. */
export function isTransient(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (e?.$retryable) return true;
  if ((e?.$metadata?.httpStatusCode ?? 0) >= 500 && !isUnsupported(error)) return true;
  return /Throttl|TooManyRequests|ServerException|ServiceUnavailable|TimeoutError|RequestTimeout|ECONNRESET|ECONNREFUSED|EPIPE|socket hang up/i.test(
    `${e?.name ?? ''} ${e?.code ?? ''} ${(error as Error)?.message ?? ''}`,
  );
}
