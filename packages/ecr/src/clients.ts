import { ECRClient } from '@aws-sdk/client-ecr';
import { awsClientConfig } from '@ecs-ship/action-kit/aws';

/**
 * The run's one ECR client. Region and endpoint come only from the standard variables (AWS_REGION,
 * AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_ECR); the SDK retries throttling itself in adaptive mode.
 */
export function createEcrClient(): ECRClient {
  return new ECRClient(awsClientConfig({ retryMode: 'adaptive' }));
}
