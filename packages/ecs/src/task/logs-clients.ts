// CloudWatch Logs clients by region, made on first use: an awslogs container may log to another region than the
// task's (`awslogs-region`), and most runs never read a log at all.
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { awsClientConfig } from '@ecs-ship/action-kit/aws';

export class LogsClients {
  private readonly clients = new Map<string, CloudWatchLogsClient>();

  /** `region` is used for a log without its own region; undefined leaves it to the standard variables. */
  constructor(private readonly region?: string) {}

  /** The client for a log's region (undefined: the default one). */
  readonly get = (logRegion: string | undefined): CloudWatchLogsClient => {
    const region = logRegion ?? this.region;
    const key = region ?? '';
    let client = this.clients.get(key);
    if (!client) {
      client = new CloudWatchLogsClient(awsClientConfig({ ...(region ? { region } : {}), retryMode: 'adaptive' }));
      this.clients.set(key, client);
    }
    return client;
  };

  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
  }
}
