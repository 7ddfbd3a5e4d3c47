/** Where the message comes from: the runner's well-known variables. */
export interface RunContext {
  serverUrl: string;
  repository?: string;
  branch?: string;
  sha?: string;
  actor?: string;
  workflow?: string;
  runId?: string;
  runAttempt?: string;
}

export function runContextFromEnv(env: NodeJS.ProcessEnv): RunContext {
  const value = (name: string) => (env[name]?.trim() ? env[name]!.trim() : undefined);
  return {
    serverUrl: (value('GITHUB_SERVER_URL') ?? 'https://github.com').replace(/\/+$/, ''),
    repository: value('GITHUB_REPOSITORY'),
    // A pull request's head branch says more than its merge ref (refs/pull/12/merge).
    branch:
      value('GITHUB_HEAD_REF') ?? value('GITHUB_REF_NAME') ?? value('GITHUB_REF')?.replace(/^refs\/(heads|tags)\//, ''),
    sha: value('GITHUB_SHA'),
    actor: value('GITHUB_ACTOR'),
    workflow: value('GITHUB_WORKFLOW'),
    runId: value('GITHUB_RUN_ID'),
    runAttempt: value('GITHUB_RUN_ATTEMPT'),
  };
}

export function repositoryUrl(run: RunContext): string | undefined {
  return run.repository ? `${run.serverUrl}/${run.repository}` : undefined;
}

export function commitUrl(run: RunContext): string | undefined {
  return run.repository && run.sha ? `${run.serverUrl}/${run.repository}/commit/${run.sha}` : undefined;
}

export function runUrl(run: RunContext): string | undefined {
  if (!run.repository || !run.runId) return undefined;
  const attempt = run.runAttempt && run.runAttempt !== '1' ? `/attempts/${run.runAttempt}` : '';
  return `${run.serverUrl}/${run.repository}/actions/runs/${run.runId}${attempt}`;
}
