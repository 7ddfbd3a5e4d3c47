// Least-privilege enforcement: an access key id (from the SigV4 credential scope) can be bound to an IAM policy, and a
// call whose "<service>:<Operation>" that policy does not allow is refused the way AWS refuses it. Keys bound to no
// policy keep full access, so clients signing with the sandbox's dummy key are unaffected.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';

const stringOrList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const statementSchema = z.looseObject({
  Sid: z.string().optional(),
  Effect: z.enum(['Allow', 'Deny']),
  Action: stringOrList.optional(),
  NotAction: stringOrList.optional(),
  Resource: stringOrList.optional(),
  NotResource: stringOrList.optional(),
});

/** An IAM identity-based policy document (the parts the sandbox evaluates: Effect and Action/NotAction). */
export const policyDocumentSchema = z.looseObject({
  Version: z.string().optional(),
  Statement: z.union([statementSchema, z.array(statementSchema).min(1)]),
});
export type PolicyDocument = z.output<typeof policyDocumentSchema>;

export const iamScenarioSchema = z
  .strictObject({
    policyDirectory: z
      .union([z.string().min(1), z.literal(false)])
      .optional()
      .describe(
        'Folder of <name>.json policies; each binds the access key accessKeyIdFor(<name>). ' +
          "Default: the project's docs/iam when it exists; false turns it off",
      ),
    principals: z
      .array(
        z.strictObject({
          accessKeyId: z.string().regex(/^[A-Z0-9]{16,128}$/, 'an access key id is 16 or more A-Z/0-9 characters'),
          name: z.string().min(1).describe('Role name shown in AccessDenied messages'),
          policy: policyDocumentSchema,
        }),
      )
      .default([])
      .describe('Access keys bound to a policy; calls the policy does not allow get AccessDenied'),
  })
  .describe('Least privilege: access keys bound to IAM policies');
export type IamScenario = z.output<typeof iamScenarioSchema>;

export interface Principal {
  accessKeyId: string;
  /** The role name, as AWS shows it in "User: arn:aws:sts::<account>:assumed-role/<name>/<session>". */
  name: string;
  policy: PolicyDocument;
}

/** The project's own policy folder (docs/iam at the repository root), found from this file's place. */
export const PROJECT_POLICY_DIRECTORY = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../docs/iam');

/**
 * The access key id a client signs with to act under the policy `<name>.json`: AKIA + 16 characters derived from the
 * name, so the sandbox and whoever starts the client agree without sharing state.
 */
export function accessKeyIdFor(name: string): string {
  const digest = createHash('sha256').update(`ecs-ship:${name}`).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let key = 'AKIA';
  for (let i = 0; i < 16; i++) key += alphabet[digest[i]! % 32];
  return key;
}

/** Reads every `<name>.json` of a folder as the policy of the access key accessKeyIdFor(name). */
export function principalsFromDirectory(directory: string): Principal[] {
  const principals: Principal[] = [];
  for (const file of readdirSync(directory)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const name = basename(file, '.json');
    const path = join(directory, file);
    const parsed = policyDocumentSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) throw new Error(`IAM policy ${path} is not valid:\n${z.prettifyError(parsed.error)}`);
    principals.push({ accessKeyId: accessKeyIdFor(name), name: `ecs-ship-${name}`, policy: parsed.data });
  }
  return principals;
}

/** "Allow", "Deny" (explicit) or "ImplicitDeny" for one action under one policy, as IAM evaluates it. */
export function evaluate(policy: PolicyDocument, action: string): 'Allow' | 'Deny' | 'ImplicitDeny' {
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  let allowed = false;
  for (const statement of statements) {
    const applies =
      statement.Action !== undefined
        ? list(statement.Action).some((pattern) => actionMatches(pattern, action))
        : statement.NotAction !== undefined && !list(statement.NotAction).some((p) => actionMatches(p, action));
    if (!applies) continue;
    if (statement.Effect === 'Deny') return 'Deny';
    allowed = true;
  }
  return allowed ? 'Allow' : 'ImplicitDeny';
}

/** IAM action patterns: "service:Operation" with * and ? wildcards, case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${regex}$`, 'i').test(action);
}

function list(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}

/** What a refused call is answered with. */
export interface Denial {
  message: string;
}

/** Access keys bound to policies; everything else is allowed. */
export class IamEnforcer {
  private readonly principals = new Map<string, Principal>();

  /** Binds the scenario's principals and policy folder (the project's docs/iam unless the scenario says otherwise). */
  static fromScenario(scenario: IamScenario | undefined): IamEnforcer {
    const enforcer = new IamEnforcer();
    const directory = scenario?.policyDirectory;
    if (directory !== false) {
      const folder = directory ?? PROJECT_POLICY_DIRECTORY;
      if (directory !== undefined && !existsSync(folder)) throw new Error(`IAM policy folder not found: ${folder}`);
      if (existsSync(folder)) for (const principal of principalsFromDirectory(folder)) enforcer.bind(principal);
    }
    for (const principal of scenario?.principals ?? []) enforcer.bind(principal);
    return enforcer;
  }

  bind(principal: Principal): void {
    this.principals.set(principal.accessKeyId, { ...principal, policy: policyDocumentSchema.parse(principal.policy) });
  }

  unbind(accessKeyId: string): void {
    this.principals.delete(accessKeyId);
  }

  list(): Principal[] {
    return [...this.principals.values()];
  }

  /** Undefined when the call may go on; otherwise AWS's AccessDenied message for it. */
  authorize(call: {
    accessKeyId: string;
    signingName: string;
    operation: string;
    params: unknown;
    region: string;
    accountId: string;
  }): Denial | undefined {
    const principal = this.principals.get(call.accessKeyId);
    if (!principal) return undefined;
    const action = `${iamPrefix(call.signingName)}:${call.operation}`;
    const verdict = evaluate(principal.policy, action);
    if (verdict === 'Allow') return undefined;
    const user = `arn:aws:sts::${call.accountId}:assumed-role/${principal.name}/ecs-ship`;
    const resource = resourceOf(call.signingName, call.params, call.region, call.accountId);
    const why =
      verdict === 'Deny'
        ? `with an explicit deny in an identity-based policy`
        : `because no identity-based policy allows the ${action} action`;
    return { message: `User: ${user} is not authorized to perform: ${action} on resource: ${resource} ${why}` };
  }
}

/** IAM's service prefix for a SigV4 signing name (they differ for a few services: CloudWatch signs as monitoring). */
function iamPrefix(signingName: string): string {
  return signingName === 'monitoring' ? 'cloudwatch' : signingName;
}

/** The resource ARN AWS names in the message, as far as the request shows it; "*" otherwise. */
export function resourceOf(signingName: string, params: unknown, region: string, accountId: string): string {
  const p = (params ?? {}) as Record<string, unknown>;
  const text = (key: string): string | undefined => {
    const value = p[key];
    if (typeof value === 'string' && value !== '') return value;
    if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
    return undefined;
  };
  const arn = (resource: string) => `arn:aws:${iamPrefix(signingName)}:${region}:${accountId}:${resource}`;
  const named = (value: string, build: (name: string) => string) => (value.startsWith('arn:') ? value : build(value));
  switch (signingName) {
    case 'ecs': {
      const cluster = text('cluster') ?? 'default';
      const clusterName = cluster.startsWith('arn:') ? cluster.split('/').pop()! : cluster;
      const service = text('service') ?? text('services');
      if (service) return named(service, (s) => arn(`service/${clusterName}/${s}`));
      const family = text('family') ?? text('taskDefinition');
      if (family) return named(family, (f) => arn(`task-definition/${f.includes(':') ? f : `${f}:*`}`));
      const task = text('task') ?? text('tasks');
      if (task) return named(task, (t) => arn(`task/${clusterName}/${t}`));
      if (text('clusters')) return named(text('clusters')!, (c) => arn(`cluster/${c}`));
      return '*';
    }
    case 'ecr': {
      const repository = text('repositoryName');
      return repository ? arn(`repository/${repository}`) : '*';
    }
    case 'logs': {
      const group = text('logGroupName');
      return group ? arn(`log-group:${group}:log-stream:${text('logStreamName') ?? ''}`) : '*';
    }
    case 'rds': {
      const snapshot = text('DBSnapshotIdentifier');
      if (snapshot) return arn(`snapshot:${snapshot}`);
      const clusterSnapshot = text('DBClusterSnapshotIdentifier');
      if (clusterSnapshot) return arn(`cluster-snapshot:${clusterSnapshot}`);
      const instance = text('DBInstanceIdentifier');
      if (instance) return arn(`db:${instance}`);
      const cluster = text('DBClusterIdentifier');
      return cluster ? arn(`cluster:${cluster}`) : '*';
    }
    case 'codedeploy': {
      // Deployment groups are CodeDeploy's resource for most operations; a call naming only a deployment id shows "*".
      const application = text('applicationName');
      const group = text('deploymentGroupName');
      if (application && group) return arn(`deploymentgroup:${application}/${group}`);
      return application ? arn(`application:${application}`) : '*';
    }
    case 'monitoring': {
      // DescribeAlarms is authorized per alarm; GetMetricData takes no resource.
      const alarm = text('AlarmNames');
      return alarm ? arn(`alarm:${alarm}`) : '*';
    }
    default:
      return '*';
  }
}
