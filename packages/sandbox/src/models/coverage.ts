// Which AWS operations a run exercised, with which answers, and which output members the sandbox ever sent: kept per
// sandbox, written to a folder when ECS_SHIP_SANDBOX_COVERAGE names one, and merged into a report across processes.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serviceModel, type ServiceModel } from './botocore.js';

interface OperationCoverage {
  calls: number;
  /** HTTP status (or error code) → count. */
  outcomes: Record<string, number>;
  /** Output member paths sent (`services[].deployments[].rolloutState`). */
  members: string[];
}

/** service → operation → coverage. */
export type CoverageData = Record<string, Record<string, OperationCoverage>>;

export class Coverage {
  private readonly data: CoverageData = record();

  call(service: string, operation: string, status: number, errorCode?: string): void {
    const entry = this.entry(service, operation);
    entry.calls++;
    const outcome = status >= 400 ? `${status} ${errorCode ?? ''}`.trim() : String(status);
    entry.outcomes[outcome] = (entry.outcomes[outcome] ?? 0) + 1;
  }

  member(service: string, operation: string, path: string): void {
    const members = this.entry(service, operation).members;
    if (!members.includes(path)) members.push(path);
  }

  toJSON(): CoverageData {
    return this.data;
  }

  /** Writes (again) this sandbox's coverage as the file `name` of `folder`. */
  writeTo(folder: string, name: string): void {
    if (Object.keys(this.data).length === 0) return;
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${name}.json`), JSON.stringify(this.data));
  }

  private entry(service: string, operation: string): OperationCoverage {
    const operations = (this.data[service] ??= record());
    return (operations[operation] ??= { calls: 0, outcomes: record(), members: [] });
  }
}

/** A record without Object's own members: an operation named `constructor` (a client may send one) is just a key. */
function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** Merges every coverage file of a folder. */
export function readCoverage(folder: string): CoverageData {
  const merged: CoverageData = record();
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.json'))) {
    const data = JSON.parse(readFileSync(join(folder, file), 'utf8')) as CoverageData;
    for (const [service, operations] of Object.entries(data)) {
      for (const [operation, entry] of Object.entries(operations)) {
        const into = ((merged[service] ??= record())[operation] ??= { calls: 0, outcomes: record(), members: [] });
        into.calls += entry.calls;
        for (const [outcome, count] of Object.entries(entry.outcomes))
          into.outcomes[outcome] = (into.outcomes[outcome] ?? 0) + count;
        for (const member of entry.members) if (!into.members.includes(member)) into.members.push(member);
      }
    }
  }
  return merged;
}

/** A plain-text report: per service the operations the sandbox serves, how often each was called and answered
 *  what, and how many of the output members the model declares (to `depth` levels) the sandbox ever sent. */
export function coverageReport(data: CoverageData, served: Record<string, string[]>, depth = 3): string {
  const lines: string[] = [];
  for (const service of Object.keys(served).sort()) {
    const model = serviceModel(service);
    const operations = served[service]!;
    const exercised = operations.filter((op) => (data[service]?.[op]?.calls ?? 0) > 0);
    lines.push(`${service}: ${exercised.length} of the ${operations.length} operations served were exercised`);
    for (const operation of operations.sort()) {
      const entry = data[service]?.[operation];
      const declared = outputMembers(model, operation, depth);
      const sent = new Set(entry?.members ?? []);
      const covered = declared.filter((m) => sent.has(m));
      const outcomes = Object.entries(entry?.outcomes ?? {})
        .map(([outcome, count]) => `${outcome} ×${count}`)
        .join(', ');
      lines.push(
        `  ${operation.padEnd(28)} ${String(entry?.calls ?? 0).padStart(6)} calls  ` +
          `output members ${covered.length}/${declared.length}  ${outcomes || 'never called'}`,
      );
      const missing = declared.filter((m) => !sent.has(m) && m.split('.').length <= 2);
      if (entry && missing.length > 0) lines.push(`    never sent: ${missing.join(', ')}`);
    }
  }
  return lines.join('\n');
}

/** The member paths of an operation's output, to `depth` levels (list items as `[]`). */
export function outputMembers(model: ServiceModel, operation: string, depth: number): string[] {
  const output = model.operations[operation]?.output;
  const paths: string[] = [];
  const walk = (shapeName: string, prefix: string, level: number, seen: Set<string>) => {
    const shape = model.shapes[shapeName];
    if (!shape || level > depth || seen.has(shapeName)) return;
    if (shape.type === 'list') return walk(shape.member!.shape, `${prefix}[]`, level, seen);
    if (shape.type !== 'structure') return;
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      const path = prefix ? `${prefix}.${name}` : name;
      paths.push(path);
      walk(ref.shape, path, level + 1, new Set([...seen, shapeName]));
    }
  };
  if (output) walk(output.shape, '', 1, new Set());
  return paths;
}
