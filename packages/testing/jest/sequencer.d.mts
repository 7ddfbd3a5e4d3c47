/** Types for sequencer.mjs, which Jest loads as it is. */
export const RUNS_LONG: string;

export default class LongRunsFirst {
  constructor(options: { contexts: unknown[]; globalConfig: unknown });
  sort<T extends { path: string; duration?: number }>(tests: T[]): T[];
}
