/** A shape of AWS's API model, reduced to what checking a JSON value against it needs. */
export type ShapeSpec =
  | { type: 'structure'; members: Record<string, string>; required?: string[] }
  | { type: 'list'; member: string }
  | { type: 'map'; value: string }
  | { type: 'string' | 'integer' | 'long' | 'boolean' | 'double' | 'float' | 'timestamp' };
