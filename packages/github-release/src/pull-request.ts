// The pull request a workflow run was started for, read from the runner's event: light (no Octokit), so that an
// action can know it while it reads its inputs.
import { readFileSync } from 'node:fs';

/** The events whose payload names a pull request that a step may comment on. */
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);

export interface PullRequestRun {
  number: number;
  event: 'pull_request' | 'pull_request_target';
  /** The head branch lives in another repository than the one the workflow runs in. */
  fromFork: boolean;
  /**
   * GitHub gives this run a read-only GITHUB_TOKEN whatever the workflow declares: a `pull_request` run from a fork.
   * (`pull_request_target` runs in the base repository's context, with the permissions it declares.)
   */
  readOnlyToken: boolean;
  /** The head commit: GITHUB_SHA of a `pull_request` run is the test merge commit instead. */
  headSha?: string;
}

interface Payload {
  number?: unknown;
  pull_request?: {
    number?: unknown;
    head?: { sha?: unknown; repo?: { full_name?: unknown } | null };
    base?: { repo?: { full_name?: unknown } };
  };
}

/**
 * The pull request of this run, from GITHUB_EVENT_NAME and the payload at GITHUB_EVENT_PATH; undefined when the run
 * was started by another event (or the payload names no pull request).
 */
export function pullRequestOfRun(env: NodeJS.ProcessEnv = process.env): PullRequestRun | undefined {
  const event = env.GITHUB_EVENT_NAME ?? '';
  if (!PULL_REQUEST_EVENTS.has(event) || !env.GITHUB_EVENT_PATH) return undefined;
  let payload: Payload;
  try {
    payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Payload;
  } catch {
    return undefined;
  }
  const pr = payload.pull_request;
  const number = Number(pr?.number ?? payload.number);
  if (!Number.isInteger(number) || number <= 0) return undefined;
  const base = String(pr?.base?.repo?.full_name ?? env.GITHUB_REPOSITORY ?? '').toLowerCase();
  // A head repository that was deleted comes as null: it was a fork.
  const head = pr?.head?.repo?.full_name;
  const fromFork = typeof head !== 'string' || head.toLowerCase() !== base;
  return {
    number,
    event: event as PullRequestRun['event'],
    fromFork,
    readOnlyToken: fromFork && event === 'pull_request',
    headSha: typeof pr?.head?.sha === 'string' ? pr.head.sha : undefined,
  };
}
