/** Shapes of AWS and git identifiers, checked before anything is sent so that bad input changes nothing. */

/** An image reference by tag or digest: `[registry[:port]/]path[:tag][@sha256:<64 hex>]`. */
const IMAGE_REFERENCE =
  /^(?:(?:[a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

export function isImageReference(value: string): boolean {
  return value.length <= 1024 && IMAGE_REFERENCE.test(value);
}

export function isImageDigest(value: string): boolean {
  return /^sha256:[a-f0-9]{64}$/.test(value);
}

/** Cluster and service names: up to 255 letters, digits, hyphens and underscores; or an ARN. */
export function isEcsName(value: string): boolean {
  return /^[a-zA-Z0-9_-]{1,255}$/.test(value) || isArn(value, 'ecs');
}

export function isArn(value: string, service?: string): boolean {
  const match = /^arn:aws[a-z-]*:([a-z0-9-]+):[a-z0-9-]*:\d{12}:.+$/.exec(value);
  return match !== null && (service === undefined || match[1] === service);
}

/** `family`, `family:revision` or a task-definition ARN. */
export function isTaskDefinitionReference(value: string): boolean {
  return (
    /^[a-zA-Z0-9_-]{1,255}(?::[1-9]\d*)?$/.test(value) || (isArn(value, 'ecs') && value.includes(':task-definition/'))
  );
}

export function isFullSha(value: string): boolean {
  return /^[0-9a-f]{40}$/.test(value);
}

/** Container names: up to 255 letters, digits, hyphens and underscores. */
export function isContainerName(value: string): boolean {
  return /^[a-zA-Z0-9_-]{1,255}$/.test(value);
}

/** Environment variable names as ECS and shells accept them. */
export function isEnvironmentName(value: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(value);
}

/** RDS identifiers: 1–63 letters, digits and hyphens, starting with a letter, no `--`, not ending in `-`. */
export function isDbIdentifier(value: string): boolean {
  return /^[A-Za-z](?:[A-Za-z0-9]|-(?!-)){0,62}$/.test(value) && !value.endsWith('-');
}

/** RDS snapshot identifiers: 1–255 letters, digits and hyphens, starting with a letter, no `--`, not ending in `-`. */
export function isSnapshotIdentifier(value: string): boolean {
  return /^[A-Za-z](?:[A-Za-z0-9]|-(?!-)){0,254}$/.test(value) && !value.endsWith('-');
}

export function isRegion(value: string): boolean {
  return /^[a-z]{2}(?:-[a-z]+)+-\d$/.test(value);
}
