/**
 * The runner cannot nest log groups: a `::group::` before the previous `::endgroup::` folds the log wrongly. Every
 * run the harness collects is read here the way the runner reads it (a command may follow leading spaces; lines
 * between `::stop-commands::<token>` and `::<token>::` are not commands), and a nested group fails the run.
 */

/** Each `::group::` that opens before the previous group ended, as `line N: "<name>" inside "<open>"`. */
export function nestedGroups(lines: readonly string[]): string[] {
  const problems: string[] = [];
  let open: string | undefined;
  let stopToken: string | undefined;
  lines.forEach((raw, index) => {
    const line = raw.trimStart();
    if (stopToken !== undefined) {
      if (line === `::${stopToken}::`) stopToken = undefined;
      return;
    }
    const stop = /^::stop-commands::(.+)$/.exec(line);
    if (stop) {
      stopToken = stop[1];
      return;
    }
    const group = /^::group::(.*)$/.exec(line);
    if (group) {
      if (open !== undefined) problems.push(`line ${index + 1}: "${group[1]}" inside "${open}"`);
      open = group[1];
    } else if (/^::endgroup::/.test(line)) {
      open = undefined;
    }
  });
  return problems;
}

export function assertGroupsDoNotNest(step: string, lines: readonly string[]): void {
  const problems = nestedGroups(lines);
  if (problems.length > 0) {
    throw new Error(`${step} opened a log group inside another, which the runner cannot show: ${problems.join('; ')}`);
  }
}
