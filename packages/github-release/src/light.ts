// What an action needs to check its inputs: no Octokit, no semver, nothing that slows the cold start.
export * from './ref-name.js';
export * from './tag-template.js';
export * from './deployment-state.js';
export * from './pull-request.js';
export type { MakeLatest } from './releases.js';
export type { TagChoice } from './publish.js';
export type { BumpLevel } from './semver-bump.js';
