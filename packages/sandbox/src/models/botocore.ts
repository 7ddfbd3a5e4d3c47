// AWS's own API models, as botocore (the AWS CLI's core) ships them: `<botocore>/data/<service>/<version>/
// service-2.json(.gz)` and `waiters-2.json`. Read where they are installed, never copied into the repository.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** One shape of a model (the members the validator reads). */
export interface Shape {
  type: string;
  members?: Record<string, MemberRef>;
  required?: string[];
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  enum?: string[];
  pattern?: string;
  min?: number;
  max?: number;
  flattened?: boolean;
  locationName?: string;
  exception?: boolean;
  fault?: boolean;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  timestampFormat?: string;
  document?: boolean;
  union?: boolean;
}

export interface MemberRef {
  shape: string;
  locationName?: string;
  flattened?: boolean;
  location?: string;
}

export interface OperationModel {
  name: string;
  input?: { shape: string };
  output?: { shape: string; resultWrapper?: string };
  errors?: { shape: string }[];
}

export interface ServiceModel {
  metadata: {
    apiVersion: string;
    protocol: string;
    signingName?: string;
    endpointPrefix: string;
    targetPrefix?: string;
    serviceId: string;
  };
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

export interface WaiterModel {
  delay: number;
  maxAttempts: number;
  operation: string;
  acceptors: { state: 'success' | 'failure' | 'retry'; matcher: string; argument?: string; expected: unknown }[];
}

/** Where the models were looked for, for the message when they are missing. */
const HOW_TO_INSTALL =
  'The AWS API models (botocore) are needed to check the sandbox: install the AWS CLI with `pip install awscli` ' +
  "(or Debian's `apt-get install python3-botocore`), or set BOTOCORE_DATA to a botocore `data` folder. " +
  '.ci/run installs them.';

let dataFolder: string | undefined;

/** Where the last lookup found the folder: asking Python takes most of a second, and every test file asks. */
const REMEMBERED = join(tmpdir(), 'ecs-ship-botocore-data');

/** The botocore `data` folder: $BOTOCORE_DATA, the one Python's botocore imports, or Debian's. */
export function botocoreData(): string {
  if (dataFolder) return dataFolder;
  if (!process.env.BOTOCORE_DATA) {
    const remembered = existsSync(REMEMBERED) ? readFileSync(REMEMBERED, 'utf8').trim() : '';
    if (remembered && existsSync(join(remembered, 'ecs'))) return (dataFolder = remembered);
  }
  const candidates: string[] = [];
  if (process.env.BOTOCORE_DATA) candidates.push(process.env.BOTOCORE_DATA);
  for (const python of ['python3', 'python']) {
    try {
      const folder = execFileSync(python, ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 20_000,
      }).trim();
      if (folder) candidates.push(join(folder, 'data'));
      break;
    } catch {
      // no Python, or no botocore for it: try the next one
    }
  }
  candidates.push('/usr/lib/python3/dist-packages/botocore/data');
  const found = candidates.find((folder) => existsSync(join(folder, 'ecs')));
  if (!found) throw new Error(`${HOW_TO_INSTALL} Looked in: ${candidates.join(', ')}.`);
  if (!process.env.BOTOCORE_DATA) writeFileSync(REMEMBERED, found);
  dataFolder = found;
  return found;
}

const models = new Map<string, ServiceModel>();

/** A service's newest model (`ecs`, `ecr`, `logs`, `rds`, ...), by botocore's folder name. */
export function serviceModel(service: string): ServiceModel {
  const cached = models.get(service);
  if (cached) return cached;
  const model = readWithoutDocumentation(newestVersionFile(service, 'service-2.json'));
  models.set(service, model);
  return model;
}

/**
 * A service model without its `documentation` strings, which nothing here reads. Most of the models' 4.4 MB is that
 * prose, and every test file's sandbox reads the models when it starts: the prose cost each start about 35 ms of CPU.
 * The copy without it is kept in the temporary folder, named by the source file's path, size and modification time,
 * so a newer botocore is read afresh; it is written under another name and renamed, so processes reading side by
 * side see a whole file or none.
 */
function readWithoutDocumentation(file: string): ServiceModel {
  const { size, mtimeMs } = statSync(file);
  // The rule below is part of the name too, so that a copy made by another rule is never read.
  const key = createHash('sha256')
    .update(`${file} ${size} ${mtimeMs} without documentation strings`)
    .digest('hex')
    .slice(0, 16);
  const copy = join(tmpdir(), 'ecs-ship-botocore-models', `${key}.json`);
  if (existsSync(copy)) return JSON.parse(readFileSync(copy, 'utf8')) as ServiceModel;
  // Only the prose: a member named `documentation` would be an object (no model of botocore's has one today).
  const model = JSON.parse(readMaybeGzipped(file), (name, value: unknown) =>
    name === 'documentation' && typeof value === 'string' ? undefined : value,
  ) as ServiceModel;
  mkdirSync(dirname(copy), { recursive: true });
  const partial = `${copy}.${process.pid}`;
  writeFileSync(partial, JSON.stringify(model));
  renameSync(partial, copy);
  return model;
}

/** A service's waiters, by name (`ServicesStable`, `TasksRunning`, ...). */
export function waiterModels(service: string): Record<string, WaiterModel> {
  const file = newestVersionFile(service, 'waiters-2.json');
  return (JSON.parse(readMaybeGzipped(file)) as { waiters: Record<string, WaiterModel> }).waiters;
}

/** botocore's retry rules (`_retry.json`): among them the throttling error codes and their HTTP status. */
export function retryDefinitions(): Record<string, { applies_when?: { response?: Record<string, unknown> } }> {
  const file = join(botocoreData(), '_retry.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { definitions: Record<string, never> }).definitions;
}

function newestVersionFile(service: string, name: string): string {
  const folder = join(botocoreData(), service);
  if (!existsSync(folder)) throw new Error(`botocore has no model for "${service}" in ${botocoreData()}.`);
  const versions = readdirSync(folder).sort().reverse();
  for (const version of versions) {
    for (const file of [join(folder, version, name), join(folder, version, `${name}.gz`)]) {
      if (existsSync(file)) return file;
    }
  }
  throw new Error(`botocore has no ${name} for "${service}" in ${folder}.`);
}

function readMaybeGzipped(file: string): string {
  const bytes = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}
