// Smoke checks: validate checks, probe them over HTTP(S) with warm-up, samples and version verification, report.
export * from './types.js';
export * from './check-spec.js';
export * from './parse-checks.js';
export * from './status.js';
export * from './json-path.js';
export * from './version.js';
export * from './evaluate.js';
export * from './network-errors.js';
export * from './http.js';
export * from './limiter.js';
export * from './stats.js';
export * from './engine.js';
export * from './summary.js';
