import { code, link, table } from '@ecs-ship/action-kit';

/**
 * The release body: which commit went where, and the facts earlier steps handed over (image digest, task-definition
 * revisions, ...). GitHub puts generated notes after it when `generate_release_notes` is set.
 */
export function releaseBody(input: {
  sha: string;
  environment?: string;
  details: Record<string, unknown>;
  runUrl?: string;
}): string {
  const where = input.environment ? ` to **${input.environment}**` : '';
  const by = input.runUrl ? ` by ${link('this workflow run', input.runUrl)}` : '';
  const parts = [`Commit ${code(input.sha)} released${where}${by}.`];
  const entries = Object.entries(input.details);
  if (entries.length > 0) {
    const rows: string[][] = [];
    let size = parts[0]!.length;
    for (const [key, value] of entries) {
      const row = [key, detailValue(value)];
      size += row[0]!.length + row[1]!.length + 8;
      if (size > DETAILS_LIMIT) {
        rows.push(['…', `${entries.length - rows.length} more left out (the release body has a size limit)`]);
        break;
      }
      rows.push(row);
    }
    parts.push(table(['Detail', 'Value'], rows));
  }
  return parts.join('\n\n');
}

/**
 * GitHub refuses a release body over 125,000 characters, and generated notes come on top of ours: the details
 * table stops well before that.
 */
const DETAILS_LIMIT = 60_000;

/** Strings as code (digests, ARNs), anything else as compact JSON. */
export function detailValue(value: unknown): string {
  return code(typeof value === 'string' ? value : JSON.stringify(value));
}
