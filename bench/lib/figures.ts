/** One line of the bench table: what was measured, how, the goal and whether it was met. */
export interface Figure {
  figure: string;
  how: string;
  goal: string;
  measured: string;
  /** true: goal met; false: missed; null: the figure is reported without a goal, or could not be measured. */
  pass: boolean | null;
  /** The raw numbers behind `measured`, for results.json. */
  values?: Record<string, unknown>;
  /** Why the figure could not be measured. */
  error?: string;
}

export function failedFigure(figure: string, how: string, goal: string, error: unknown): Figure {
  const message = error instanceof Error ? error.message : String(error);
  return { figure, how, goal, measured: 'not measured', pass: false, error: message.split('\n')[0] ?? message };
}

export function verdict(pass: boolean | null): string {
  if (pass === null) return 'reported';
  return pass ? 'pass' : 'FAIL';
}
