/**
 * Links to the AWS console for what a step touched, built from the region, the account and the partition that the
 * resource's ARN (or the image's registry host) carries: the one place the suite writes console addresses. Each
 * builder returns undefined for a value it cannot read, so that a summary shows the name without a link rather
 * than a wrong link.
 */

export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the account: `service/shop/web`, `task-definition/web:3`, `snapshot:pre-migration-x`. */
  resource: string;
}

export function parseArn(arn: string | undefined): ArnParts | undefined {
  const match = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}):(.+)$/.exec(arn ?? '');
  if (!match) return undefined;
  const [, partition, service, region, account, resource] = match as unknown as string[];
  return { partition: partition!, service: service!, region: region!, account: account!, resource: resource! };
}

/** The console's origin for a region: each partition has its own domain. */
export function consoleOrigin(region: string, partition = 'aws'): string {
  const domain =
    partition === 'aws-cn'
      ? 'console.amazonaws.cn'
      : partition === 'aws-us-gov'
        ? 'console.amazonaws-us-gov.com'
        : 'console.aws.amazon.com';
  return `https://${region}.${domain}`;
}

const path = (text: string) => encodeURIComponent(text);

/**
 * An ECS service's page (`arn:…:service/<cluster>/<name>`). Services created before the long ARN format have ARNs
 * without the cluster (`arn:…:service/<name>`): `cluster` fills it in.
 */
export function serviceConsoleUrl(serviceArn: string | undefined, cluster?: string): string | undefined {
  const arn = parseArn(serviceArn);
  const parts = arn?.service === 'ecs' ? arn.resource.split('/') : [];
  if (parts[0] !== 'service') return undefined;
  const [clusterName, name] = parts.length === 3 ? [parts[1], parts[2]] : [clusterNameOf(cluster), parts[1]];
  if (!clusterName || !name) return undefined;
  return `${consoleOrigin(arn!.region, arn!.partition)}/ecs/v2/clusters/${path(clusterName)}/services/${path(name)}/health?region=${arn!.region}`;
}

/**
 * A service deployment (`arn:…:service-deployment/<cluster>/<service>/<id>`): the service's Deployments tab, which
 * lists it by its id (the console documents no address of its own for one service deployment).
 */
export function serviceDeploymentConsoleUrl(serviceDeploymentArn: string | undefined): string | undefined {
  const arn = parseArn(serviceDeploymentArn);
  const [kind, cluster, service] = arn?.service === 'ecs' ? arn.resource.split('/') : [];
  if (kind !== 'service-deployment' || !cluster || !service) return undefined;
  return `${consoleOrigin(arn!.region, arn!.partition)}/ecs/v2/clusters/${path(cluster)}/services/${path(service)}/deployments?region=${arn!.region}`;
}

/** A task-definition revision (`arn:…:task-definition/<family>:<revision>`). */
export function taskDefinitionConsoleUrl(taskDefinitionArn: string | undefined): string | undefined {
  const arn = parseArn(taskDefinitionArn);
  const match = arn?.service === 'ecs' ? /^task-definition\/([^:/]+):(\d+)$/.exec(arn.resource) : null;
  if (!match) return undefined;
  return `${consoleOrigin(arn!.region, arn!.partition)}/ecs/v2/task-definitions/${path(match[1]!)}/${match[2]}/containers?region=${arn!.region}`;
}

/** A task, such as a one-off migration (`arn:…:task/<cluster>/<id>`). */
export function taskConsoleUrl(taskArn: string | undefined): string | undefined {
  const arn = parseArn(taskArn);
  const [kind, cluster, id] = arn?.service === 'ecs' ? arn.resource.split('/') : [];
  if (kind !== 'task' || !cluster || !id) return undefined;
  return `${consoleOrigin(arn!.region, arn!.partition)}/ecs/v2/clusters/${path(cluster)}/tasks/${path(id)}/configuration?region=${arn!.region}`;
}

/** One CloudWatch log stream (the console encodes the group and stream twice, `%` as `$25`). */
export function logStreamConsoleUrl(region: string, group: string, stream: string, partition = 'aws'): string {
  const part = (text: string) => encodeURIComponent(text).replace(/%/g, '$25');
  return `${consoleOrigin(region, partition)}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${part(group)}/log-events/${part(stream)}`;
}

/**
 * An RDS snapshot (`arn:…:rds:<region>:<account>:snapshot:<id>`). A DB cluster snapshot (`cluster-snapshot:<id>`)
 * links to the console's list of snapshots, which has no documented address for one cluster snapshot.
 */
export function snapshotConsoleUrl(snapshotArn: string | undefined): string | undefined {
  const arn = parseArn(snapshotArn);
  const match = arn?.service === 'rds' ? /^(snapshot|cluster-snapshot):(.+)$/.exec(arn.resource) : null;
  if (!match) return undefined;
  const home = `${consoleOrigin(arn!.region, arn!.partition)}/rds/home?region=${arn!.region}`;
  return match[1] === 'snapshot' ? `${home}#db-snapshot:id=${path(match[2]!)}` : `${home}#snapshots-list:`;
}

/**
 * An image in a private ECR repository, from its reference (`<account>.dkr.ecr.<region>.amazonaws.com/<repo>@<digest>`
 * or `…:<tag>`): the image's page when pinned by digest, else the repository's.
 */
export function imageConsoleUrl(imageRef: string | undefined): string | undefined {
  const match =
    /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([^@:]+)(?:@(sha256:[0-9a-f]{64})|:[\w][\w.-]*)?$/.exec(
      imageRef ?? '',
    );
  if (!match) return undefined;
  const [, account, region, china, repository, digest] = match;
  const partition = china ? 'aws-cn' : region!.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  const base = `${consoleOrigin(region!, partition)}/ecr/repositories/private/${account}/${repository}`;
  return digest ? `${base}/_/image/${digest}/details?region=${region}` : `${base}?region=${region}`;
}

/**
 * An ECR image as a person reads it beside its link: without the registry host (the link has it), the digest
 * shortened (`shop@sha256:8f2b6c41d3e5…`). Other images, without a link, are shown whole.
 */
export function imageLabel(imageRef: string): string {
  if (!imageConsoleUrl(imageRef)) return imageRef;
  return imageRef.slice(imageRef.indexOf('/') + 1).replace(/@sha256:([0-9a-f]{12})[0-9a-f]{52}$/, '@sha256:$1…');
}

/** A cluster given by name or ARN, as the name the console's paths use. */
function clusterNameOf(cluster: string | undefined): string | undefined {
  if (!cluster) return undefined;
  const arn = parseArn(cluster);
  return arn ? arn.resource.replace(/^cluster\//, '') : cluster;
}
