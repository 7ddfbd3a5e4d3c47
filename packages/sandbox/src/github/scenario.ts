// The `github` section of a scenario: one repository, its commits and tags, and the tokens that may call the API.
import { createHash } from 'node:crypto';
import * as z from 'zod';

/** The token handed out by `env()` when the scenario names none; shaped like an installation token. */
export const DEFAULT_GITHUB_TOKEN = 'ghs_sandbox0000000000000000000000000000';

const permission = z.enum(['none', 'read', 'write']);

const tokenSchema = z.strictObject({
  token: z.string().min(1),
  permissions: z
    .object({
      contents: permission.default('write').describe('Tags, refs, releases, commits'),
      deployments: permission.default('write').describe('Deployments and deployment statuses'),
      issues: permission.default('write').describe('Issues and the comments on issues'),
      'pull-requests': permission.default('write').describe('Pull requests and the comments on pull requests'),
    })
    .prefault({}),
});

const commitSchema = z.strictObject({
  sha: z.string().regex(/^[0-9a-f]{40}$/, 'a commit sha is 40 lowercase hex digits'),
  message: z.string().default('Change'),
  author: z.string().default('octocat').describe('GitHub login of the author'),
  date: z.string().optional().describe('ISO 8601; defaults to a minute apart, oldest first'),
  pr: z.number().int().positive().optional().describe('Pull request number the commit was merged in'),
});

/** Stable, readable default history, so a scenario without a `github` section is still usable. */
function defaultCommits() {
  return [
    ['Initial commit', 'octocat', undefined],
    ['feat: health endpoint', 'alice', 1],
    ['fix: retry on throttling', 'bob', 2],
  ].map(([message, author, pr]) => ({
    sha: createHash('sha1').update(String(message)).digest('hex'),
    message: message as string,
    author: author as string,
    pr: pr as number | undefined,
  }));
}

const login = z.string().min(1).describe('GitHub login');

const pullRequestSchema = z.strictObject({
  number: z.number().int().positive(),
  title: z.string().default('Change'),
  author: login.default('octocat'),
  head: z.string().min(1).default('feature').describe('Branch the pull request merges'),
  fork: z.boolean().default(false).describe('The head branch lives in a fork'),
  state: z.enum(['open', 'closed']).default('open'),
});

const issueSchema = z.strictObject({
  number: z.number().int().positive(),
  title: z.string().default('Problem'),
  author: login.default('octocat'),
  state: z.enum(['open', 'closed']).default('open'),
});

const commentSchema = z.strictObject({
  issue: z.number().int().positive().describe('Number of the issue or pull request it is on'),
  body: z.string(),
  author: login.default('octocat'),
  bot: z.boolean().default(false).describe('Written by an app (type Bot) rather than a person'),
});

export const githubSectionSchema = z.strictObject({
  serverUrl: z.url().default('https://github.com').describe('Base of html_url links'),
  repository: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'owner/name')
    .default('acme/shop'),
  defaultBranch: z.string().min(1).default('main'),
  tokens: z
    .array(tokenSchema)
    .min(1)
    .default([
      {
        token: DEFAULT_GITHUB_TOKEN,
        permissions: { contents: 'write', deployments: 'write', issues: 'write', 'pull-requests': 'write' },
      },
    ])
    .describe('Tokens the API accepts; the first one is GITHUB_TOKEN in env()'),
  commits: z
    .array(commitSchema)
    .default(defaultCommits)
    .describe('History of the default branch, oldest first; the last one is its head'),
  tags: z
    .array(z.strictObject({ name: z.string().min(1), sha: z.string().regex(/^[0-9a-f]{40}$/) }))
    .default([])
    .describe('Lightweight tags that already exist'),
  releases: z
    .array(
      z.strictObject({
        tag: z.string().min(1),
        sha: z
          .string()
          .regex(/^[0-9a-f]{40}$/)
          .optional()
          .describe('Commit the tag points at when it does not exist yet; default: the head'),
        name: z.string().optional(),
        body: z.string().optional(),
        prerelease: z.boolean().default(false),
      }),
    )
    .default([])
    .describe('Releases that already exist, oldest first (their tags are created when missing)'),
  deployments: z
    .array(
      z.strictObject({
        environment: z.string().min(1),
        ref: z.string().min(1).optional().describe('Sha, branch or tag; default: the head'),
        statuses: z
          .array(z.enum(['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success']))
          .default(['success'])
          .describe('Statuses in the order they were set'),
        payload: z.record(z.string(), z.unknown()).default({}),
        description: z.string().optional(),
      }),
    )
    .default([])
    .describe('Deployments that already exist, oldest first'),
  pullRequests: z
    .array(pullRequestSchema)
    .default([])
    .describe('Pull requests that exist (a pull request is an issue too: numbers are shared with `issues`)'),
  issues: z.array(issueSchema).default([]).describe('Issues that exist (not pull requests)'),
  comments: z
    .array(commentSchema)
    .default([])
    .describe('Comments already on those issues and pull requests, oldest first'),
});

export type GithubSection = z.output<typeof githubSectionSchema>;
export type GithubPermission = z.output<typeof permission>;
