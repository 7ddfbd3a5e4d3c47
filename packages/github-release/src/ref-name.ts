import type { Rule } from '@ecs-ship/action-kit';

/**
 * Git's rules for reference names (`git check-ref-format`), applied to a tag name before anything is written, so
 * that a bad name is refused as bad input instead of surfacing as a 422 halfway through a release.
 * Returns the first rule the name breaks, or undefined when git would accept `refs/tags/<name>`.
 */
export function tagNameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (name === '@') return 'it is the single character "@"';
  if (name.startsWith('-')) return 'it starts with "-"';
  if (name.startsWith('/') || name.endsWith('/')) return 'it starts or ends with "/"';
  if (name.includes('//')) return 'it contains "//"';
  if (name.endsWith('.')) return 'it ends with "."';
  if (name.includes('..')) return 'it contains ".."';
  if (name.includes('@{')) return 'it contains "@{"';
  const forbidden = [...name].find((char) => isControl(char) || ' ~^:?*[\\'.includes(char));
  if (forbidden !== undefined) return `it contains ${describeChar(forbidden)}`;
  for (const component of name.split('/')) {
    if (component.startsWith('.')) return `the part "${component}" starts with "."`;
    if (component.endsWith('.lock')) return `the part "${component}" ends with ".lock"`;
  }
  return undefined;
}

function isControl(char: string): boolean {
  const code = char.codePointAt(0)!;
  return code < 0x20 || code === 0x7f;
}

function describeChar(char: string): string {
  if (char === ' ') return 'a space';
  if (isControl(char)) return `the control character U+${char.codePointAt(0)!.toString(16).padStart(4, '0')}`;
  return `"${char}"`;
}

/** What a tag may contain, for error messages. */
export const TAG_NAME_RULES =
  'Use letters, digits, ".", "-", "_" and "/" (no spaces, "..", "~", "^", ":", "?", "*", "[", "\\" or "@{", no part starting with "." or ending with ".lock")';

/** A tag name git accepts: `"v1..2" is not a valid git tag name: it contains ".."`. */
export const TAG_NAME: Rule = {
  what: 'a valid git tag name',
  fix: TAG_NAME_RULES,
  refine: (name) => {
    const problem = tagNameProblem(name);
    return problem && `"${name}" is not a valid git tag name: ${problem}`;
  },
};
