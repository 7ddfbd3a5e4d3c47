import { releaseSummary } from '../src/summary.js';

const sha = '4f6a0e1c9b2d8a7f3e5c1b0d9a8f7e6d5c4b3a21';
const repository = { owner: 'acme', repo: 'shop' };

describe('releaseSummary', () => {
  it('links the tag, the commit, the release and the environment', () => {
    const summary = releaseSummary(
      {
        tag: { tag: 'releases/v1.10.0', tagSha: 'a'.repeat(40), commitSha: sha, created: true },
        previousTag: 'releases/v1.9.0',
        release: { id: 7, url: 'https://github.com/acme/shop/releases/tag/releases%2Fv1.10.0', created: true },
        deployment: { id: 99, state: 'success', environment: 'eu production', created: true, deactivated: [97, 98] },
      },
      repository,
      'https://github.example.com/',
    );
    expect(summary).toBe(
      [
        '## Release `releases/v1.10.0`',
        '',
        '|   |   |',
        '| --- | --- |',
        '| Tag | [releases/v1.10.0](https://github.example.com/acme/shop/tree/releases/v1.10.0) (created) |',
        `| Commit | [\`4f6a0e1\`](https://github.example.com/acme/shop/commit/${sha}) |`,
        `| Tag object | \`${'a'.repeat(40)}\` |`,
        '| Previous version | `releases/v1.9.0` |',
        '| Release | [release releases/v1.10.0](https://github.com/acme/shop/releases/tag/releases%2Fv1.10.0) (published) |',
        '| Deployment | [#99](https://github.example.com/acme/shop/deployments/eu%20production) to `eu production`: success; 2 earlier marked inactive |',
        '',
      ].join('\n'),
    );
  });

  it('says what was already there and what was not requested', () => {
    const summary = releaseSummary(
      { tag: { tag: 'v1', tagSha: sha, commitSha: sha, created: false } },
      repository,
      'https://github.com',
    );
    expect(summary).toContain('(already there)');
    expect(summary).toContain('| Release | not requested |');
    expect(summary).toContain('| Deployment | not requested |');
  });

  it('says what was done and why the rest was not, after a failure', () => {
    const summary = releaseSummary(
      { tag: { tag: 'v1', tagSha: sha, commitSha: sha, created: true } },
      repository,
      'https://github.com',
      'GitHub refused to create a deployment.',
    );
    expect(summary).toContain('## Release `v1` (incomplete)');
    expect(summary).toContain('| Deployment | not done |');
    expect(summary).toContain('**Failed:** GitHub refused to create a deployment.');
  });
});
