// The tags the suite puts on what it makes in RDS: who made it (how retention recognises the suite's own snapshots,
// never anybody else's), a value unique to the request (how a retry recognises what its lost first attempt made),
// and where it came from.
import type { Tag } from '@aws-sdk/client-rds';

/** On every snapshot and restored database the suite makes: the action (or `release`) that made it. */
export const SUITE_TAG_KEY = 'ecs-ship:created-by';

/**
 * A tag with a value unique to one request. RDS's create and restore calls take no client token: when RDS acts and
 * the answer is lost, the SDK's retry is refused with "already exists" for what the first attempt made. The tag
 * tells that resource (ours: carry on with it) from one somebody else made under the same name (an error).
 */
export const REQUEST_TAG_KEY = 'ecs-ship:request-id';

/** Where a run came from, tagged on what it makes. */
export interface RunFacts {
  /** The action (or `release`) making the resource. */
  createdBy: string;
  environment?: string;
  repository?: string;
  runId?: string;
  sha?: string;
}

/** The suite's tags for a run, from the runner's variables. */
export function suiteTags(facts: RunFacts): Record<string, string> {
  const tags: Record<string, string> = { [SUITE_TAG_KEY]: facts.createdBy };
  if (facts.environment) tags['ecs-ship:environment'] = facts.environment;
  if (facts.repository) tags['ecs-ship:repository'] = facts.repository;
  if (facts.runId) tags['ecs-ship:run-id'] = facts.runId;
  if (facts.sha) tags['ecs-ship:sha'] = facts.sha;
  return tags;
}

/** The run facts the runner's variables give. */
export function runFacts(createdBy: string, env: NodeJS.ProcessEnv, environment?: string): RunFacts {
  return { createdBy, environment, repository: env.GITHUB_REPOSITORY, runId: env.GITHUB_RUN_ID, sha: env.GITHUB_SHA };
}

/** Whether a tag key is one the suite writes (and so never copies from one database to another). */
export function isSuiteTag(key: string): boolean {
  return key.startsWith('ecs-ship:');
}

export function tagMap(list: Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
}

export function tagList(tags: Record<string, string>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
