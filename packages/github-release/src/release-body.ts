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
    parts.push(
      table(
        ['Detail', 'Value'],
        entries.map(([key, value]) => [key, detailValue(value)]),
      ),
    );
  }
  return parts.join('\n\n');
}

/** Strings as code (digests, ARNs), anything else as compact JSON. */
export function detailValue(value: unknown): string {
  return code(typeof value === 'string' ? value : JSON.stringify(value));
}
