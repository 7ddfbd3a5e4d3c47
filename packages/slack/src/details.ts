/**
 * The `details` input: outputs of this suite's other steps, as JSON, turned into typed sections. A workflow passes
 * `${{ toJSON(steps.deploy.outputs) }}` (one step) or an object of them keyed by a name of its choice
 * (`{"deploy": ..., "smoke": ...}`). Step outputs are strings, so values that hold JSON (task-definition-arns,
 * report) are parsed again. Each group is recognised by the outputs it carries, not by its name.
 */

export interface ServiceChange {
  service: string;
  taskDefinition?: string;
  previousTaskDefinition?: string;
  deploymentId?: string;
  /** From the deploy's `service-states`: where the service stands when the step ended. */
  state?: string;
  detail?: string;
  serviceArn?: string;
}

export interface DeployDetails {
  kind: 'deploy';
  title: string;
  result?: string;
  failureReason?: string;
  changed?: string;
  services: ServiceChange[];
}

export interface SmokeCheck {
  name: string;
  passed?: boolean;
  attempts?: number;
  statusCodes: string[];
  p50?: number;
  p95?: number;
  max?: number;
  detail?: string;
}

export interface SmokeDetails {
  kind: 'smoke';
  title: string;
  result?: string;
  failedChecks: string[];
  checks: SmokeCheck[];
  /** Versions the checks saw, and the one expected (smoke-test's expect-version). */
  versionsSeen: string[];
  expectedVersion?: string;
}

export interface ImageDetails {
  kind: 'image';
  title: string;
  image?: string;
  digest?: string;
  imageRef?: string;
  tags: string[];
  pushed?: string;
}

export interface MigrationDetails {
  kind: 'migration';
  title: string;
  taskArn?: string;
  exitCode?: string;
  stopCode?: string;
  snapshotId?: string;
  snapshotArn?: string;
  logUrl?: string;
  durationSeconds?: string;
}

export interface ReleaseDetails {
  kind: 'release';
  title: string;
  tag?: string;
  tagSha?: string;
  releaseUrl?: string;
  releaseId?: string;
  deploymentId?: string;
}

/** Outputs of a step this package does not know: shown as they are. */
export interface OtherDetails {
  kind: 'other';
  title: string;
  entries: [string, string][];
}

export type DetailSection =
  DeployDetails | SmokeDetails | ImageDetails | MigrationDetails | ReleaseDetails | OtherDetails;

type Parsed<T> = { value: T } | { problem: string; fix: string };

/** The output names of the suite's actions, by the section they make. */
const SIGNATURES: [DetailSection['kind'], string[]][] = [
  [
    'deploy',
    [
      'task-definition-arns',
      'previous-task-definition-arns',
      'deployment-ids',
      'service-states',
      'failure-reason',
      'changed',
    ],
  ],
  ['smoke', ['report', 'failed-checks', 'version-seen']],
  ['image', ['image-ref', 'digest', 'image', 'pushed']],
  ['migration', ['task-arn', 'exit-code', 'stop-code', 'snapshot-id', 'log-url']],
  ['release', ['tag', 'tag-sha', 'release-url', 'release-id', 'deployment-id']],
];
/** Outputs whose value is itself a JSON object: their presence marks one step's outputs, not a group of steps. */
const OBJECT_OUTPUTS = [
  'task-definition-arns',
  'previous-task-definition-arns',
  'deployment-ids',
  'service-states',
  'report',
];

const FIX = 'Pass ${{ toJSON(steps.<id>.outputs) }}, or a JSON object of them such as {"deploy": ..., "smoke": ...}';

export function parseDetails(value: unknown): Parsed<DetailSection[]> {
  const top = asObject(value);
  if (!top) return { problem: 'it is not a JSON object', fix: FIX };
  const groups: [string, Record<string, unknown>][] = [];
  const grouped =
    Object.keys(top).length > 0 &&
    Object.values(top).every((v) => asObject(v) !== undefined) &&
    !OBJECT_OUTPUTS.some((key) => key in top);
  if (!grouped) {
    groups.push(['', top]);
  } else {
    for (const [name, group] of Object.entries(top)) {
      groups.push([name, asObject(group)!]);
    }
  }
  return { value: groups.map(([name, outputs]) => toSection(name, outputs)) };
}

function toSection(name: string, outputs: Record<string, unknown>): DetailSection {
  const kind = SIGNATURES.find(([, names]) => names.some((n) => n in outputs))?.[0];
  const text = (key: string) => scalar(outputs[key]);
  const title = name ? humanize(name) : '';
  switch (kind) {
    case 'deploy':
      return {
        kind,
        title: title || 'Deployment',
        result: text('result'),
        failureReason: text('failure-reason'),
        changed: text('changed'),
        services: serviceChanges(outputs),
      };
    case 'smoke': {
      const report = maybeJson(outputs.report);
      const reportObject = asObject(report);
      const seen = listOf(outputs['version-seen']);
      return {
        kind,
        title: title || 'Smoke tests',
        result: text('result'),
        failedChecks: listOf(outputs['failed-checks']),
        checks: smokeChecks(report),
        versionsSeen: seen.length > 0 ? seen : listOf(reportObject?.versionsSeen),
        expectedVersion: scalar(reportObject?.expectedVersion),
      };
    }
    case 'image':
      return {
        kind,
        title: title || 'Image',
        image: text('image'),
        digest: text('digest'),
        imageRef: text('image-ref'),
        tags: listOf(outputs.tags),
        pushed: text('pushed'),
      };
    case 'migration':
      return {
        kind,
        title: title || 'Migration',
        taskArn: text('task-arn'),
        exitCode: text('exit-code'),
        stopCode: text('stop-code'),
        snapshotId: text('snapshot-id'),
        snapshotArn: text('snapshot-arn'),
        logUrl: text('log-url'),
        durationSeconds: text('duration-seconds'),
      };
    case 'release':
      return {
        kind,
        title: title || 'Release',
        tag: text('tag'),
        tagSha: text('tag-sha'),
        releaseUrl: text('release-url'),
        releaseId: text('release-id'),
        deploymentId: text('deployment-id'),
      };
    default:
      return {
        kind: 'other',
        title: title || 'Details',
        entries: Object.entries(outputs)
          .map(([key, v]): [string, string] => [key, scalar(v) ?? JSON.stringify(v)])
          .filter(([, v]) => v !== ''),
      };
  }
}

/** task-definition-arns and friends are JSON objects keyed by service (or a single ARN for one service). */
function serviceChanges(outputs: Record<string, unknown>): ServiceChange[] {
  const current = keyed(outputs['task-definition-arns']);
  const previous = keyed(outputs['previous-task-definition-arns']);
  const deployments = keyed(outputs['deployment-ids']);
  const states = asObject(outputs['service-states']) ?? {};
  const names = [
    ...new Set([
      ...Object.keys(current),
      ...Object.keys(previous),
      ...Object.keys(deployments),
      ...Object.keys(states),
    ]),
  ];
  return names.map((service) => {
    const state = asObject(states[service]);
    return {
      service,
      taskDefinition: current[service],
      previousTaskDefinition: previous[service],
      deploymentId: deployments[service],
      ...(state
        ? { state: scalar(state.state), detail: scalar(state.detail), serviceArn: scalar(state['service-arn']) }
        : {}),
    };
  });
}

function keyed(value: unknown): Record<string, string> {
  const parsed = maybeJson(value);
  const object = asObject(parsed);
  if (object) {
    return Object.fromEntries(
      Object.entries(object)
        .map(([k, v]) => [k, scalar(v)] as const)
        .filter((e): e is [string, string] => e[1] !== undefined),
    );
  }
  const single = scalar(parsed);
  return single ? { [serviceOf(single)]: single } : {};
}

/** `arn:aws:ecs:...:task-definition/web:12` → `web`, the family standing in for the service's name. */
function serviceOf(arn: string): string {
  return revisionOf(arn).split(':')[0] ?? arn;
}

/** `arn:aws:ecs:...:task-definition/web:12` → `web:12`. */
export function revisionOf(arn: string): string {
  const slash = arn.lastIndexOf('task-definition/');
  return slash >= 0 ? arn.slice(slash + 'task-definition/'.length) : arn;
}

/**
 * The smoke-test report: `{checks: [...]}` or a bare array. Field names are read loosely (name/url, passed/ok/result,
 * latency under `latency` or at the top), so that a report that gains fields still renders.
 */
function smokeChecks(report: unknown): SmokeCheck[] {
  const object = asObject(report);
  const list = Array.isArray(report) ? report : Array.isArray(object?.checks) ? object.checks : [];
  return list.flatMap((entry: unknown, index: number): SmokeCheck[] => {
    const check = asObject(entry);
    if (!check) return [];
    const latency = asObject(check.latency) ?? asObject(check.latencyMs) ?? check;
    const result = scalar(check.result ?? check.status)?.toLowerCase();
    const passed =
      typeof check.passed === 'boolean'
        ? check.passed
        : typeof check.ok === 'boolean'
          ? check.ok
          : result === 'passed' || result === 'pass'
            ? true
            : result === 'failed' || result === 'fail'
              ? false
              : undefined;
    const codes = check.statusCodes ?? check.statuses ?? check.statusCode;
    return [
      {
        name: scalar(check.name) ?? scalar(check.url) ?? `check ${index + 1}`,
        passed,
        attempts: number(check.attempts),
        statusCodes: codeList(codes),
        p50: number(latency.p50 ?? latency.p50Ms),
        p95: number(latency.p95 ?? latency.p95Ms),
        max: number(latency.max ?? latency.maxMs),
        detail: scalar(check.detail ?? check.failure ?? check.error ?? check.reason),
      },
    ];
  });
}

/** Status codes as a list or as counts by code (`{"200": 5, "503": 1}`). */
function codeList(value: unknown): string[] {
  if (Array.isArray(value)) return [...new Set(value.map((v) => String(v)))];
  const object = asObject(value);
  if (object) return Object.entries(object).map(([code, count]) => `${code}×${String(count)}`);
  const one = scalar(value);
  return one ? [one] : [];
}

function listOf(value: unknown): string[] {
  const parsed = maybeJson(value);
  if (Array.isArray(parsed)) return parsed.map((v) => scalar(v) ?? JSON.stringify(v)).filter(Boolean);
  const text = scalar(parsed);
  return text
    ? text
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

function maybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (!/^[[{]/.test(text)) return value;
  try {
    return JSON.parse(text);
  } catch {
    return value;
  }
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  const parsed = maybeJson(value);
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : undefined;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function number(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function humanize(name: string): string {
  const words = name.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
