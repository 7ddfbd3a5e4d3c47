import {
  commandWriter,
  debug,
  errorAnnotation,
  isDebug,
  noticeAnnotation,
  redact,
  warningAnnotation,
} from './commands.js';

/**
 * What the packages log through. They never touch the runner themselves, so the same engine runs in an action,
 * in the release pipeline, in the demo and in tests.
 */
export interface Logger {
  info(message: string): void;
  debug(message: string): void;
  warning(message: string, title?: string): void;
  error(message: string, title?: string): void;
  notice(message: string, title?: string): void;
  /**
   * Lines printed between start and end fold into one expandable group in the job log. The runner cannot nest
   * groups: a section started inside another is a sub-heading with its lines indented (see runnerLogger).
   */
  startGroup(name: string): void;
  endGroup(): void;
}

/** Sections open in the runner's log: the first is the `::group::`, the ones inside it are indented sub-sections. */
let openSections = 0;
const SUB_INDENT = '  ';

function indented(message: string): string {
  if (openSections < 2) return message;
  const indent = SUB_INDENT.repeat(openSections - 1);
  return message
    .split('\n')
    .map((line) => indent + line)
    .join('\n');
}

/**
 * Logs in the runner's format (through `@actions/core` once it is loaded): masked values are redacted first. Groups
 * never nest, whoever starts them (a release stage, then the migration's log inside it): only the outermost section
 * is a `::group::`; a section inside it prints its name as a sub-heading and indents its lines until it ends.
 */
export const runnerLogger: Logger = {
  info: (message) => commandWriter().info(indented(redact(message))),
  debug: (message) => debug(redact(message)),
  warning: (message, title) => warningAnnotation(message, { title }),
  error: (message, title) => errorAnnotation(message, { title }),
  notice: (message, title) => noticeAnnotation(message, { title }),
  startGroup: (name) => {
    if (openSections === 0) commandWriter().startGroup(redact(name));
    else commandWriter().info(indented(`▸ ${redact(name)}`));
    openSections += 1;
  },
  endGroup: () => {
    if (openSections === 0) return;
    openSections -= 1;
    if (openSections === 0) commandWriter().endGroup();
  },
};

/** A logger that keeps every line, for tests and for collecting what a stage said. */
export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  info(message: string): void {
    this.lines.push(message);
  }
  debug(message: string): void {
    if (isDebug()) this.lines.push(`debug: ${message}`);
  }
  warning(message: string): void {
    this.lines.push(`warning: ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error: ${message}`);
  }
  notice(message: string): void {
    this.lines.push(`notice: ${message}`);
  }
  startGroup(name: string): void {
    this.lines.push(`> ${name}`);
  }
  endGroup(): void {
    this.lines.push('<');
  }
}

/** A logger that prints nothing. */
export const silentLogger: Logger = {
  info: () => undefined,
  debug: () => undefined,
  warning: () => undefined,
  error: () => undefined,
  notice: () => undefined,
  startGroup: () => undefined,
  endGroup: () => undefined,
};
