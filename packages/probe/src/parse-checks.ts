import { parse, YAMLParseError } from 'yaml';
import { validateChecks, type CheckProblem, type CheckSpecOptions } from './check-spec.js';
import type { Check } from './types.js';

/** Reads checks written as YAML (inline or from a file) and validates them strictly. */
export function parseChecks(text: string, options: CheckSpecOptions): { checks: Check[]; problems: CheckProblem[] } {
  let value: unknown;
  try {
    // Duplicate keys are an error: a check that says `url:` twice is a mistake, not a choice.
    value = parse(text, { uniqueKeys: true, prettyErrors: true });
  } catch (error) {
    const message = error instanceof YAMLParseError ? error.message.split('\n')[0]! : String(error);
    return {
      checks: [],
      problems: [
        {
          problem: `it is not valid YAML (${message})`,
          fix: 'Correct the YAML: a list of "- name: ... url: ..." entries',
        },
      ],
    };
  }
  return validateChecks(value, options);
}
