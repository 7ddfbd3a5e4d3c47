import { RDSClient } from '@aws-sdk/client-rds';
import type { Sandbox } from '../../src/index.js';

/** The real AWS SDK's RDS client pointed at the sandbox, without retries: each test sees RDS's first answer. */
export function rdsClientFor(sandbox: Sandbox): RDSClient {
  const env = sandbox.env();
  return new RDSClient({
    region: 'eu-west-1',
    endpoint: sandbox.url,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
    maxAttempts: 1,
  });
}
