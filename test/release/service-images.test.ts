/**
 * A release whose services each have their own image (services[].image in the config): the image stage promotes
 * each, the deploy gives each service its own, and a rollback puts each service back on its own previous image.
 * Run through the root action's bundle against the sandbox with the demo's world, three repositories added.
 */
import { REPOSITORY, SERVICES, serviceImagesRelease, serviceImagesWorld } from './helpers.js';

const GOOD = '8f2b6c41d3e5a7b9c0d2e4f6a8b0c1d3e5f7a9b2';
const BAD = 'd4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3';

/** The demo's world with one repository per service, each holding both commits; api's BAD image fails its checks. */
const world = () =>
  serviceImagesWorld([GOOD, BAD], (service, sha) =>
    service === 'api' && sha === BAD
      ? { behaviour: 'fails-health-checks', startDelay: 4, after: 6 }
      : { behaviour: 'healthy', startDelay: 4, healthyAfter: 6 },
  );

const shop = serviceImagesRelease(world);
const release = (sha: string) => shop.release(sha);
const runningImage = (service: string) => shop.runningImage(service);

test('three services with three images: each deploys its own, and a rollback restores each its own', async () => {
  const first = await release(GOOD);
  expect(first.exitCode).toBe(0);
  expect(first.outputs.result).toBe('succeeded');
  const released: Record<string, string> = {};
  for (const service of SERVICES) {
    released[service] = runningImage(service);
    expect(released[service]).toMatch(new RegExp(`/${REPOSITORY[service]}@sha256:[0-9a-f]{64}$`));
    expect(first.summary).toContain(`- Image of ${service}: [\`${released[service]}\`](`);
  }
  expect(new Set(Object.values(released)).size).toBe(3);
  // Each repository got the production tag on its own image, by manifest.
  const puts = shop.sandbox.recorder.calls().filter((call) => call.operation === 'PutImage' && call.status < 300);
  expect(puts.map((call) => (call.params as any).repositoryName).sort()).toEqual(
    ['shop', 'shop-api', 'shop-web', 'shop-worker'].sort(),
  );

  const second = await release(BAD);
  expect(second.exitCode).toBe(1);
  expect(second.outputs.result).toBe('rolled-back');
  for (const service of SERVICES) {
    await shop.sandbox.waitFor(() => runningImage(service) === released[service], {
      timeoutMs: 30_000,
      description: `${service} back on its own previous image`,
    });
  }
});
