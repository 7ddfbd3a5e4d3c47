// The `logs` section of a scenario file: log groups (and streams with events) that exist before anything runs.
import * as z from 'zod';

const streamSchema = z
  .object({
    name: z.string().min(1),
    lines: z
      .array(z.string())
      .default([])
      .describe('Lines already in the stream, timestamped when the scenario loads.'),
  })
  .strict();

const groupSchema = z
  .object({
    name: z.string().min(1),
    region: z.string().optional(),
    retentionInDays: z.number().int().min(1).optional(),
    streams: z.array(streamSchema).default([]),
  })
  .strict();

export const logsSectionSchema = z
  .object({
    groups: z
      .array(groupSchema)
      .default([])
      .describe(
        'Log groups that exist when the scenario loads. Tasks writing with awslogs create theirs on first write.',
      ),
  })
  .strict();

export type LogsSection = z.infer<typeof logsSectionSchema>;
