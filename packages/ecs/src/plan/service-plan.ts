/**
 * What a deploy would change in one service, for people: the settings that matter at a glance with their old and new
 * values (CPU, memory, images, ports, health check, the deployment settings), the environment variables and secrets
 * by name only, and every other changed key by its place only.
 *
 * Values are shown only where they are configuration rather than data. An environment value may have come from the
 * `environment` input, which workflows feed from `secrets.*`: the runner masks those in the log, but nothing masks a
 * pull-request comment, which on a public repository anyone can read. Secrets in a task definition are references,
 * but where a value is read from is nobody's business in a comment either. A variable's name says what changed; its
 * value is in the template's own diff when it comes from the repository.
 */
import type { DeploymentConfiguration } from '@aws-sdk/client-ecs';
import { diffTaskDefinitions, normaliseTaskDefinition, type DefinitionChange } from '../taskdef/compare.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A setting whose values are shown: before and after, as text. */
export interface SettingChange {
  /** The container it belongs to; none for the task's and the deployment's own settings. */
  container?: string;
  setting: string;
  before?: string;
  after?: string;
}

/** Names of environment variables or secrets of one container that were added, removed or changed. */
export interface NameChanges {
  container: string;
  kind: 'environment' | 'secrets';
  added: string[];
  removed: string[];
  changed: string[];
}

export interface ServicePlan {
  service: string;
  /** The revision the service runs (`family:N`). */
  running: string;
  /** A deployment would start (a new revision, a forced deployment or a new desired count). */
  deploys: boolean;
  /** A new revision of this family would be registered. */
  registers: boolean;
  family: string;
  /** Task and container settings shown with their values. */
  settings: SettingChange[];
  /** Environment variables and secrets, by name only. */
  names: NameChanges[];
  /** Every other changed key, by its place in the task definition (values not shown). */
  others: string[];
  /** Deployment settings that the update would change. */
  deployment: SettingChange[];
}

export interface PlanInput {
  service: string;
  running: string;
  /** The definition the service runs and the one that would be registered, as RegisterTaskDefinition takes them. */
  current: Record<string, unknown>;
  next: Record<string, unknown>;
  deploys: boolean;
  registers: boolean;
  /** The service's deployment configuration now and as the update would send it. */
  configuration: { before?: DeploymentConfiguration; after?: DeploymentConfiguration };
  desiredCount: { before?: number; after?: number };
  forced: boolean;
  /** What the update would change in the service's own settings (`service.propagateTags`, ...). */
  serviceSettings?: DefinitionChange[];
}

/** Task-level settings shown with values. */
const TASK_SETTINGS: [string, string][] = [
  ['family', 'Family'],
  ['cpu', 'Task CPU'],
  ['memory', 'Task memory'],
  ['networkMode', 'Network mode'],
  ['requiresCompatibilities', 'Launch types'],
  ['runtimePlatform', 'Platform'],
  ['ephemeralStorage', 'Ephemeral storage'],
  ['taskRoleArn', 'Task role'],
  ['executionRoleArn', 'Execution role'],
];

/** Container settings shown with values. */
const CONTAINER_SETTINGS: [string, string][] = [
  ['image', 'image'],
  ['cpu', 'CPU'],
  ['memory', 'memory'],
  ['memoryReservation', 'memory reservation'],
  ['essential', 'essential'],
  ['portMappings', 'ports'],
  ['healthCheck', 'health check'],
];

export function planService(input: PlanInput): ServicePlan {
  const before = normaliseTaskDefinition(input.current) as JsonObject;
  const after = normaliseTaskDefinition(input.next) as JsonObject;
  const settings: SettingChange[] = [];
  const names: NameChanges[] = [];
  /** Places whose change is already told above; the rest go to `others`. */
  const told: string[] = [];

  for (const [field, label] of TASK_SETTINGS) {
    told.push(field);
    if (!same(before[field], after[field])) settings.push(change(label, before[field], after[field], field));
  }

  const oldContainers = containersByName(before);
  const newContainers = containersByName(after);
  for (const [name, container] of newContainers) {
    const old = oldContainers.get(name);
    if (!old) {
      told.push(`containerDefinitions[${name}]`);
      settings.push({ container: name, setting: 'container', after: `added, ${show(container.image) ?? 'no image'}` });
      continue;
    }
    for (const [field, label] of CONTAINER_SETTINGS) {
      told.push(`containerDefinitions[${name}].${field}`);
      if (!same(old[field], container[field])) {
        settings.push({ container: name, ...change(label, old[field], container[field], field) });
      }
    }
    for (const kind of ['environment', 'secrets'] as const) {
      told.push(`containerDefinitions[${name}].${kind}`);
      const found = nameChanges(name, kind, old[kind], container[kind]);
      if (found) names.push(found);
    }
  }
  for (const [name, old] of oldContainers) {
    if (newContainers.has(name)) continue;
    told.push(`containerDefinitions[${name}]`);
    settings.push({ container: name, setting: 'container', before: show(old.image) ?? 'no image', after: 'removed' });
  }

  const others = [
    ...new Set(
      diffTaskDefinitions(input.current, input.next)
        .map((d) => d.path)
        .filter(
          (path) =>
            !told.some((place) => path === place || path.startsWith(`${place}.`) || path.startsWith(`${place}[`)),
        )
        // Unkeyed lists change as a whole: `mountPoints`, not `mountPoints[0].sourceVolume`.
        .map((path) => path.replace(/\[\d+\].*$/, '')),
    ),
  ];

  return {
    service: input.service,
    running: input.running,
    deploys: input.deploys,
    registers: input.registers,
    family: String(after.family ?? before.family ?? ''),
    settings,
    names,
    others,
    deployment: input.deploys ? deploymentChanges(input) : [],
  };
}

function deploymentChanges(input: PlanInput): SettingChange[] {
  const changes: SettingChange[] = [];
  const { before, after } = input.configuration;
  const breaker = [breakerText(before), breakerText(after)];
  if (breaker[0] !== breaker[1]) changes.push({ setting: 'Circuit breaker', before: breaker[0], after: breaker[1] });
  const alarms = [alarmsText(before), alarmsText(after)];
  if (alarms[0] !== alarms[1]) changes.push({ setting: 'Alarms', before: alarms[0], after: alarms[1] });
  const strategy = [before?.strategy ?? 'ROLLING', after?.strategy ?? before?.strategy ?? 'ROLLING'];
  if (strategy[0] !== strategy[1]) changes.push({ setting: 'Strategy', before: strategy[0], after: strategy[1] });
  const count = input.desiredCount;
  if (count.after !== undefined && count.after !== count.before) {
    changes.push({ setting: 'Desired count', before: String(count.before ?? '—'), after: String(count.after) });
  }
  for (const setting of input.serviceSettings ?? []) {
    changes.push({
      setting: `Service ${setting.path.replace(/^service\./, '')}`,
      before: setting.before,
      after: setting.after,
    });
  }
  if (input.forced && !input.registers) {
    changes.push({ setting: 'Deployment', after: 'forced, with the revision it runs' });
  }
  return changes;
}

function breakerText(configuration?: DeploymentConfiguration): string {
  const breaker = configuration?.deploymentCircuitBreaker;
  if (!breaker?.enable) return 'off';
  return breaker.rollback ? 'on, rolls back' : 'on, no rollback';
}

function alarmsText(configuration?: DeploymentConfiguration): string {
  const alarms = configuration?.alarms;
  if (!alarms?.enable || !alarms.alarmNames?.length) return 'none';
  return `${alarms.alarmNames.join(', ')}${alarms.rollback ? ' (rolls back)' : ''}`;
}

function containersByName(definition: JsonObject): Map<string, JsonObject> {
  const list = Array.isArray(definition.containerDefinitions) ? definition.containerDefinitions : [];
  return new Map(list.map((c) => [String((c as JsonObject).name), c as JsonObject]));
}

function nameChanges(
  container: string,
  kind: NameChanges['kind'],
  before?: Json,
  after?: Json,
): NameChanges | undefined {
  const read = (list?: Json) =>
    new Map((Array.isArray(list) ? list : []).map((item) => [String((item as JsonObject).name), JSON.stringify(item)]));
  const old = read(before);
  const now = read(after);
  const added = [...now.keys()].filter((name) => !old.has(name));
  const removed = [...old.keys()].filter((name) => !now.has(name));
  const changed = [...now.keys()].filter((name) => old.has(name) && old.get(name) !== now.get(name));
  return added.length + removed.length + changed.length > 0 ? { container, kind, added, removed, changed } : undefined;
}

function change(setting: string, before: Json | undefined, after: Json | undefined, field: string): SettingChange {
  return { setting, before: show(before, field), after: show(after, field) };
}

function same(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A value as a person reads it. */
function show(value: Json | undefined, field?: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (field === 'portMappings' && Array.isArray(value)) return value.map((m) => port(m as JsonObject)).join(', ');
  if (field === 'healthCheck' && typeof value === 'object') return healthCheck(value as JsonObject);
  if (field === 'runtimePlatform' && typeof value === 'object' && !Array.isArray(value)) {
    return [value.operatingSystemFamily, value.cpuArchitecture].filter(Boolean).join(' / ');
  }
  if (field === 'ephemeralStorage' && typeof value === 'object' && !Array.isArray(value)) {
    return `${String(value.sizeInGiB)} GiB`;
  }
  if (Array.isArray(value)) return value.map((item) => show(item) ?? '').join(', ');
  if (typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => `${k}: ${show(v) ?? ''}`)
      .join(', ');
  }
  return String(value);
}

function port(mapping: JsonObject): string {
  const text = `${String(mapping.containerPort ?? '?')}/${String(mapping.protocol ?? 'tcp')}`;
  const host = mapping.hostPort !== undefined ? ` (host ${String(mapping.hostPort)})` : '';
  const app = mapping.appProtocol !== undefined ? ` ${String(mapping.appProtocol)}` : '';
  const label = mapping.name !== undefined ? ` "${String(mapping.name)}"` : '';
  return `${text}${host}${app}${label}`;
}

/** `curl -f http://localhost/health, every 30 s, timeout 5 s, 3 retries, start period 60 s` */
function healthCheck(check: JsonObject): string {
  const command = Array.isArray(check.command) ? check.command.map(String) : [];
  const run = command[0] === 'CMD-SHELL' || command[0] === 'CMD' ? command.slice(1) : command;
  const parts = [run.join(' ')];
  if (check.interval !== undefined) parts.push(`every ${String(check.interval)} s`);
  if (check.timeout !== undefined) parts.push(`timeout ${String(check.timeout)} s`);
  if (check.retries !== undefined) parts.push(`${String(check.retries)} retries`);
  if (check.startPeriod !== undefined) parts.push(`start period ${String(check.startPeriod)} s`);
  return parts.join(', ');
}
