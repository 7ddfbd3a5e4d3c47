/** `${{ }}` evaluation with GitHub's own expression library, and the status functions a step's `if:` uses. */
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';

export type JobStatus = 'success' | 'failure' | 'cancelled';

export interface ExpressionContext {
  github: Record<string, unknown>;
  env: Record<string, string>;
  vars: Record<string, string>;
  secrets: Record<string, string>;
  inputs: Record<string, unknown>;
  needs: Record<string, { result: string; outputs: Record<string, string> }>;
  steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }>;
  job: { status: JobStatus };
  runner: Record<string, string>;
  matrix: Record<string, unknown>;
  strategy: Record<string, unknown>;
}

const CONTEXT_NAMES = [
  'github',
  'env',
  'vars',
  'secrets',
  'inputs',
  'needs',
  'steps',
  'job',
  'runner',
  'matrix',
  'strategy',
];

function statusFunctions(status: () => JobStatus): Map<string, FunctionDefinition> {
  const boolean = (name: string, call: () => boolean): [string, FunctionDefinition] => [
    name.toLowerCase(),
    { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(call()) },
  ];
  return new Map([
    boolean('success', () => status() === 'success'),
    boolean('failure', () => status() === 'failure'),
    boolean('always', () => true),
    boolean('cancelled', () => status() === 'cancelled'),
    ['hashfiles', { name: 'hashFiles', minArgs: 1, maxArgs: 255, call: () => new data.StringData('') }],
  ]);
}

function toData(context: ExpressionContext): data.Dictionary {
  return JSON.parse(JSON.stringify(context), data.reviver) as data.Dictionary;
}

/** Evaluates one expression (without the `${{ }}`) to plain JSON. */
export function evaluate(expression: string, context: ExpressionContext): unknown {
  const lexed = new Lexer(expression).lex();
  const functions = statusFunctions(() => context.job.status);
  const infos = [...functions.values()].map(({ name, minArgs, maxArgs }) => ({ name, minArgs, maxArgs }));
  const parsed = new Parser(lexed.tokens, CONTEXT_NAMES, infos).parse();
  const result = new Evaluator(parsed, toData(context), functions).evaluate();
  return JSON.parse(JSON.stringify(result, data.replacer)) as unknown;
}

/** Replaces every `${{ expr }}` in a string, as the runner does in `with:`, `env:` and `run:`. */
export function interpolate(text: string, context: ExpressionContext): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) =>
    stringify(evaluate(expression.trim(), context)),
  );
}

/** `if:` conditions: a bare expression or one wrapped in `${{ }}`; without a status function, `success() &&` is implied. */
export function condition(text: string | boolean | undefined, context: ExpressionContext): boolean {
  if (text === undefined) return context.job.status === 'success';
  if (typeof text === 'boolean') return text && context.job.status === 'success';
  let expression = text.trim();
  const wrapped = /^\$\{\{([\s\S]*)\}\}$/.exec(expression);
  if (wrapped) expression = wrapped[1]!.trim();
  if (!/\b(success|failure|always|cancelled)\s*\(/.test(expression)) expression = `success() && (${expression})`;
  return truthy(evaluate(expression, context));
}

function truthy(value: unknown): boolean {
  return !(value === false || value === null || value === 0 || value === '' || value === undefined);
}

function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value, null, 2);
  return String(value);
}
