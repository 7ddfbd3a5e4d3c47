// What the SDK tests of the sandbox share: the clients' settings, and the revision they deploy.
import { RegisterTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { Sandbox } from '../src/index.js';

/** Settings for any AWS SDK client of a sandbox whose scenario is in eu-west-1, with a key that no policy binds. */
export function sdkConfig(sandbox: Sandbox, extra: { maxAttempts?: number } = {}) {
  return {
    region: 'eu-west-1',
    endpoint: sandbox.url,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    ...extra,
  };
}

/** Registers a revision of the family `shop` running `image` (one container, port 8080); returns its ARN. */
export async function registerShop(ecs: ECSClient, image: string): Promise<string> {
  const answer = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'shop',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'app', image, essential: true, portMappings: [{ containerPort: 8080 }] }],
    }),
  );
  return answer.taskDefinition!.taskDefinitionArn!;
}
