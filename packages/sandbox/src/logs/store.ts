// CloudWatch Logs state: log groups, streams and events per region, and the read operations with AWS's paging rules.
// ECS writes task output here (`append`); the Logs module serves it.
import type * as sdk from '@aws-sdk/client-cloudwatch-logs';
import { AwsError } from '../core/module.js';
import { compilePattern } from './filter-pattern.js';
import {
  checkLimit,
  compareKey,
  MAX_EVENTS,
  offsetToken,
  parseFilterToken,
  parseToken,
  takeBackward,
  takeForward,
  token,
} from './pages.js';

export { compilePattern } from './filter-pattern.js';

export interface LogEvent {
  timestamp: number; // epoch ms, as Logs reports it
  message: string;
  ingestionTime: number;
  /** Order of arrival across the whole store: breaks timestamp ties and keys FilterLogEvents tokens. */
  seq: number;
}

export interface LogStream {
  name: string;
  createdAt: number;
  events: LogEvent[];
}

export interface LogGroup {
  name: string;
  createdAt: number;
  retentionInDays?: number;
  streams: Map<string, LogStream>;
}

export class LogStore {
  private readonly regions = new Map<string, Map<string, LogGroup>>();
  private seq = 0;

  constructor(
    private readonly now: () => number,
    readonly accountId: string,
  ) {}

  groups(region: string): Map<string, LogGroup> {
    let groups = this.regions.get(region);
    if (!groups) this.regions.set(region, (groups = new Map()));
    return groups;
  }

  groupArn(region: string, name: string): string {
    return `arn:aws:logs:${region}:${this.accountId}:log-group:${name}`;
  }

  createGroup(region: string, name: string, retentionInDays?: number): LogGroup {
    const groups = this.groups(region);
    if (groups.has(name))
      throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists');
    const group: LogGroup = { name, createdAt: this.now(), streams: new Map(), retentionInDays };
    groups.set(name, group);
    return group;
  }

  createStream(region: string, groupName: string | undefined, name: string): LogStream {
    const group = this.group(region, groupName);
    if (group.streams.has(name)) {
      throw new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
    }
    const stream: LogStream = { name, createdAt: this.now(), events: [] };
    group.streams.set(name, stream);
    return stream;
  }

  /** Writes lines the way a container's log driver does: group and stream appear on the first write. */
  append(region: string, groupName: string, streamName: string, messages: readonly string[], timestamp?: number): void {
    const groups = this.groups(region);
    let group = groups.get(groupName);
    if (!group) groups.set(groupName, (group = { name: groupName, createdAt: this.now(), streams: new Map() }));
    let stream = group.streams.get(streamName);
    if (!stream) group.streams.set(streamName, (stream = { name: streamName, createdAt: this.now(), events: [] }));
    const ingestionTime = this.now();
    for (const message of messages) {
      stream.events.push({ timestamp: timestamp ?? ingestionTime, message, ingestionTime, seq: this.seq++ });
    }
  }

  /** All messages of a stream (for tests); empty when the stream does not exist. */
  messages(region: string, groupName: string, streamName: string): string[] {
    return (
      this.groups(region)
        .get(groupName)
        ?.streams.get(streamName)
        ?.events.map((e) => e.message) ?? []
    );
  }

  group(region: string, name: string | undefined): LogGroup {
    const group = name === undefined ? undefined : this.groups(region).get(groupNameOf(name));
    if (!group) throw new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
    return group;
  }

  stream(region: string, groupName: string | undefined, name: string | undefined): LogStream {
    const stream = name === undefined ? undefined : this.group(region, groupName).streams.get(name);
    if (!stream) throw new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.');
    return stream;
  }

  /** GetLogEvents: positional tokens `f/<n>/s` (read forward from event n) and `b/<n>/s` (read back from n). Reading
   *  forward past the end returns the same forward token, which is how a follower knows nothing is new. */
  getLogEvents(region: string, input: sdk.GetLogEventsRequest): sdk.GetLogEventsResponse {
    const stream = this.stream(region, input.logGroupName ?? input.logGroupIdentifier, input.logStreamName);
    const limit = checkLimit(input.limit, MAX_EVENTS);
    const events = stream.events.filter(
      (e) =>
        (input.startTime === undefined || e.timestamp >= input.startTime) &&
        (input.endTime === undefined || e.timestamp < input.endTime),
    );
    let direction: 'f' | 'b';
    let position: number;
    if (input.nextToken) {
      const parsed = parseToken(input.nextToken);
      direction = parsed.direction;
      position = Math.min(parsed.position, events.length);
    } else if (input.startFromHead) {
      direction = 'f';
      position = 0;
    } else {
      direction = 'b';
      position = events.length;
    }
    let page: LogEvent[];
    let from: number;
    let to: number;
    if (direction === 'f') {
      page = takeForward(events, position, limit);
      from = position;
      to = position + page.length;
    } else {
      page = takeBackward(events, position, limit);
      from = position - page.length;
      to = position;
    }
    return {
      events: page.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
      nextForwardToken: token('f', to),
      nextBackwardToken: token('b', from),
    };
  }

  /** FilterLogEvents across streams, in timestamp order; `nextToken` is present only while more events match. */
  filterLogEvents(region: string, input: sdk.FilterLogEventsRequest): sdk.FilterLogEventsResponse {
    const group = this.group(region, input.logGroupName ?? input.logGroupIdentifier);
    if (input.logStreamNames && input.logStreamNamePrefix !== undefined) {
      throw new AwsError(
        'InvalidParameterException',
        'Cannot specify both logStreamNames and logStreamNamePrefix in the same request.',
      );
    }
    if (input.logStreamNames && (input.logStreamNames.length < 1 || input.logStreamNames.length > 100)) {
      throw new AwsError('InvalidParameterException', 'logStreamNames must contain between 1 and 100 names.');
    }
    const limit = checkLimit(input.limit, MAX_EVENTS);
    const after = input.nextToken ? parseFilterToken(input.nextToken) : undefined;
    const matches = compilePattern(input.filterPattern);
    const streams = [...group.streams.values()].filter((s) =>
      input.logStreamNames ? input.logStreamNames.includes(s.name) : s.name.startsWith(input.logStreamNamePrefix ?? ''),
    );
    const found: { stream: string; event: LogEvent }[] = [];
    for (const stream of streams) {
      for (const event of stream.events) {
        if (input.startTime !== undefined && event.timestamp < input.startTime) continue;
        if (input.endTime !== undefined && event.timestamp > input.endTime) continue;
        if (after && compareKey(event, after) <= 0) continue;
        if (!matches(event.message)) continue;
        found.push({ stream: stream.name, event });
      }
    }
    found.sort((a, b) => compareKey(a.event, b.event));
    const page = takeForward(
      found.map((f) => f.event),
      0,
      limit,
    );
    const chosen = found.slice(0, page.length);
    const last = chosen[chosen.length - 1];
    return {
      events: chosen.map(({ stream, event }) => ({
        logStreamName: stream,
        timestamp: event.timestamp,
        message: event.message,
        ingestionTime: event.ingestionTime,
        eventId: String(event.seq).padStart(56, '0'),
      })),
      // Deprecated by AWS in 2020: the list has come back empty since.
      searchedLogStreams: [],
      ...(found.length > chosen.length && last
        ? {
            nextToken: Buffer.from(JSON.stringify({ t: last.event.timestamp, s: last.event.seq })).toString(
              'base64url',
            ),
          }
        : {}),
    };
  }

  describeLogStreams(region: string, input: sdk.DescribeLogStreamsRequest): sdk.DescribeLogStreamsResponse {
    const group = this.group(region, input.logGroupName ?? input.logGroupIdentifier);
    const orderBy = input.orderBy ?? 'LogStreamName';
    if (orderBy === 'LastEventTime' && input.logStreamNamePrefix !== undefined) {
      throw new AwsError('InvalidParameterException', 'Cannot order by LastEventTime with a logStreamNamePrefix.');
    }
    const limit = checkLimit(input.limit, 50);
    let streams = [...group.streams.values()].filter((s) => s.name.startsWith(input.logStreamNamePrefix ?? ''));
    streams.sort((a, b) =>
      orderBy === 'LogStreamName'
        ? a.name < b.name
          ? -1
          : a.name > b.name
            ? 1
            : 0
        : (a.events.at(-1)?.timestamp ?? 0) - (b.events.at(-1)?.timestamp ?? 0),
    );
    if (input.descending) streams = streams.reverse();
    const start = input.nextToken ? offsetToken(input.nextToken) : 0;
    const page = streams.slice(start, start + limit);
    const arnBase = this.groupArn(region, group.name);
    return {
      logStreams: page.map((s) => ({
        logStreamName: s.name,
        creationTime: s.createdAt,
        ...(s.events.length > 0
          ? {
              firstEventTimestamp: s.events[0]!.timestamp,
              lastEventTimestamp: s.events.at(-1)!.timestamp,
              lastIngestionTime: s.events.at(-1)!.ingestionTime,
            }
          : {}),
        arn: `${arnBase}:log-stream:${s.name}`,
        storedBytes: 0,
      })),
      ...(start + limit < streams.length ? { nextToken: `o/${start + limit}` } : {}),
    };
  }

  describeLogGroups(region: string, input: sdk.DescribeLogGroupsRequest): sdk.DescribeLogGroupsResponse {
    const limit = checkLimit(input.limit, 50);
    const groups = [...this.groups(region).values()]
      .filter((g) => g.name.startsWith(input.logGroupNamePrefix ?? ''))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const start = input.nextToken ? offsetToken(input.nextToken) : 0;
    return {
      logGroups: groups.slice(start, start + limit).map((g) => ({
        logGroupName: g.name,
        creationTime: g.createdAt,
        arn: `${this.groupArn(region, g.name)}:*`,
        logGroupArn: this.groupArn(region, g.name),
        storedBytes: 0,
        metricFilterCount: 0,
        ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}),
      })),
      ...(start + limit < groups.length ? { nextToken: `o/${start + limit}` } : {}),
    };
  }

  putLogEvents(region: string, input: sdk.PutLogEventsRequest): sdk.PutLogEventsResponse {
    const stream = this.stream(region, input.logGroupName, input.logStreamName);
    const ingestionTime = this.now();
    const events = (input.logEvents ?? []).map((e) => ({ timestamp: e.timestamp ?? 0, message: e.message ?? '' }));
    for (let i = 1; i < events.length; i++) {
      if (events[i]!.timestamp < events[i - 1]!.timestamp) {
        throw new AwsError(
          'InvalidParameterException',
          'Log events in a single PutLogEvents request must be in chronological order.',
        );
      }
    }
    for (const e of events) {
      stream.events.push({ timestamp: e.timestamp, message: e.message, ingestionTime, seq: this.seq++ });
    }
    return { nextSequenceToken: String(this.seq).padStart(56, '0') };
  }

  deleteGroup(region: string, name: string | undefined): void {
    this.group(region, name);
    this.groups(region).delete(name!);
  }
}

/** A log group identifier may be the group's ARN. */
function groupNameOf(identifier: string): string {
  const match = /^arn:aws[\w-]*:logs:[^:]*:\d*:log-group:([^:]+)(?::\*)?$/.exec(identifier);
  return match ? match[1]! : identifier;
}
