// Follows one CloudWatch log stream from its head. The stream does not exist until the container writes
// (ResourceNotFoundException until then); each poll reads every new page, following nextForwardToken until it comes
// back unchanged, so that no line is lost or printed twice.
import { GetLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { randomBytes } from 'node:crypto';
import type { Logger } from '@ecs-ship/action-kit';
import type { LogLocation } from './container.js';
import { describeAwsError } from './task-definition.js';

/** A safety stop for one poll; the next poll carries on from the same token. */
const MAX_PAGES_PER_POLL = 500;

export interface LogFollowerOptions {
  /** How many of the last lines to keep for the summary and the failure message. */
  keep?: number;
  /** Print the lines as they come (otherwise they are only kept). */
  print?: boolean;
}

export class LogFollower {
  private token: string | undefined;
  private streamSeen = false;
  private warnedError = false;
  private readonly tail: string[] = [];
  private readonly keep: number;
  private readonly print: boolean;
  /** Lines read so far. */
  count = 0;

  constructor(
    private readonly client: CloudWatchLogsClient,
    readonly location: LogLocation,
    private readonly logger: Logger,
    options: LogFollowerOptions = {},
  ) {
    this.keep = options.keep ?? 50;
    this.print = options.print ?? true;
  }

  /** The last lines read, oldest first. */
  lastLines(): string[] {
    return [...this.tail];
  }

  /** Reads everything new since the last poll; returns how many lines arrived. Never throws for a missing stream. */
  async poll(): Promise<number> {
    let arrived = 0;
    for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
      let answer;
      try {
        answer = await this.client.send(
          new GetLogEventsCommand({
            logGroupName: this.location.group,
            logStreamName: this.location.stream,
            startFromHead: true,
            ...(this.token ? { nextToken: this.token } : {}),
          }),
        );
      } catch (error) {
        if ((error as Error).name === 'ResourceNotFoundException' && !this.streamSeen) return arrived;
        // The SDK has already retried; the next poll carries on from the same token, so nothing is lost.
        if (!this.warnedError) {
          this.logger.warning(
            `Could not read the task's logs (${describeAwsError(error)}); retrying on the next poll.`,
          );
          this.warnedError = true;
        }
        return arrived;
      }
      this.streamSeen = true;
      const lines = (answer.events ?? []).map((event) => (event.message ?? '').replace(/\r?\n$/, ''));
      this.emit(lines);
      arrived += lines.length;
      const next = answer.nextForwardToken;
      if (!next || next === this.token) break;
      this.token = next;
    }
    return arrived;
  }

  private emit(lines: string[]): void {
    if (lines.length === 0) return;
    this.count += lines.length;
    this.tail.push(...lines);
    if (this.tail.length > this.keep) this.tail.splice(0, this.tail.length - this.keep);
    if (!this.print) return;
    // A line from the container must not act as a workflow command (`::add-mask::`, `::error::`, `::stop-commands::`...).
    const guard = lines.some((line) => line.includes('::')) ? randomBytes(16).toString('hex') : undefined;
    if (guard) this.logger.info(`::stop-commands::${guard}`);
    for (const line of lines) this.logger.info(line);
    if (guard) this.logger.info(`::${guard}::`);
  }
}
