import { ECRClient } from '@aws-sdk/client-ecr';
import type { RetryDeadline } from '@ecs-ship/action-kit';
import { awsClientConfig } from '@ecs-ship/action-kit/aws';

/**
 * The run's one ECR client. Region and endpoint come only from the standard variables (AWS_REGION,
 * AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_ECR); throttling is retried until `deadline` (see awsClientConfig).
 */
export function createEcrClient(deadline?: RetryDeadline): ECRClient {
  return new ECRClient(awsClientConfig({ deadline }));
}
