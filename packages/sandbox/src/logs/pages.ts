// CloudWatch Logs' paging rules: limits, the 1 MB page size, and the tokens each read operation hands out.
import { AwsError } from '../core/module.js';
import type { LogEvent } from './store.js';

export const MAX_EVENTS = 10_000;
const MAX_BYTES = 1_048_576;
/** CloudWatch Logs counts each event as its UTF-8 message plus 26 bytes. */
const EVENT_OVERHEAD = 26;

export function checkLimit(limit: number | undefined, max: number): number {
  if (limit === undefined) return max;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new AwsError(
      'InvalidParameterException',
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and ${max}`,
    );
  }
  return limit;
}

export function eventBytes(e: LogEvent): number {
  return Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD;
}

export function takeForward(events: readonly LogEvent[], from: number, limit: number): LogEvent[] {
  const page: LogEvent[] = [];
  let bytes = 0;
  for (let i = from; i < events.length && page.length < limit; i++) {
    const size = eventBytes(events[i]!);
    if (bytes + size > MAX_BYTES && page.length > 0) break;
    bytes += size;
    page.push(events[i]!);
  }
  return page;
}

export function takeBackward(events: readonly LogEvent[], before: number, limit: number): LogEvent[] {
  const page: LogEvent[] = [];
  let bytes = 0;
  for (let i = before - 1; i >= 0 && page.length < limit; i--) {
    const size = eventBytes(events[i]!);
    if (bytes + size > MAX_BYTES && page.length > 0) break;
    bytes += size;
    page.unshift(events[i]!);
  }
  return page;
}

export function token(direction: 'f' | 'b', position: number): string {
  return `${direction}/${String(position).padStart(56, '0')}/s`;
}

export function parseToken(value: string): { direction: 'f' | 'b'; position: number } {
  const match = /^([fb])\/(\d{1,56})\/s$/.exec(value);
  if (!match) throw new AwsError('InvalidParameterException', 'The specified nextToken is invalid.');
  return { direction: match[1] as 'f' | 'b', position: Number(match[2]) };
}

export function parseFilterToken(value: string): { timestamp: number; seq: number } {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as { t: unknown; s: unknown };
    if (typeof parsed.t === 'number' && typeof parsed.s === 'number') return { timestamp: parsed.t, seq: parsed.s };
  } catch {
    // falls through to the error AWS gives
  }
  throw new AwsError('InvalidParameterException', 'The specified nextToken is invalid.');
}

export function offsetToken(value: string): number {
  const match = /^o\/(\d+)$/.exec(value);
  if (!match) throw new AwsError('InvalidParameterException', 'The specified nextToken is invalid.');
  return Number(match[1]);
}

export function compareKey(a: { timestamp: number; seq: number }, b: { timestamp: number; seq: number }): number {
  return a.timestamp - b.timestamp || a.seq - b.seq;
}
