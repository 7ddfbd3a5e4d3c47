import { writeFileSync } from 'node:fs';
import type { Figure } from './figures.js';
import type { Machine } from './machine.js';

export interface Results {
  mode: 'full' | 'quick';
  startedAt: string;
  durationMs: number;
  machine: Machine;
  figures: Figure[];
}

/** Timings are taken to fractions of a microsecond; two decimals are all that mean anything. */
function rounded(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 100) / 100 : value;
}

export function resultsJson(results: Results): string {
  return `${JSON.stringify(results, rounded, 2)}\n`;
}

export function writeResults(path: string, results: Results): void {
  writeFileSync(path, resultsJson(results));
}
