import type { ZodType } from 'zod';

/** Adapts a zod schema to `InputReader.json` / `yaml`: the first issue becomes the input's problem. */
export function zodValidator<T>(
  schema: ZodType<T>,
  fix = 'Correct the value',
): (value: unknown) => { value: T } | { problem: string; fix: string } {
  return (value) => {
    const result = schema.safeParse(value);
    if (result.success) return { value: result.data };
    const issue = result.error.issues[0]!;
    const where = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    return { problem: `${issue.message}${where}`, fix };
  };
}
