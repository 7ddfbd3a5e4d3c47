// Failure diagnosis: the stopped tasks of a failed rollout, their reasons, exit codes and last log lines.
export * from './stopped-tasks.js';
export * from './report.js';
