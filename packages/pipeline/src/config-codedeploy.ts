// A service's CodeDeploy options in the release config (`services[].codedeploy`), for services under the CODE_DEPLOY
// deployment controller: the deploy action's codedeploy-* inputs without their prefix, checked by the same rules
// (@ecs-ship/ecs/rules, @ecs-ship/probe/rules), plus the test listener the smoke checks reach green on.
import * as z from 'zod';
import { ruled } from '@ecs-ship/action-kit/zod';
import { CODEDEPLOY_DESCRIPTION, CODEDEPLOY_NAME } from '@ecs-ship/ecs/rules';
import { BASE_URL } from '@ecs-ship/probe/rules';

export const codedeployKey = z
  .object({
    application: ruled(CODEDEPLOY_NAME)
      .optional()
      .describe('The CodeDeploy application; default AppECS-<cluster>-<service>'),
    'deployment-group': ruled(CODEDEPLOY_NAME)
      .optional()
      .describe('The deployment group; default DgpECS-<cluster>-<service>'),
    appspec: z
      .string()
      .min(1)
      .optional()
      .describe(
        "An AppSpec file (JSON or YAML) relative to the workspace, its TaskDefinition replaced by the release's revision; default: made from the service's load balancer",
      ),
    'deployment-config': ruled(CODEDEPLOY_NAME)
      .optional()
      .describe(
        "A deployment configuration such as CodeDeployDefault.ECSCanary10Percent5Minutes; default: the group's",
      ),
    'deployment-description': ruled(CODEDEPLOY_DESCRIPTION).optional().describe('The deployment description'),
    'test-listener-url': ruled(BASE_URL)
      .optional()
      .describe(
        "The test listener's URL: when the deployment group waits for a go-ahead, the environment's smoke checks run here while green has only test traffic; they pass, the production traffic moves; they fail, the deployment stops and rolls back",
      ),
  })
  .strict()
  .describe(
    "For a service under the CODE_DEPLOY deployment controller: how its CodeDeploy deployment is made (the deploy action's codedeploy-* inputs)",
  );

export type CodeDeployConfig = z.infer<typeof codedeployKey>;
