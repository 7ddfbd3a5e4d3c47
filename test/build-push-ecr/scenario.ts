// Scenarios and checks shared by the build-push-ecr tests.
import type { EcrState } from '@ecs-ship/sandbox';
import type { Sandbox } from '@ecs-ship/sandbox';
import type { ActionRun } from '@ecs-ship/testing';

export const PASSWORD = 'ecr-registry-password-5f1c9a';
export const REVISION = '4f6a0e1c9b2d8a7f3e5c1b0d9a8f7e6d5c4b3a21';

export function ecrScenario(registry = 'http://127.0.0.1:1') {
  return {
    region: 'eu-west-1',
    ecr: {
      registry,
      password: PASSWORD,
      repositories: [
        {
          name: 'shop/web',
          images: [
            { tags: ['abc1234', 'staging'], revision: 'abc1234' },
            { tags: [REVISION], revision: REVISION },
            { tags: ['old'], revision: 'something-else' },
          ],
        },
        { name: 'shop/build' },
        {
          name: 'shop/slow',
          scanOnPush: true,
          images: [
            { tags: ['v1'], scan: { findings: { LOW: 1 }, seconds: 3600 } },
            { tags: ['v9'], scan: { seconds: 3600 } },
          ],
        },
        {
          name: 'shop/api',
          imageTagMutability: 'IMMUTABLE',
          scanOnPush: true,
          images: [{ tags: ['v1'], scan: { findings: { HIGH: 2, LOW: 1 } } }, { tags: ['prod'] }],
        },
      ],
    },
  };
}

/** The registry password and the token that carries it: neither may appear anywhere a person can read. */
export function expectNoSecrets(run: ActionRun): void {
  const token = Buffer.from(`AWS:${PASSWORD}`).toString('base64');
  for (const secret of [PASSWORD, token]) {
    if (run.visibleText.includes(secret) || run.stderr.includes(secret)) {
      throw new Error(`A registry secret appeared in the step's visible output:\n${run.visibleText}`);
    }
  }
}

export function ecrState(sandbox: Sandbox): EcrState {
  return sandbox.state('ecr');
}
