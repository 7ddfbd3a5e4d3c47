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

export function writeResults(path: string, results: Results): void {
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}
