// The pure decisions of the package: names, severities, revisions and scanned digests.
import { parseRepository, isTag, isDigest } from '../src/reference.js';
import { findingsAtOrAbove, formatCounts, scannedDigests } from '../src/scan.js';
import { imageRevision } from '../src/revision.js';

describe('parseRepository', () => {
  it.each([
    ['shop/web', { name: 'shop/web' }],
    ['web', { name: 'web' }],
    [
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web',
      {
        name: 'shop/web',
        host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
        registryId: '123456789012',
        region: 'eu-west-1',
      },
    ],
    ['localhost:5000/shop/web', { name: 'shop/web', host: 'localhost:5000' }],
    ['https://127.0.0.1:5000/a-b/c_d', { name: 'a-b/c_d', host: '127.0.0.1:5000' }],
  ])('reads %s', (text, expected) => {
    expect(parseRepository(text)).toEqual(expected);
  });

  it.each(['Shop/Web', 'shop//web', 'shop/web:latest', `shop/web@sha256:${'a'.repeat(64)}`, 'a', '-shop'])(
    'refuses %s',
    (text) => {
      expect(parseRepository(text)).toEqual({ problem: expect.any(String) });
    },
  );

  it('knows tags and digests', () => {
    expect(['v1', 'v1.2.3-rc_1', 'A'.repeat(128)].every(isTag)).toBe(true);
    expect(['', '.x', '-x', 'a b', 'a'.repeat(129), 'x:y'].some(isTag)).toBe(false);
    expect(isDigest(`sha256:${'0'.repeat(64)}`)).toBe(true);
    expect(isDigest(`sha256:${'A'.repeat(64)}`)).toBe(false);
  });
});

describe('severity threshold', () => {
  it.each([
    [{ CRITICAL: 1, LOW: 3 }, 'HIGH', { CRITICAL: 1 }],
    [{ HIGH: 2, MEDIUM: 1 }, 'HIGH', { HIGH: 2 }],
    [{ MEDIUM: 4 }, 'HIGH', {}],
    [{ INFORMATIONAL: 1 }, 'INFORMATIONAL', { INFORMATIONAL: 1 }],
    [{ UNDEFINED: 2, CRITICAL: 0 }, 'UNDEFINED', { UNDEFINED: 2 }],
  ] as const)('%j at %s blocks %j', (counts, threshold, blocking) => {
    expect(findingsAtOrAbove(counts, threshold)).toEqual(blocking);
  });

  it('formats counts from the most severe', () => {
    expect(formatCounts({ LOW: 2, CRITICAL: 1 })).toBe('1 CRITICAL, 2 LOW');
    expect(formatCounts({})).toBe('no findings');
  });
});

describe('scannedDigests', () => {
  it('lists the platform images of an index, without attestations', () => {
    const index = JSON.stringify({
      manifests: [
        { digest: 'sha256:amd', platform: { os: 'linux', architecture: 'amd64' } },
        { digest: 'sha256:att', platform: { os: 'unknown', architecture: 'unknown' } },
        { digest: 'sha256:arm', platform: { os: 'linux', architecture: 'arm64' } },
      ],
    });
    expect(scannedDigests('sha256:index', index)).toEqual(['sha256:amd', 'sha256:arm']);
    expect(scannedDigests('sha256:one', '{"layers":[]}')).toEqual(['sha256:one']);
  });
});

describe('imageRevision', () => {
  const none = { manifest: async () => undefined, blob: async () => undefined };

  it('reads the manifest annotation first', async () => {
    const manifest = JSON.stringify({ annotations: { 'org.opencontainers.image.revision': 'abc' } });
    expect(await imageRevision(manifest, none)).toBe('abc');
  });

  it('follows an index to its first platform image and reads the config label', async () => {
    const index = JSON.stringify({
      manifests: [
        { digest: 'sha256:att', platform: { os: 'unknown' } },
        { digest: 'sha256:amd', platform: { os: 'linux' } },
      ],
    });
    const platform = JSON.stringify({ config: { digest: 'sha256:cfg' }, layers: [] });
    const config = Buffer.from(JSON.stringify({ config: { Labels: { 'org.opencontainers.image.revision': 'def' } } }));
    const asked: string[] = [];
    const revision = await imageRevision(index, {
      manifest: async (digest) => (asked.push(digest), digest === 'sha256:amd' ? platform : undefined),
      blob: async (digest) => (digest === 'sha256:cfg' ? config : undefined),
    });
    expect(revision).toBe('def');
    expect(asked).toEqual(['sha256:amd']);
  });

  it('is undefined when the image records no revision', async () => {
    expect(await imageRevision('{"config":{"digest":"sha256:c"}}', none)).toBeUndefined();
    expect(await imageRevision('not json', none)).toBeUndefined();
  });
});
