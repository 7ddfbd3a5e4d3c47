import { releaseBody } from '../src/release-body.js';

const sha = '4f6a0e1c9b2d8a7f3e5c1b0d9a8f7e6d5c4b3a21';

describe('releaseBody', () => {
  it('names the commit, the environment and the run, and lists the details', () => {
    const body = releaseBody({
      sha,
      environment: 'production',
      runUrl: 'https://github.com/acme/shop/actions/runs/1',
      details: { image: 'shop@sha256:ab|cd', revisions: { web: 7, worker: 3 } },
    });
    expect(body).toBe(
      [
        `Commit \`${sha}\` released to **production** by [this workflow run](https://github.com/acme/shop/actions/runs/1).`,
        '',
        '| Detail | Value |',
        '| --- | --- |',
        '| image | `shop@sha256:ab\\|cd` |',
        '| revisions | `{"web":7,"worker":3}` |',
      ].join('\n'),
    );
  });

  it('has no table without details', () => {
    expect(releaseBody({ sha, details: {} })).toBe(`Commit \`${sha}\` released.`);
  });

  it("stays under GitHub's body limit with huge details, and says what was left out", () => {
    const details = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`item${i}`, 'x'.repeat(2000)]));
    const body = releaseBody({ sha, details });
    expect(body.length).toBeLessThan(70_000);
    expect(body).toMatch(/\| … \| \d+ more left out \(the release body has a size limit\) \|$/);
  });
});
