// Runs the action with the `docker` test double (fixtures/docker-double/docker) first on PATH and reads back what it
// was asked to do.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A PATH entry whose `docker` is the test double. */
export const DOCKER_DOUBLE_DIR = fileURLToPath(new URL('../fixtures/docker-double/', import.meta.url));

export interface DockerCall {
  args: string[];
  stdin: string;
  secretEnv: Record<string, string>;
}

export class DockerDouble {
  readonly dir = mkdtempSync(join(tmpdir(), 'docker-double-'));
  readonly log = join(this.dir, 'calls.jsonl');
  readonly config = join(this.dir, 'config');

  constructor() {
    writeFileSync(this.log, '');
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      PATH: `${DOCKER_DOUBLE_DIR}:${process.env.PATH ?? ''}`,
      DOCKER_DOUBLE_LOG: this.log,
      DOCKER_CONFIG: this.config,
      ...extra,
    };
  }

  /**
   * Prepares the builder as a job's earlier steps would: docker/setup-qemu-action (`qemu`) and
   * docker/setup-buildx-action (`buildx`, a docker-container builder), by running the commands they run. Without it
   * the double is a hosted runner's bare `default` builder (docker driver). The calls are not kept in the log.
   */
  setUp(steps: { qemu?: boolean; buildx?: boolean }): this {
    const env = { ...process.env, ...this.env() };
    const docker = join(DOCKER_DOUBLE_DIR, 'docker');
    if (steps.qemu)
      execFileSync(docker, ['run', '--rm', '--privileged', 'tonistiigi/binfmt:latest', '--install', 'all'], { env });
    if (steps.buildx)
      execFileSync(docker, ['buildx', 'create', '--name', 'builder-1', '--driver', 'docker-container', '--use'], {
        env,
      });
    writeFileSync(this.log, '');
    return this;
  }

  calls(): DockerCall[] {
    return readFileSync(this.log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as DockerCall);
  }

  /** The registries `docker login` left credentials for. */
  loggedIn(): string[] {
    const file = join(this.config, 'config.json');
    if (!existsSync(file)) return [];
    return Object.keys((JSON.parse(readFileSync(file, 'utf8')) as { auths?: object }).auths ?? {});
  }
}
