// Programmatic API of the sandbox: start it, load scenarios, inject faults, read the recorder, wait for state.
import type { ExchangeObserver } from './core/dispatch.js';
import type { ServiceDefinition, StateOf } from './core/module.js';
import type { FaultInput, Fault } from './core/faults.js';
import type { CallFilter, RecordedCall } from './core/recorder.js';
import type { LoadedScenario, ScenarioSource } from './core/scenario.js';
import type { Principal } from './core/iam.js';
import type { SandboxSecret } from './core/extensions.js';
import { SandboxServer } from './core/server.js';
import type { ManualClock } from './ecs/manual-clock.js';
import { services as builtInServices, type BuiltInStates } from './services.js';
import { checkRequested, serviceModel, startModelCheck, type ModelViolation } from './models/index.js';

export * from './core/module.js';
export type { FaultInput, Fault } from './core/faults.js';
export type { CallFilter, RecordedCall } from './core/recorder.js';
export type { LoadedScenario, ScenarioSource } from './core/scenario.js';
export type {
  HttpOperation,
  DescribedHttpModule,
  ModuleExtras,
  FaultAnswer,
  SandboxSecret,
} from './core/extensions.js';
export { ScenarioError, loadScenario, scenarioJsonSchema } from './core/scenario.js';
export type { ExchangeObserver, Exchange, Answer } from './core/dispatch.js';
export { services, type BuiltInStates } from './services.js';
export { ManualClock } from './ecs/manual-clock.js';
export {
  CHECK_VARIABLE,
  COVERAGE_VARIABLE,
  formatViolation,
  assertNoModelViolations,
  takeAllViolations,
  violationsError,
  writeLiveCoverage,
  type ModelViolation,
} from './models/index.js';
// State types of the modules served here, as `sandbox.state(key)` returns them.
export type { SlackState, SlackPost, WebhookBehaviour, WebhookState } from './slack/index.js';
export type { GithubState, Deployment, DeploymentStatus, Release } from './github/index.js';
export type {
  EcsWorld,
  Service as EcsService,
  Task as EcsTask,
  TaskDefinition as EcsTaskDefinition,
} from './ecs/index.js';
export type { EcrState } from './ecr/index.js';
export type { LogStore } from './logs/index.js';
export type { RdsState } from './rds/index.js';
export type { AppsState } from './apps/index.js';
export type { CodeDeployState, EcsDeployment as CodeDeployDeployment } from './codedeploy/index.js';
export type { CloudwatchState } from './cloudwatch/index.js';

export { SANDBOX_ACCESS_KEY_ID, SANDBOX_SECRET_ACCESS_KEY } from './core/server.js';
export {
  accessKeyIdFor,
  evaluate as evaluatePolicy,
  PROJECT_POLICY_DIRECTORY,
  type PolicyDocument,
  type Principal,
} from './core/iam.js';

export interface StartSandboxOptions {
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  host?: string;
  /** Object, YAML text, or the path of a YAML file. */
  scenario?: ScenarioSource;
  /** Extra modules (tests); a module with the key of a built-in one replaces it. */
  services?: ServiceDefinition<any, any, any>[];
  /** Check every AWS exchange against AWS's API models (botocore). Default: on when ECS_SHIP_SANDBOX_CHECK=models. */
  checkModels?: boolean;
  /** Run every scenario on this clock, which only the caller moves (the scenario's timeScale is then ignored). */
  clock?: ManualClock;
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Named in the error when the condition is not met in time. */
  description?: string;
}

export interface Sandbox {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** The scenario in force (common keys and each module's validated section). */
  readonly scenario: LoadedScenario;
  /** The variables to export so the AWS SDK, Octokit and Slack clients reach the sandbox. */
  env(): Record<string, string>;
  /** The secrets the sandbox hands to clients right now (also at GET /_sandbox/secrets); they change with load(). */
  secrets(): SandboxSecret[];
  stop(): Promise<void>;
  /** Loads another scenario: every module's state, the recorder and the faults start over. */
  load(scenario: ScenarioSource): void;
  faults: { inject(...faults: FaultInput[]): void; clear(): void; list(): Fault[] };
  recorder: { calls(filter?: CallFilter): RecordedCall[]; mutatingCalls(): RecordedCall[]; clear(): void };
  /** Resolves once predicate holds; rejects after timeoutMs (default 10 s). */
  waitFor(predicate: () => boolean | Promise<boolean>, options?: WaitOptions): Promise<void>;
  /** A built-in module's state, typed by its key: `sandbox.state('ecs')` is the ECS world, `sandbox.state('slack')`
   *  the Slack webhooks. A module added with `services` (or replacing a built-in one): `stateOf(definition)`. */
  state<K extends keyof BuiltInStates>(key: K): BuiltInStates[K];
  /** The state of the module a definition builds, typed by the definition. */
  stateOf<D extends ServiceDefinition<any, any, any>>(definition: D): StateOf<D>;
  /** Called after every exchange with a client (the API-model check and coverage use it); returns the unsubscribe. */
  observe(observer: ExchangeObserver): () => void;
  /** With the API-model check on: the violations found since the last call, which forgets them (also at
   *  GET /_sandbox/violations). Always empty when the check is off. */
  takeViolations(): ModelViolation[];
  /** Access keys bound to IAM policies (the scenario's, the project's docs/iam by default); reset by load(). */
  iam: { bind(principal: Principal): void; unbind(accessKeyId: string): void; list(): Principal[] };
}

export async function startSandbox(options: StartSandboxOptions = {}): Promise<Sandbox> {
  const server = new SandboxServer(mergeServices(builtInServices, options.services ?? []), options.clock);
  const url = await server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  let modelCheck: ReturnType<typeof startModelCheck> | undefined;
  try {
    if (options.checkModels ?? checkRequested()) {
      modelCheck = startModelCheck(url);
      const check = modelCheck.check;
      server.observers.add((exchange) => check.observe(exchange));
      server.violations = () => check.take();
    }
    server.load(options.scenario);
    // Read the models now: reading one during an exchange would hold the clock of a fast scenario.
    if (modelCheck) for (const name of Object.keys(server.awsOperations())) serviceModel(name);
  } catch (error) {
    modelCheck?.stop();
    await server.close();
    throw error;
  }
  const port = Number(new URL(url).port);
  return {
    url,
    port,
    get scenario() {
      return server.current;
    },
    env: () => server.env(),
    secrets: () => server.secrets(),
    stop: async () => {
      modelCheck?.stop();
      await server.close();
    },
    load: (scenario) => void server.load(scenario),
    faults: {
      inject: (...faults) => server.faults.inject(...faults),
      clear: () => server.faults.clear(),
      list: () => server.faults.list(),
    },
    recorder: {
      calls: (filter) => server.recorder.calls(filter),
      mutatingCalls: () => server.recorder.mutatingCalls(),
      clear: () => server.recorder.clear(),
    },
    waitFor: (predicate, waitOptions) => waitFor(predicate, waitOptions),
    state: (key) => server.state(key) as never,
    stateOf: (definition) => server.stateOf(definition),
    takeViolations: () => server.violations(),
    observe: (observer) => {
      server.observers.add(observer);
      return () => server.observers.delete(observer);
    },
    iam: {
      bind: (principal) => server.iam.bind(principal),
      unbind: (accessKeyId) => server.iam.unbind(accessKeyId),
      list: () => server.iam.list(),
    },
  };
}

function mergeServices(
  builtIn: readonly ServiceDefinition<any, any, any>[],
  extra: readonly ServiceDefinition<any, any, any>[],
) {
  const replaced = new Set(extra.map((s) => s.key));
  return [...builtIn.filter((s) => !replaced.has(s.key)), ...extra];
}

export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  { timeoutMs = 10_000, intervalMs = 20, description = 'condition' }: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() >= deadline) throw new Error(`Sandbox: ${description} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
