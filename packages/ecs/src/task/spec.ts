// What a one-off task run needs, as the action (or the release pipeline) hands it over after validating its inputs.

/** Where the task definition comes from. */
export type TaskDefinitionSource =
  { kind: 'reference'; reference: string } | { kind: 'file'; path: string; definition: Record<string, unknown> };

export interface CapacityProviderItem {
  capacityProvider: string;
  weight?: number;
  base?: number;
}

export interface AwsVpcNetwork {
  subnets: string[];
  securityGroups: string[];
  assignPublicIp: boolean;
}

export interface OneOffTaskSpec {
  cluster: string;
  taskDefinition: TaskDefinitionSource;
  /** The container whose exit code decides; default: the only essential container. */
  container?: string;
  /** Registers a revision with this image for the chosen container (ECS cannot override an image at run time). */
  image?: string;
  command?: string[];
  environment: Map<string, string>;
  launchType?: 'FARGATE' | 'EC2' | 'EXTERNAL';
  capacityProviderStrategy: CapacityProviderItem[];
  network?: AwsVpcNetwork;
  platformVersion?: string;
  startedBy: string;
  /** Stop the task and fail after this long (from RunTask). */
  timeoutMs: number;
  pollIntervalMs: number;
  streamLogs: boolean;
}
