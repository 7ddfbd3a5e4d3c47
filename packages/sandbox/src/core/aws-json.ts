// awsJson1_1 wire format: bodies are JSON, timestamps are epoch seconds, errors carry __type and x-amzn-ErrorType.

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** Serialises a handler's result; every Date becomes epoch seconds (fractional), as AWS sends timestamps. */
export function toAwsJson(value: unknown): string {
  return JSON.stringify(value ?? {}, function (this: Record<string, unknown>, key: string, replaced: unknown) {
    // JSON.stringify has already called Date#toJSON on `replaced`; the holder still has the Date itself.
    const original = this[key];
    if (original instanceof Date) return original.getTime() / 1000;
    return replaced;
  });
}

export interface WireAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function awsJsonError(code: string, message: string, status: number, requestId: string): WireAnswer {
  return {
    status,
    headers: {
      'content-type': JSON_CONTENT_TYPE,
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': code,
    },
    body: JSON.stringify({ __type: code, message }),
  };
}

export function awsJsonResult(result: unknown, requestId: string): WireAnswer {
  return {
    status: 200,
    headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId },
    body: toAwsJson(result),
  };
}
