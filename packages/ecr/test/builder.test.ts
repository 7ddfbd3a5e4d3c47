// Reading `docker buildx inspect` and deciding what a build may ask of the builder, without Docker.
import { checkBuilder, parseBuilder } from '../src/build.js';

// The shape buildx prints (tabwriter columns; `*` marks platforms a node was configured with).
const CONTAINER = `Name:          builder-3f1a
Driver:        docker-container
Last Activity: 2026-08-18 10:00:00 +0000 UTC

Nodes:
Name:                  builder-3f1a0
Endpoint:              unix:///var/run/docker.sock
Driver Options:        image="moby/buildkit:buildx-stable-1" network="host"
Status:                running
BuildKit daemon flags: --allow-insecure-entitlement=network.host
BuildKit version:      v0.23.2
Platforms:             linux/amd64*, linux/amd64/v2, linux/amd64/v3, linux/386, linux/arm64, linux/arm/v7
Labels:
 org.mobyproject.buildkit.worker.executor:         oci
`;
const DOCKER = `Name:   default
Driver: docker

Nodes:
Name:             default
Endpoint:         default
Status:           running
BuildKit version: v0.23.2
Platforms:        linux/amd64, linux/amd64/v2, linux/amd64/v3, linux/386
`;

describe('the builder', () => {
  test('is read from buildx inspect: the builder’s name and driver, every platform without markers', () => {
    expect(parseBuilder(CONTAINER)).toEqual({
      name: 'builder-3f1a',
      driver: 'docker-container',
      platforms: ['linux/amd64', 'linux/amd64/v2', 'linux/amd64/v3', 'linux/386', 'linux/arm64', 'linux/arm/v7'],
    });
    expect(parseBuilder(DOCKER).driver).toBe('docker');
  });

  test('docker-container: any cache, several platforms it lists, linux/arm64/v8 as linux/arm64', () => {
    expect(checkBuilder(parseBuilder(CONTAINER), { platforms: ['linux/amd64', 'linux/arm64/v8'] })).toEqual({
      exportCache: true,
    });
  });

  test('docker: the default cache is left out with a note; inline or no cache is fine', () => {
    const docker = parseBuilder(DOCKER);
    expect(checkBuilder(docker, { platforms: [] })).toEqual({
      exportCache: false,
      note: expect.stringContaining('cannot export a build cache'),
    });
    expect(checkBuilder(docker, { platforms: [], explicitCacheTo: ['type=inline'] })).toEqual({ exportCache: true });
    expect(checkBuilder(docker, { platforms: [], explicitCacheTo: [] })).toEqual({ exportCache: true });
  });

  test.each([
    [DOCKER, { platforms: ['linux/amd64'], explicitCacheTo: ['type=gha'] }, /cannot export a build cache to type=gha/],
    [DOCKER, { platforms: ['linux/amd64', 'linux/386'] }, /cannot build several platforms/],
    [DOCKER, { platforms: ['linux/arm64'] }, /cannot build linux\/arm64: it builds linux\/amd64/],
    [CONTAINER, { platforms: ['linux/s390x'] }, /"builder-3f1a" \(docker-container driver\) cannot build linux\/s390x/],
  ])('refuses what the builder cannot do (%#)', (output, request, message) => {
    expect(() => checkBuilder(parseBuilder(output), request)).toThrow(message);
  });
});
