import type { DeployReport } from '@ecs-ship/ecs';

import type { StageName } from './rules.js';

export type { StageName };

/** The stages as the summary and the logs show them, in order; rollback and the final notice appear when they run. */
export type StageKey =
  | 'notify'
  | 'image'
  | 'snapshot'
  | 'migrate'
  | 'deploy'
  | 'notify-failure'
  | 'smoke'
  | 'rollback'
  | 'tag'
  | 'notify-outcome';

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

/** A snapshot as the deployment record keeps it (its payload's `snapshot`). */
export interface SnapshotRecord {
  id: string;
  /** `instance` (an RDS DB instance) or `cluster` (an Aurora cluster). */
  kind: 'instance' | 'cluster';
  /** The instance or cluster it is of. */
  database: string;
  arn?: string;
}

/** `superseded`: another update replaced the release's deployment (the stages after the deploy did not run). */
export type ReleaseResult = 'succeeded' | 'failed' | 'rolled-back' | 'superseded' | 'planned';

export interface ReleaseReport {
  environment: string;
  sha: string;
  result: ReleaseResult;
  failedStage?: StageKey;
  failureReason?: string;
  imageRef?: string;
  taskDefinitionArns: Record<string, string>;
  tag?: string;
  /** The snapshot taken before the migration and the deploy, once available: what a rollback restores. */
  snapshot?: SnapshotRecord;
  stages: StageRecord[];
  deploy?: DeployReport;
  rollback?: DeployReport;
  startedAt: number;
  finishedAt: number;
}
