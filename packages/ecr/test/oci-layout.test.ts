// Opening OCI image layouts: directories, plain and gzipped tars, and what is refused.
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { OciLayout } from '../src/oci-layout.js';
import { writeOciFixture, type OciFixture } from '@ecs-ship/testing/oci-fixture';

let work: string;
let fixture: OciFixture;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'oci-layout-test-'));
  fixture = await writeOciFixture(work, 'rev-1', 64 * 1024);
});

describe('OciLayout', () => {
  it.each([
    ['a directory', () => fixture.dir],
    ['a tar', () => fixture.tar],
    [
      'a gzipped tar',
      () => {
        const path = join(work, 'image.tar.gz');
        writeFileSync(path, gzipSync(readFileSync(fixture.tar)));
        return path;
      },
    ],
  ])('opens %s and finds the image index', async (_label, path) => {
    const layout = await OciLayout.open(path(), work);
    try {
      const root = layout.rootImage();
      expect(root.descriptor.digest).toBe(fixture.indexDigest);
      const bytes = await layout.readVerified(root.descriptor);
      expect(bytes.equals(fixture.indexBytes)).toBe(true);
      for (const blob of fixture.blobs) {
        await expect(layout.verifyBlob({ mediaType: 'x', ...blob })).resolves.toBeUndefined();
      }
    } finally {
      await layout.close();
    }
  });

  it('refuses a blob whose bytes do not match its digest', async () => {
    const layout = await OciLayout.open(fixture.dir, work);
    const blob = fixture.blobs[0]!;
    await expect(layout.verifyBlob({ mediaType: 'x', digest: blob.digest, size: blob.size + 1 })).rejects.toThrow(
      /does not match its digest or size/,
    );
  });

  it('says what a layout needs when given something else', async () => {
    const empty = join(work, 'empty');
    mkdirSync(empty);
    await expect(OciLayout.open(empty, work)).rejects.toThrow(
      /is not an OCI image layout \(it needs an oci-layout file/,
    );
    const notTar = join(work, 'not.tar');
    writeFileSync(notTar, 'hello');
    await expect(OciLayout.open(notTar, work)).rejects.toThrow(/not an OCI image layout|not a readable tar/);
    await expect(OciLayout.open(join(work, 'missing.tar'), work)).rejects.toThrow(/does not exist/);
  });
});
