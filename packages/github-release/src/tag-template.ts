/** The values a tag template can use, e.g. `production-{date}-{sha7}`. */
export interface TemplateValues {
  /** The deployment environment; undefined when the step names none. */
  env?: string;
  /** The moment of the release (UTC is used for {date} and {time}). */
  at: Date;
  sha: string;
  /** The workflow run id (GITHUB_RUN_ID). */
  run?: string;
}

export const PLACEHOLDERS = ['env', 'date', 'time', 'sha7', 'run'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** The `{name}` placeholders a template uses, in order of appearance, including unknown ones. */
export function placeholdersIn(template: string): string[] {
  return [...template.matchAll(/\{([^{}]*)\}/g)].map((match) => match[1]!);
}

export function isPlaceholder(name: string): name is Placeholder {
  return (PLACEHOLDERS as readonly string[]).includes(name);
}

/**
 * Fills a template. `{date}` is YYYY-MM-DD and `{time}` HHMMSS, both UTC (":" is not allowed in a tag name).
 * Throws on an unknown placeholder or a missing value; callers check with `placeholdersIn` first.
 */
export function renderTagTemplate(template: string, values: TemplateValues): string {
  const iso = values.at.toISOString();
  const filled: Record<Placeholder, string | undefined> = {
    env: values.env,
    date: iso.slice(0, 10),
    time: iso.slice(11, 19).replace(/:/g, ''),
    sha7: values.sha.slice(0, 7),
    run: values.run,
  };
  return template.replace(/\{([^{}]*)\}/g, (_, name: string) => {
    if (!isPlaceholder(name)) throw new Error(`Unknown placeholder {${name}}`);
    const value = filled[name];
    if (value === undefined || value === '') throw new Error(`No value for {${name}}`);
    return value;
  });
}
