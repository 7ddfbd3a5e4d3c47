import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RDSClient } from '@aws-sdk/client-rds';
import { RetryBudget } from '@ecs-ship/action-kit';
import { awsClientConfig } from '@ecs-ship/action-kit/aws';

/**
 * One client per AWS service (and per region for Logs), created on first use and reused for the whole release.
 * Endpoints come only from the standard AWS_ENDPOINT_URL* variables. Throttling is retried until the deadline of the
 * stage's wait in progress (`retryBudget.within(...)`), and between waits for a fixed budget per call.
 */
export class AwsClients {
  readonly retryBudget = new RetryBudget();
  private ecsClient?: ECSClient;
  private ecrClient?: ECRClient;
  private rdsClient?: RDSClient;
  private elbv2Client?: ElasticLoadBalancingV2Client;
  private cloudwatchClient?: CloudWatchClient;
  private codedeployClient?: CodeDeployClient;
  private readonly logsClients = new Map<string, CloudWatchLogsClient>();

  constructor(readonly region: string) {}

  ecs(): ECSClient {
    return (this.ecsClient ??= new ECSClient(awsClientConfig({ region: this.region, deadline: this.retryBudget })));
  }

  ecr(): ECRClient {
    return (this.ecrClient ??= new ECRClient(awsClientConfig({ region: this.region, deadline: this.retryBudget })));
  }

  /** Asynchronous because the RDS client is loaded only by releases that take a snapshot. */
  async rds(): Promise<RDSClient> {
    if (!this.rdsClient) {
      const { RDSClient } = await import('@aws-sdk/client-rds');
      this.rdsClient ??= new RDSClient(awsClientConfig({ region: this.region, deadline: this.retryBudget }));
    }
    return this.rdsClient;
  }

  /** Loaded only to confirm that a rolled-back blue/green, linear or canary deployment's traffic is back. */
  async elbv2(): Promise<ElasticLoadBalancingV2Client> {
    if (!this.elbv2Client) {
      const { ElasticLoadBalancingV2Client } = await import('@aws-sdk/client-elastic-load-balancing-v2');
      this.elbv2Client ??= new ElasticLoadBalancingV2Client(
        awsClientConfig({ region: this.region, retryMode: 'adaptive', maxAttempts: 8 }),
      );
    }
    return this.elbv2Client;
  }

  /** Loaded only by a deploy with watch-minutes, to read alarms and metrics after it. */
  async cloudwatch(): Promise<CloudWatchClient> {
    if (!this.cloudwatchClient) {
      const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
      this.cloudwatchClient ??= new CloudWatchClient(
        awsClientConfig({ region: this.region, deadline: this.retryBudget }),
      );
    }
    return this.cloudwatchClient;
  }

  /** Loaded only by a release with services under the CODE_DEPLOY deployment controller. */
  async codedeploy(): Promise<CodeDeployClient> {
    if (!this.codedeployClient) {
      const { CodeDeployClient } = await import('@aws-sdk/client-codedeploy');
      this.codedeployClient ??= new CodeDeployClient(
        awsClientConfig({ region: this.region, deadline: this.retryBudget }),
      );
    }
    return this.codedeployClient;
  }

  logs(region: string | undefined): CloudWatchLogsClient {
    const key = region ?? this.region;
    let client = this.logsClients.get(key);
    if (!client)
      this.logsClients.set(
        key,
        (client = new CloudWatchLogsClient(awsClientConfig({ region: key, deadline: this.retryBudget }))),
      );
    return client;
  }

  destroy(): void {
    for (const client of [
      this.ecsClient,
      this.ecrClient,
      this.rdsClient,
      this.elbv2Client,
      this.cloudwatchClient,
      this.codedeployClient,
      ...this.logsClients.values(),
    ])
      client?.destroy();
  }
}
