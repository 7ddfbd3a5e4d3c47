// GitHub REST: deployments and their statuses.
import { nowIso, type Deployment, type DeploymentStatus } from '../state.js';
import {
  DOCS,
  BOT,
  failure,
  missing,
  validation,
  repoUrl,
  nodeId,
  paginate,
  type Route,
  type RouteContext,
} from './http.js';

function deploymentJson(ctx: RouteContext, d: Deployment) {
  const url = `${repoUrl(ctx)}/deployments/${d.id}`;
  return {
    url,
    id: d.id,
    node_id: nodeId('DE', d.id),
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.original_environment,
    environment: d.environment,
    description: d.description,
    creator: BOT,
    created_at: d.created_at,
    updated_at: d.statuses.at(-1)?.created_at ?? d.created_at,
    statuses_url: `${url}/statuses`,
    repository_url: repoUrl(ctx),
    transient_environment: d.transient_environment,
    production_environment: d.production_environment,
  };
}

function statusJson(ctx: RouteContext, d: Deployment, s: DeploymentStatus) {
  const deploymentUrl = `${repoUrl(ctx)}/deployments/${d.id}`;
  return {
    url: `${deploymentUrl}/statuses/${s.id}`,
    id: s.id,
    node_id: nodeId('DES', s.id),
    state: s.state,
    creator: BOT,
    description: s.description,
    environment: s.environment,
    target_url: s.target_url,
    log_url: s.log_url,
    environment_url: s.environment_url,
    created_at: s.created_at,
    updated_at: s.created_at,
    deployment_url: deploymentUrl,
    repository_url: repoUrl(ctx),
  };
}

const DEPLOY_DOCS = `${DOCS}/deployments/deployments`;
const STATUS_DOCS = `${DOCS}/deployments/statuses`;
const DEPLOYMENT_STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];

function findDeployment(ctx: RouteContext): Deployment | undefined {
  return ctx.state.deployments.find((d) => d.id === Number(ctx.groups[0]));
}

export const deploymentRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/deployments$/,
    operation: 'repos.createDeployment',
    scope: 'deployments',
    docs: `${DEPLOY_DOCS}#create-a-deployment`,
    handle: (ctx) => {
      const docs = `${DEPLOY_DOCS}#create-a-deployment`;
      const body = (ctx.body ?? {}) as Record<string, any>;
      if (typeof body.ref !== 'string') return missing('ref', docs);
      const sha = ctx.state.resolve(body.ref);
      if (!sha) return failure(422, `No ref found for: ${body.ref}`, docs);
      const environment = typeof body.environment === 'string' ? body.environment : 'production';
      let payload: unknown = body.payload ?? {};
      if (typeof payload === 'string') {
        try {
          payload = payload === '' ? {} : JSON.parse(payload);
        } catch {
          return validation(docs, [{ resource: 'Deployment', code: 'invalid', field: 'payload' }]);
        }
      }
      const deployment: Deployment = {
        id: ctx.state.id() + 1_000_000_000,
        sha,
        ref: body.ref,
        task: typeof body.task === 'string' ? body.task : 'deploy',
        payload,
        environment,
        original_environment: environment,
        description: typeof body.description === 'string' ? body.description : null,
        transient_environment: body.transient_environment === true,
        production_environment:
          typeof body.production_environment === 'boolean' ? body.production_environment : environment === 'production',
        created_at: nowIso(),
        statuses: [],
      };
      ctx.state.deployments.push(deployment);
      return {
        status: 201,
        body: deploymentJson(ctx, deployment),
        headers: { location: `${repoUrl(ctx)}/deployments/${deployment.id}` },
      };
    },
  },
  {
    method: 'GET',
    pattern: /^\/deployments$/,
    operation: 'repos.listDeployments',
    scope: 'deployments',
    docs: `${DEPLOY_DOCS}#list-deployments`,
    handle: (ctx) => {
      const filters = ['sha', 'ref', 'task', 'environment'] as const;
      const found = ctx.state.deployments.filter((d) =>
        filters.every((f) => !ctx.query.has(f) || ctx.query.get(f) === d[f]),
      );
      return paginate(
        ctx,
        found.reverse().map((d) => deploymentJson(ctx, d)),
      );
    },
  },
  {
    method: 'GET',
    pattern: /^\/deployments\/(\d+)$/,
    operation: 'repos.getDeployment',
    scope: 'deployments',
    docs: `${DEPLOY_DOCS}#get-a-deployment`,
    handle: (ctx) => {
      const deployment = findDeployment(ctx);
      return deployment
        ? { status: 200, body: deploymentJson(ctx, deployment) }
        : failure(404, 'Not Found', `${DEPLOY_DOCS}#get-a-deployment`);
    },
  },
  {
    method: 'POST',
    pattern: /^\/deployments\/(\d+)\/statuses$/,
    operation: 'repos.createDeploymentStatus',
    scope: 'deployments',
    docs: `${STATUS_DOCS}#create-a-deployment-status`,
    handle: (ctx) => {
      const docs = `${STATUS_DOCS}#create-a-deployment-status`;
      const deployment = findDeployment(ctx);
      if (!deployment) return failure(404, 'Not Found', docs);
      const body = (ctx.body ?? {}) as Record<string, any>;
      if (typeof body.state !== 'string') return missing('state', docs);
      if (!DEPLOYMENT_STATES.includes(body.state)) {
        return failure(
          422,
          `Invalid request.\n\n${JSON.stringify(body.state)} is not a member of ${JSON.stringify(DEPLOYMENT_STATES)}.`,
          docs,
        );
      }
      if (typeof body.environment === 'string') deployment.environment = body.environment;
      const status: DeploymentStatus = {
        id: ctx.state.id() + 2_000_000_000,
        state: body.state,
        description: typeof body.description === 'string' ? body.description : '',
        environment: deployment.environment,
        environment_url: typeof body.environment_url === 'string' ? body.environment_url : '',
        log_url:
          typeof body.log_url === 'string' ? body.log_url : typeof body.target_url === 'string' ? body.target_url : '',
        target_url:
          typeof body.target_url === 'string' ? body.target_url : typeof body.log_url === 'string' ? body.log_url : '',
        created_at: nowIso(),
      };
      deployment.statuses.push(status);
      // auto_inactive (default true): earlier successful deployments to the same non-transient,
      // non-production environment get an inactive status.
      if (body.state === 'success' && body.auto_inactive !== false) {
        for (const other of ctx.state.deployments) {
          if (other === deployment || other.environment !== deployment.environment) continue;
          if (other.transient_environment || other.production_environment) continue;
          if (other.statuses.at(-1)?.state !== 'success') continue;
          other.statuses.push({
            ...status,
            id: ctx.state.id() + 2_000_000_000,
            state: 'inactive',
            description: '',
            environment_url: '',
            log_url: '',
            target_url: '',
          });
        }
      }
      return { status: 201, body: statusJson(ctx, deployment, status) };
    },
  },
  {
    method: 'GET',
    pattern: /^\/deployments\/(\d+)\/statuses$/,
    operation: 'repos.listDeploymentStatuses',
    scope: 'deployments',
    docs: `${STATUS_DOCS}#list-deployment-statuses`,
    handle: (ctx) => {
      const deployment = findDeployment(ctx);
      if (!deployment) return failure(404, 'Not Found', `${STATUS_DOCS}#list-deployment-statuses`);
      return paginate(
        ctx,
        [...deployment.statuses].reverse().map((s) => statusJson(ctx, deployment, s)),
      );
    },
  },
];
