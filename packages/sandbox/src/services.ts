// Every service module the sandbox serves. Each module author adds their own import and one entry line here; the
// state type `sandbox.state(key)` returns follows from the list.
import { appsService } from './apps/index.js';
import { codedeployService } from './codedeploy/index.js';
import { cloudwatchService } from './cloudwatch/index.js';
import type { StateOf } from './core/module.js';
import { ecrService } from './ecr/index.js';
import { ecsService } from './ecs/index.js';
import { elbv2Service } from './elbv2/index.js';
import { githubService } from './github/index.js';
import { logsService } from './logs/index.js';
import { rdsService } from './rds/index.js';
import { slackService } from './slack/index.js';

export const services = [
  ecrService,
  ecsService,
  logsService,
  rdsService,
  elbv2Service,
  codedeployService,
  githubService,
  slackService,
  appsService,
  cloudwatchService,
] as const;

/** Each built-in module's state by its scenario key. */
export type BuiltInStates = { [D in (typeof services)[number] as D['key']]: StateOf<D> };
