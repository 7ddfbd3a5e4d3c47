// Removes the bundles that the global setup built for this test run.
import { rm } from 'node:fs/promises';

export default async function globalTeardown() {
  const bundles = process.env.ECS_SHIP_TEST_BUNDLES;
  if (bundles) await rm(bundles, { recursive: true, force: true });
}
