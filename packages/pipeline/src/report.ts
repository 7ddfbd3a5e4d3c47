import type { DeployReport } from '@ecs-ship/ecs';

import type { StageName } from './rules.js';

export type { StageName };

/** The stages as the summary and the logs show them, in order; rollback and the final notice appear when they run. */
export type StageKey = 'notify' | 'image' | 'migrate' | 'deploy' | 'smoke' | 'rollback' | 'tag' | 'notify-outcome';

export type StageResult = 'succeeded' | 'failed' | 'skipped' | 'planned' | 'rolled-back' | 'warning';

export interface StageRecord {
  key: StageKey;
  title: string;
  result: StageResult;
  startedAt?: number;
  finishedAt?: number;
  /** One line: what happened. */
  detail: string;
  links: { text: string; url: string }[];
}

export type ReleaseResult = 'succeeded' | 'failed' | 'rolled-back' | 'planned';

export interface ReleaseReport {
  environment: string;
  sha: string;
  result: ReleaseResult;
  failedStage?: StageKey;
  failureReason?: string;
  imageRef?: string;
  /** The own image of each service that has one in the config, by service. */
  serviceImageRefs?: Record<string, string>;
  taskDefinitionArns: Record<string, string>;
  tag?: string;
  stages: StageRecord[];
  deploy?: DeployReport;
  rollback?: DeployReport;
  startedAt: number;
  finishedAt: number;
}
