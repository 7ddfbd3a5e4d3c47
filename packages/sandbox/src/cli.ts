// Command line: starts the sandbox and prints the variables to export so that the AWS CLI/SDK, Octokit and the
// Slack client reach it. Stays up until Ctrl-C.
//   npm run sandbox -- --scenario packages/sandbox/scenarios/demo.yaml [--port 4566] [--host 127.0.0.1] [--env-out f]
//   npm run sandbox -- --coverage-report <folder>   (what a run with ECS_SHIP_SANDBOX_COVERAGE=<folder> exercised)
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SandboxServer } from './core/server.js';
import { services, startSandbox } from './index.js';

const USAGE = `Usage: npm run sandbox -- --scenario <file.yaml> [--port <n>] [--host <addr>] [--env-out <path>]
       npm run sandbox -- --coverage-report <folder>

  --scenario   scenario file (YAML); without it the sandbox starts with every module's defaults
  --port       TCP port (default 0: a free port)
  --host       address to listen on (default 127.0.0.1)
  --env-out   also write the export lines to this file (for scripts that start the sandbox in the background)
  --coverage-report  print which AWS operations and output members the sandboxes of a run exercised: run the tests
               with ECS_SHIP_SANDBOX_CHECK=models ECS_SHIP_SANDBOX_COVERAGE=<folder> (npm test turns the check on)

Prints "export NAME='value'" lines on stdout: eval "$(npm run -s sandbox -- --scenario f.yaml)" does not work
because the sandbox keeps running; use --env-out, or copy the lines into another shell.`;

/** A value quoted for POSIX shells. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export function exportLines(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([name, value]) => `export ${name}=${shellQuote(value)}`)
    .join('\n');
}

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** The report of a coverage folder, over the operations the built-in AWS modules serve. */
async function coverageReportOf(folder: string): Promise<string> {
  if (!existsSync(folder)) fail(`--coverage-report: no folder ${folder}`, 2);
  const { coverageReport, readCoverage } = await import('./models/index.js');
  const server = new SandboxServer(services);
  server.load(undefined);
  try {
    return coverageReport(readCoverage(folder), server.awsOperations());
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  let values: {
    scenario?: string;
    port?: string;
    host?: string;
    'env-out'?: string;
    'coverage-report'?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        scenario: { type: 'string', short: 's' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'env-out': { type: 'string' },
        'coverage-report': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`, 2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values['coverage-report'] !== undefined) {
    process.stdout.write(`${await coverageReportOf(values['coverage-report'])}\n`);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port must be a number from 0 to 65535, not "${values.port}"`, 2);

  let sandbox;
  try {
    sandbox = await startSandbox({ port, host: values.host, scenario: values.scenario });
  } catch (error) {
    fail(`sandbox: ${(error as Error).message}`, 1);
  }
  const lines = exportLines(sandbox.env());
  if (values['env-out']) writeFileSync(values['env-out'], `${lines}\n`);
  process.stdout.write(`${lines}\n`);
  process.stderr.write(
    `sandbox listening on ${sandbox.url} (recorder: ${sandbox.url}/_sandbox/calls, faults: ${sandbox.url}/_sandbox/faults, secrets: ${sandbox.url}/_sandbox/secrets). Ctrl-C stops it.\n` +
      `AWS CLI: aws --endpoint-url ${sandbox.url} ecs list-clusters\n`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`sandbox: ${signal}, stopping\n`);
    sandbox.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

await main();
