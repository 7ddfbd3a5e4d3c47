// The CloudWatch Logs module (awsJson1_1, `Logs_20140328`): groups, streams, and the reads a log follower uses.
import type { AwsJsonModule, CallContext, ServiceDefinition } from '../core/module.js';
import { checkShapes } from '../ecs/shapes.js';
import { logsSectionSchema, type LogsSection } from './scenario.js';
import { LogStore } from './store.js';

export { LogStore } from './store.js';
export type { LogsSection } from './scenario.js';

export type LogsModule = AwsJsonModule & { state: LogStore };

type Handler = (input: any, ctx: CallContext) => unknown;

export const logsService: ServiceDefinition<LogsSection, LogsModule> = {
  key: 'logs',
  schema: logsSectionSchema,
  create(section, env) {
    const store = new LogStore(() => env.clock.now(), env.accountId);
    for (const group of section.groups) {
      const region = group.region ?? env.defaultRegion;
      store.createGroup(region, group.name, group.retentionInDays);
      for (const stream of group.streams) {
        store.createStream(region, group.name, stream.name);
        if (stream.lines.length > 0) store.append(region, group.name, stream.name, stream.lines);
      }
    }
    return {
      protocol: 'json',
      signingName: 'logs',
      targetPrefix: 'Logs_20140328',
      handlers: guarded(handlers(store)),
      mutating: new Set(['CreateLogGroup', 'CreateLogStream', 'PutLogEvents', 'DeleteLogGroup']),
      state: store,
    };
  },
};

function handlers(store: LogStore): Record<string, Handler> {
  return {
    CreateLogGroup: (input, ctx) => {
      store.createGroup(ctx.region, input.logGroupName, input.retentionInDays);
      return {};
    },
    CreateLogStream: (input, ctx) => {
      store.createStream(ctx.region, input.logGroupName, input.logStreamName);
      return {};
    },
    DeleteLogGroup: (input, ctx) => {
      store.deleteGroup(ctx.region, input.logGroupName);
      return {};
    },
    PutLogEvents: (input, ctx) => store.putLogEvents(ctx.region, input),
    GetLogEvents: (input, ctx) => store.getLogEvents(ctx.region, input),
    FilterLogEvents: (input, ctx) => store.filterLogEvents(ctx.region, input),
    DescribeLogStreams: (input, ctx) => store.describeLogStreams(ctx.region, input),
    DescribeLogGroups: (input, ctx) => store.describeLogGroups(ctx.region, input),
  };
}

/** Every handler first refuses members of the wrong JSON type. */
function guarded(table: Record<string, Handler>): Record<string, Handler> {
  return Object.fromEntries(
    Object.entries(table).map(([operation, handler]) => [operation, (input, ctx) => handler(checkShapes(input), ctx)]),
  );
}
