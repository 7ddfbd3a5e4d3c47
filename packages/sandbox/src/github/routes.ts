// GitHub REST endpoints the suite uses, with GitHub's status codes and error bodies, one module per resource.
import { commentRoutes } from './routes/comments.js';
import { deploymentRoutes } from './routes/deployments.js';
import { gitRoutes } from './routes/git.js';
import type { Route } from './routes/http.js';
import { releaseRoutes } from './routes/releases.js';

export { allowed, failure, type Answer, type Route, type RouteContext } from './routes/http.js';

export const routes: Route[] = [...gitRoutes, ...releaseRoutes, ...deploymentRoutes, ...commentRoutes];
