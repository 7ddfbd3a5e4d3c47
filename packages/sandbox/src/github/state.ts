// What the sandbox's GitHub repository holds: commits, refs, tag objects, releases, deployments and their statuses,
// issues and pull requests (one numbering) and the comments on them.
import { createHash } from 'node:crypto';
import type { GithubSection } from './scenario.js';
import type { IssuedToken } from './tokens.js';

export interface Commit {
  sha: string;
  message: string;
  author: string;
  date: string;
  pr?: number;
}

export interface Ref {
  ref: string;
  sha: string;
  type: 'commit' | 'tag';
}

export interface TagObject {
  sha: string;
  tag: string;
  message: string;
  object: { sha: string; type: string };
  tagger: { name: string; email: string; date: string };
}

export interface Release {
  id: number;
  tag_name: string;
  target_commitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  latest: boolean;
  created_at: string;
  published_at: string | null;
}

export interface DeploymentStatus {
  id: number;
  state: string;
  description: string;
  environment: string;
  environment_url: string;
  log_url: string;
  target_url: string;
  created_at: string;
}

export interface Deployment {
  id: number;
  sha: string;
  ref: string;
  task: string;
  payload: unknown;
  environment: string;
  original_environment: string;
  description: string | null;
  transient_environment: boolean;
  production_environment: boolean;
  created_at: string;
  statuses: DeploymentStatus[];
}

/** An issue or a pull request: GitHub numbers both in one sequence, and a pull request is an issue too. */
export interface Issue {
  number: number;
  title: string;
  author: string;
  state: 'open' | 'closed';
  /** Set for a pull request. */
  pullRequest?: { head: string; fork: boolean };
}

export interface Author {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

export interface IssueComment {
  id: number;
  issue: number;
  body: string;
  author: Author;
  created_at: string;
  updated_at: string;
}

/** Who writes through an installation token (every job's GITHUB_TOKEN): GitHub Actions' bot. */
export const ACTIONS_BOT: Author = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

export class GithubState {
  readonly owner: string;
  readonly repo: string;
  readonly commits: Commit[];
  readonly refs = new Map<string, Ref>();
  readonly tagObjects = new Map<string, TagObject>();
  readonly releases: Release[] = [];
  readonly deployments: Deployment[] = [];
  readonly issues = new Map<number, Issue>();
  readonly comments: IssueComment[] = [];
  /** Installation tokens handed out through POST /app/installations/{id}/access_tokens, by token. */
  readonly issuedTokens = new Map<string, IssuedToken>();
  private nextId = 1;

  constructor(readonly section: GithubSection) {
    const [owner = 'acme', repo = 'shop'] = section.repository.split('/');
    this.owner = owner;
    this.repo = repo;
    const start = Date.now() - section.commits.length * 60_000;
    this.commits = section.commits.map((c, i) => ({
      sha: c.sha,
      message: c.message,
      author: c.author,
      pr: c.pr,
      date: c.date ?? new Date(start + i * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    }));
    const head = this.commits.at(-1);
    if (head)
      this.refs.set(`refs/heads/${section.defaultBranch}`, {
        ref: `refs/heads/${section.defaultBranch}`,
        sha: head.sha,
        type: 'commit',
      });
    for (const tag of section.tags)
      this.refs.set(`refs/tags/${tag.name}`, { ref: `refs/tags/${tag.name}`, sha: tag.sha, type: 'commit' });
    this.seedReleases(section);
    this.seedDeployments(section);
    this.seedIssues(section);
  }

  private seedIssues(section: GithubSection): void {
    const add = (issue: Issue) => {
      if (this.issues.has(issue.number)) throw new Error(`github: #${issue.number} is given twice`);
      this.issues.set(issue.number, issue);
    };
    for (const { head, fork, ...rest } of section.pullRequests) add({ ...rest, pullRequest: { head, fork } });
    for (const issue of section.issues) add(issue);
    const start = Date.now() - section.comments.length * 1000;
    section.comments.forEach((seeded, i) => {
      if (!this.issues.has(seeded.issue)) throw new Error(`github.comments: no issue or pull request #${seeded.issue}`);
      const at = new Date(start + i * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const author: Author = seeded.bot
        ? { login: seeded.author, id: 90_000_000 + i, type: 'Bot' }
        : { login: seeded.author, id: 10_000 + i, type: 'User' };
      this.comments.push({
        id: this.commentId(),
        issue: seeded.issue,
        body: seeded.body,
        author,
        created_at: at,
        updated_at: at,
      });
    });
  }

  /** Comment ids grow with every comment, as GitHub's do: the oldest comment has the smallest id. */
  commentId(): number {
    return this.id() + 3_000_000_000;
  }

  private seedReleases(section: GithubSection): void {
    const head = this.commits.at(-1)?.sha;
    for (const seeded of section.releases) {
      const ref = `refs/tags/${seeded.tag}`;
      const sha = this.resolve(ref) ?? seeded.sha ?? head;
      if (!sha || !this.commit(sha)) throw new Error(`github.releases: no commit for release ${seeded.tag}`);
      if (!this.refs.has(ref)) this.refs.set(ref, { ref, sha, type: 'commit' });
      const created = nowIso();
      this.releases.push({
        id: this.id() + 100_000_000,
        tag_name: seeded.tag,
        target_commitish: section.defaultBranch,
        name: seeded.name ?? seeded.tag,
        body: seeded.body ?? null,
        draft: false,
        prerelease: seeded.prerelease,
        latest: true,
        created_at: created,
        published_at: created,
      });
    }
  }

  private seedDeployments(section: GithubSection): void {
    for (const seeded of section.deployments) {
      const ref = seeded.ref ?? this.commits.at(-1)?.sha ?? '';
      const sha = this.resolve(ref);
      if (!sha) throw new Error(`github.deployments: no commit for ref ${ref}`);
      const created = nowIso();
      this.deployments.push({
        id: this.id() + 1_000_000_000,
        sha,
        ref,
        task: 'deploy',
        payload: seeded.payload,
        environment: seeded.environment,
        original_environment: seeded.environment,
        description: seeded.description ?? null,
        transient_environment: false,
        production_environment: seeded.environment === 'production',
        created_at: created,
        statuses: seeded.statuses.map((state) => ({
          id: this.id() + 2_000_000_000,
          state,
          description: '',
          environment: seeded.environment,
          environment_url: '',
          log_url: '',
          target_url: '',
          created_at: created,
        })),
      });
    }
  }

  id(): number {
    return this.nextId++;
  }

  commit(sha: string): Commit | undefined {
    return this.commits.find((c) => c.sha === sha);
  }

  /** A commit sha for a commit-ish: full or abbreviated sha, branch, tag (annotated tags are peeled), refs/... */
  resolve(commitish: string): string | undefined {
    if (/^[0-9a-f]{7,40}$/.test(commitish)) {
      const found = this.commits.filter((c) => c.sha.startsWith(commitish));
      if (found.length === 1) return found[0]?.sha;
    }
    const candidates = commitish.startsWith('refs/')
      ? [commitish]
      : [`refs/heads/${commitish}`, `refs/tags/${commitish}`];
    for (const name of candidates) {
      const ref = this.refs.get(name);
      if (ref) return this.peel(ref.sha);
    }
    return undefined;
  }

  /** The commit a tag object (or a chain of them) points at. */
  peel(sha: string): string | undefined {
    let current = sha;
    for (let depth = 0; depth < 10; depth++) {
      const tag = this.tagObjects.get(current);
      if (!tag) return this.commit(current) ? current : undefined;
      current = tag.object.sha;
    }
    return undefined;
  }

  /** Whether `ancestor` is `descendant` or comes before it in the (linear) history. */
  isAncestor(ancestor: string | undefined, descendant: string | undefined): boolean {
    const from = this.commits.findIndex((c) => c.sha === ancestor);
    const to = this.commits.findIndex((c) => c.sha === descendant);
    return from >= 0 && to >= 0 && from <= to;
  }

  /** Commits after `from` (exclusive) up to `to` (inclusive), oldest first. */
  range(from: string | undefined, to: string): Commit[] {
    const end = this.commits.findIndex((c) => c.sha === to);
    const start = from ? this.commits.findIndex((c) => c.sha === from) : -1;
    return end < 0 ? [] : this.commits.slice(start + 1, end + 1);
  }

  createTagObject(input: Omit<TagObject, 'sha'>): TagObject {
    const sha = createHash('sha1')
      .update(`tag ${input.tag}\nobject ${input.object.sha}\n${input.message}\n${this.nextId}`)
      .digest('hex');
    const tag = { ...input, sha };
    this.tagObjects.set(sha, tag);
    return tag;
  }

  /** The release marked latest: the newest published, non-prerelease one not created with make_latest=false. */
  latestRelease(): Release | undefined {
    return this.releases.filter((r) => r.latest && !r.draft && !r.prerelease).at(-1);
  }
}

export function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
