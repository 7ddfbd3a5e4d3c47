// Every service module the sandbox serves. Each module author adds their own import and one entry line here.
import { appsService } from './apps/index.js';
import type { ServiceDefinition } from './core/module.js';
import { ecrService } from './ecr/index.js';
import { ecsService } from './ecs/index.js';
import { githubService } from './github/index.js';
import { logsService } from './logs/index.js';
import { rdsService } from './rds/index.js';
import { slackService } from './slack/index.js';

export const services: ServiceDefinition<any>[] = [
  ecrService,
  ecsService,
  logsService,
  rdsService,
  githubService,
  slackService,
  appsService,
];
