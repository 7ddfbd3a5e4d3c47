/**
 * ECR figures the README quotes:
 *  1. promote makes a constant number of API calls whatever the image size (a 2-layer 4 KiB image and a 120-layer
 *     30 GiB one, by manifest);
 *  2. a repeated push-archive uploads 0 blob bytes (against Debian's docker-registry on loopback; needs
 *     `apt-get install -y docker-registry`).
 * Usage: npx tsx bench/ecr.ts [--json]   (--json: the figures as one JSON object on stdout, see lib/report.ts)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ECRClient } from '@aws-sdk/client-ecr';
import { silentLogger } from '@ecs-ship/action-kit';
import { OciLayout, RegistryClient, ensureRepository, promote, pushArchive } from '@ecs-ship/ecr';
import { startSandbox } from '@ecs-ship/sandbox';
import { REGISTRY_BINARY, startLocalRegistry } from '@ecs-ship/testing/local-registry';
import { writeOciFixture } from '@ecs-ship/testing/oci-fixture';
import {
  oneLine,
  scriptOutput,
  type EcrReport,
  type PromotedImage,
  type PushStats,
  ecrReportSchema,
} from './lib/report.js';

const { say, report } = scriptOutput();

const PASSWORD = 'bench-registry-password';

function manifestWith(layers: number, layerBytes: number, seed: string) {
  const digest = (i: number) => `sha256:${Buffer.from(`${seed}-${i}`).toString('hex').padEnd(64, '0').slice(0, 64)}`;
  return {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digest(999), size: 2048 },
    layers: Array.from({ length: layers }, (_, i) => ({
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: digest(i),
      size: layerBytes,
    })),
  };
}

async function promoteCalls(): Promise<PromotedImage[]> {
  const images = [
    { label: 'small (2 layers, 4 KiB)', manifest: manifestWith(2, 2048, 'a') },
    { label: 'large (120 layers, 30 GiB)', manifest: manifestWith(120, 256 * 1024 * 1024, 'b') },
  ];
  const sandbox = await startSandbox({
    scenario: {
      region: 'eu-west-1',
      ecr: {
        repositories: images.map((image, i) => ({
          name: `bench/r${i}`,
          images: [{ tags: ['staging'], manifest: image.manifest }],
        })),
      },
    },
  });
  Object.assign(process.env, sandbox.env());
  const client = new ECRClient({ retryMode: 'adaptive' });
  say('promote: API calls for 3 new tags, by image size');
  say('| image | calls | operations |');
  say('| --- | --- | --- |');
  const promoted: PromotedImage[] = [];
  try {
    for (const [i, image] of images.entries()) {
      sandbox.recorder.clear();
      const repository = await ensureRepository(
        client,
        { name: `bench/r${i}`, create: false, tagMutability: 'MUTABLE', scanOnPush: false, encryption: 'AES256' },
        silentLogger,
      );
      await promote(client, repository, { tag: 'staging' }, ['prod', 'v1', 'release-7'], silentLogger, {
        allowTagMove: false,
      });
      const operations = sandbox.recorder.calls().map((c) => c.operation);
      promoted.push({ image: image.label, calls: operations.length, operations });
      say(`| ${image.label} | ${operations.length} | ${operations.join(', ')} |`);
    }
    return promoted;
  } finally {
    client.destroy();
    await sandbox.stop();
  }
}

async function repeatedPush(): Promise<EcrReport['repeatedPush']> {
  say('\npush-archive: bytes uploaded, first and repeated push of a 2-platform image (6 MiB layer)');
  const work = mkdtempSync(join(tmpdir(), 'bench-ecr-'));
  let registry;
  try {
    registry = await startLocalRegistry('AWS', PASSWORD);
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    const skipped = `skipped: ${REGISTRY_BINARY} is needed (${oneLine(error)})`;
    say(skipped);
    return { error: skipped };
  }
  try {
    const fixture = await writeOciFixture(work, 'bench');
    say('| push | blobs uploaded | bytes uploaded | blobs already there | requests | ms |');
    say('| --- | --- | --- | --- | --- | --- |');
    const pushes: PushStats[] = [];
    for (const label of ['first', 'repeat']) {
      const client = new RegistryClient(registry.url, { username: 'AWS', password: PASSWORD });
      const layout = await OciLayout.open(fixture.tar, work);
      const started = performance.now();
      await pushArchive(
        client,
        layout,
        {
          repository: 'bench/web',
          tags: ['v1'],
          chunkSize: 5 * 1024 * 1024,
          mountFrom: [],
          skipExisting: false,
          mutability: 'MUTABLE',
        },
        silentLogger,
      );
      const ms = Math.round(performance.now() - started);
      await layout.close();
      const s = client.stats;
      pushes.push({
        blobsUploaded: s.blobsUploaded,
        bytesUploaded: s.bytesUploaded,
        blobsSkipped: s.blobsSkipped,
        requests: s.requests,
        ms,
      });
      say(`| ${label} | ${s.blobsUploaded} | ${s.bytesUploaded} | ${s.blobsSkipped} | ${s.requests} | ${ms} |`);
    }
    return { first: pushes[0]!, repeat: pushes[1]! };
  } finally {
    await registry.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs one part; a part that fails is reported as such and the other still runs. */
async function attempt<T>(part: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await part();
  } catch (error) {
    say(`not measured: ${oneLine(error)}`);
    return { error: oneLine(error) };
  }
}

const ecrReport: EcrReport = {
  promotion: await attempt(async () => ({ images: await promoteCalls() })),
  repeatedPush: await attempt(repeatedPush),
};
if ('error' in ecrReport.promotion || 'error' in ecrReport.repeatedPush) process.exitCode = 1;
report(ecrReportSchema, ecrReport);
