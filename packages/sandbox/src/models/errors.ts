// Which error codes an AWS answer may carry, with which HTTP status: those the operation declares in its model, and
// those every AWS service (or its protocol) may answer with whatever the operation.
import { retryDefinitions, type ServiceModel } from './botocore.js';

export interface ErrorRule {
  code: string;
  status: number;
}

/** The errors common to the API actions of all AWS services ("Common Errors" in each service's API reference). */
const COMMON: ErrorRule[] = [
  { code: 'AccessDeniedException', status: 400 },
  { code: 'IncompleteSignature', status: 400 },
  { code: 'InternalFailure', status: 500 },
  { code: 'InvalidAction', status: 400 },
  { code: 'InvalidClientTokenId', status: 403 },
  { code: 'NotAuthorized', status: 400 },
  { code: 'OptInRequired', status: 403 },
  { code: 'RequestExpired', status: 400 },
  { code: 'ServiceUnavailable', status: 503 },
  { code: 'ThrottlingException', status: 400 },
  { code: 'ValidationError', status: 400 },
];

/** What the awsQuery services' API references add to the common errors (RDS's "Common Errors" page). */
const QUERY: ErrorRule[] = [
  { code: 'InvalidParameterCombination', status: 400 },
  { code: 'InvalidParameterValue', status: 400 },
  { code: 'InvalidQueryParameter', status: 400 },
  { code: 'MalformedQueryString', status: 404 },
  { code: 'MissingAction', status: 400 },
  { code: 'MissingAuthenticationToken', status: 403 },
  { code: 'MissingParameter', status: 400 },
  // An IAM denial on a query service is `AccessDenied`, HTTP 403 (as IAM and STS answer it).
  { code: 'AccessDenied', status: 403 },
];

/** What awsJson endpoints answer before an operation runs: an unsigned, malformed or misdirected request. */
const JSON_PROTOCOL: ErrorRule[] = [
  { code: 'MissingAuthenticationTokenException', status: 403 },
  { code: 'IncompleteSignatureException', status: 400 },
  { code: 'InvalidSignatureException', status: 400 },
  { code: 'UnknownOperationException', status: 400 },
  { code: 'SerializationException', status: 400 },
];

let throttling: ErrorRule[] | undefined;

/** The throttling codes botocore retries (`_retry.json`: Throttling, ThrottlingException, ...), with their status. */
function throttlingRules(): ErrorRule[] {
  throttling ??= Object.values(retryDefinitions()).flatMap((definition) => {
    const response = definition.applies_when?.response;
    const code = response?.service_error_code;
    const status = response?.http_status_code;
    return typeof code === 'string' && typeof status === 'number' ? [{ code, status }] : [];
  });
  return throttling;
}

/** The errors an operation may answer with, declared ones first. */
export function allowedErrors(model: ServiceModel, operation: string | undefined): ErrorRule[] {
  const declared = (operation ? (model.operations[operation]?.errors ?? []) : []).map(({ shape }) => {
    const error = model.shapes[shape];
    const status = error?.error?.httpStatusCode ?? (error?.fault ? 500 : 400);
    return { code: error?.error?.code ?? shape, status };
  });
  const protocol = model.metadata.protocol === 'query' ? QUERY : JSON_PROTOCOL;
  return [...declared, ...COMMON, ...protocol, ...throttlingRules()];
}
