/**
 * Least privilege in every harness run: a step pointed at the sandbox with its dummy credentials signs instead with
 * the access key bound to its own policy, docs/iam/<action>.json. The sandbox enforces that policy, so a call the
 * code makes and the policy does not list fails the action's own tests with AccessDenied.
 * A test that sets its own AWS_ACCESS_KEY_ID keeps it; ECS_SHIP_IAM=off turns the swap off.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  PROJECT_POLICY_DIRECTORY,
  SANDBOX_ACCESS_KEY_ID,
  accessKeyIdFor,
  type PolicyDocument,
  type Sandbox,
} from '@ecs-ship/sandbox';

/** The access key a harness run of `action` signs with (the key of docs/iam/<action>.json). */
export function actionAccessKeyId(action: string): string {
  return accessKeyIdFor(action);
}

/** Swaps the sandbox's dummy key for the action's own key, in place. */
export function applyActionCredentials(action: string, env: NodeJS.ProcessEnv): void {
  if (env.ECS_SHIP_IAM === 'off') return;
  if (env.AWS_ACCESS_KEY_ID === SANDBOX_ACCESS_KEY_ID) env.AWS_ACCESS_KEY_ID = actionAccessKeyId(action);
}

/** An action's documented policy, docs/iam/<action>.json. */
export function documentedPolicy(action: string): PolicyDocument {
  return JSON.parse(readFileSync(join(PROJECT_POLICY_DIRECTORY, `${action}.json`), 'utf8')) as PolicyDocument;
}

/** The IAM actions a policy's Allow statements list. */
export function allowedActions(policy: PolicyDocument): string[] {
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  return statements
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => (s.Action === undefined ? [] : Array.isArray(s.Action) ? s.Action : [s.Action]));
}

/** The same policy with one IAM action taken out of every statement (statements left empty are dropped). */
export function withoutAction(policy: PolicyDocument, action: string): PolicyDocument {
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  const kept = statements
    .map((s) => {
      if (s.Action === undefined) return s;
      const actions = (Array.isArray(s.Action) ? s.Action : [s.Action]).filter((a) => a !== action);
      return actions.length === 0 ? undefined : { ...s, Action: actions };
    })
    .filter((s) => s !== undefined);
  if (allowedActions({ ...policy, Statement: kept }).length === allowedActions(policy).length)
    throw new Error(`The policy does not list ${action}`);
  return { ...policy, Statement: kept };
}

/** Makes runs of `action` in this sandbox act under `policy` instead of the documented one (until the next load). */
export function actUnder(sandbox: Sandbox, action: string, policy: PolicyDocument): void {
  sandbox.iam.bind({ accessKeyId: actionAccessKeyId(action), name: `ecs-ship-${action}`, policy });
}
