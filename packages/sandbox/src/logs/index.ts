// The CloudWatch Logs module (awsJson1_1, `Logs_20140328`): groups, streams, and the reads a log follower uses.
import type * as sdk from '@aws-sdk/client-cloudwatch-logs';
import { AwsError, type AwsJsonModule, type Handlers, type Operation, type ServiceDefinition } from '../core/module.js';
import { guardJsonTypes } from '../core/json-shapes.js';
import { logsSectionSchema, type LogsSection } from './scenario.js';
import { LogStore } from './store.js';

export { LogStore } from './store.js';
export type { LogsSection } from './scenario.js';

export type LogsModule = AwsJsonModule & { state: LogStore };

/** The CloudWatch Logs operations the sandbox serves, typed by the AWS SDK's shapes. */
export interface LogsOperations {
  CreateLogGroup: Operation<sdk.CreateLogGroupRequest, object>;
  CreateLogStream: Operation<sdk.CreateLogStreamRequest, object>;
  DeleteLogGroup: Operation<sdk.DeleteLogGroupRequest, object>;
  PutLogEvents: Operation<sdk.PutLogEventsRequest, sdk.PutLogEventsResponse>;
  GetLogEvents: Operation<sdk.GetLogEventsRequest, sdk.GetLogEventsResponse>;
  FilterLogEvents: Operation<sdk.FilterLogEventsRequest, sdk.FilterLogEventsResponse>;
  DescribeLogStreams: Operation<sdk.DescribeLogStreamsRequest, sdk.DescribeLogStreamsResponse>;
  DescribeLogGroups: Operation<sdk.DescribeLogGroupsRequest, sdk.DescribeLogGroupsResponse>;
}

export const logsService: ServiceDefinition<LogsSection, LogsModule, 'logs'> = {
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
      handlers: guardJsonTypes(handlers(store)),
      mutating: new Set(['CreateLogGroup', 'CreateLogStream', 'PutLogEvents', 'DeleteLogGroup']),
      state: store,
    };
  },
};

function handlers(store: LogStore): Handlers<LogsOperations> {
  return {
    CreateLogGroup: (input, ctx) => {
      store.createGroup(ctx.region, required(input.logGroupName, 'logGroupName'));
      return {};
    },
    CreateLogStream: (input, ctx) => {
      store.createStream(ctx.region, input.logGroupName, required(input.logStreamName, 'logStreamName'));
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

/** A required member, or the validation error AWS gives when it is missing. */
function required(value: string | undefined, member: string): string {
  if (value === undefined || value === '') {
    throw new AwsError(
      'InvalidParameterException',
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}
