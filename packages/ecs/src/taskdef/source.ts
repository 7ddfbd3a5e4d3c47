/**
 * Where things are in a JSON file, so that an annotation can point at the offending line of a template in the pull
 * request's "Files changed" view. JSON.parse gives values without positions; jsonc-parser (the parser VS Code uses)
 * gives every node's offset, which is turned into the 1-based line and column GitHub expects.
 */
import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { JsonPath } from './shape-check.js';

export interface Position {
  line: number;
  col: number;
}

/** The line and column (both from 1) of a character offset; columns count UTF-16 code units, as GitHub's do. */
export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, Math.max(0, offset));
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, col: offset - lineStart + 1 };
}

/** The position of the value at `path` (or of its key, with `atKey`); the nearest enclosing value when it is absent. */
export function locate(text: string, path: JsonPath, atKey = false): Position | undefined {
  const root = parseTree(text);
  if (!root) return undefined;
  for (let depth = path.length; depth >= 0; depth--) {
    const node = findNodeAtLocation(root, path.slice(0, depth));
    if (!node) continue;
    const key =
      atKey && depth === path.length && node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    return positionAt(text, (key ?? node).offset);
  }
  return undefined;
}

/** The first syntax error of text that JSON.parse refused: where it is and what the parser expected. */
export function syntaxError(text: string): (Position & { expected: string }) | undefined {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return undefined;
  // `CommaExpected` → `comma expected`
  const expected = printParseErrorCode(first.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return { ...positionAt(text, first.offset), expected };
}
