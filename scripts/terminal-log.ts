/**
 * How a step's log reads in a terminal (the demo, `npm run action`): colours when the terminal has them, workflow
 * commands turned into what the runner's log view shows (groups, error, warning and notice lines), debug lines and
 * mask commands left out.
 */
import { parseCommand } from '@ecs-ship/testing/runner-protocol';

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string) => (text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
export const bold = paint('1');
export const dim = paint('2');
export const red = paint('31');
export const green = paint('32');
export const yellow = paint('33');
export const cyan = paint('36');

/** How one line of a step's log reads in the terminal; undefined hides it. */
export function narrate(line: string): string | undefined {
  const command = parseCommand(line);
  if (!command) return line.trim() ? `    ${line}` : undefined;
  switch (command.command) {
    case 'group':
      return bold(`▸ ${command.message}`);
    case 'error':
      return red(`✖ ${command.properties.title ? `${command.properties.title}: ` : ''}${command.message}`);
    case 'warning':
      return yellow(`⚠ ${command.message}`);
    case 'notice':
      return green(`ℹ ${command.message}`);
    default:
      return undefined;
  }
}

/** Calls `onLine` with each complete line a stream writes (a step's stdout), as it arrives. */
export function eachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let partial = '';
  stream.on('data', (chunk: Buffer | string) => {
    partial += chunk.toString();
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines) onLine(line);
  });
}
