/** Fills `{env}`, `{date}`, `{time}`, `{sha}`, `{sha7}` and `{run}` in config templates (tags, snapshot ids). */
export interface TemplateValues {
  env: string;
  sha: string;
  at: Date;
  run?: string;
}

export function renderTemplate(template: string, values: TemplateValues): string {
  const iso = values.at.toISOString();
  const filled: Record<string, string> = {
    env: values.env,
    date: iso.slice(0, 10),
    time: iso.slice(11, 19).replace(/:/g, ''),
    sha: values.sha,
    sha7: values.sha.slice(0, 7),
    run: values.run ?? 'local',
  };
  return template.replace(/\{([^{}]*)\}/g, (whole, key: string) => filled[key] ?? whole);
}
