// AWS's API models as the oracle of every AWS exchange: each answer checked against its operation's output shape,
// each error against the errors the operation declares (code and HTTP status), each request the sandbox accepted
// against the input shape. Violations are kept until a test (or the harness) takes them; coverage is kept too.
import type { Exchange } from '../core/dispatch.js';
import { serviceModel, type ServiceModel } from './botocore.js';
import { Coverage } from './coverage.js';
import { allowedErrors } from './errors.js';
import { NEWER_MEMBERS } from './newer-members.js';
import { readQueryAnswer, readQueryError, readQueryRequest } from './query.js';
import { validate, type Violation } from './validate.js';

export interface ModelViolation extends Violation {
  /** botocore's name of the service: `ecs`, `ecr`, `logs`, `rds`. */
  service: string;
  operation: string;
  /** What was wrong: the request the sandbox accepted, its answer, or its error. */
  part: 'request' | 'answer' | 'error';
  status: number;
}

/** What an exchange is checked as: which model, protocol, operation. */
interface Subject {
  model: ServiceModel;
  protocol: 'json' | 'query';
  operation: string;
  /** botocore's name of the service. */
  service: string;
}

/** How the protocol writes values, and the members newer than the model. */
function rulesOf(subject: Subject) {
  return {
    timestamps: subject.protocol === 'json' ? ('epoch-seconds' as const) : ('iso8601' as const),
    newerMembers: NEWER_MEMBERS[subject.service],
  };
}

export function formatViolation(v: ModelViolation): string {
  return `${v.service} ${v.operation} ${v.part} (HTTP ${v.status}): ${v.path}: ${v.message}`;
}

export class ModelCheck {
  readonly coverage = new Coverage();
  private found: ModelViolation[] = [];

  /** Checks one finished exchange; non-AWS exchanges and lost connections have nothing to check. */
  observe(exchange: Exchange): void {
    const { call, answer } = exchange;
    if (exchange.protocol === 'http' || !answer || !call.apiModel) return;
    const model = serviceModel(call.apiModel);
    const operation = Object.hasOwn(model.operations, call.operation) ? call.operation : undefined;
    const add = (part: ModelViolation['part'], violations: Violation[]) => {
      for (const v of violations) {
        this.found.push({ ...v, service: call.apiModel!, operation: call.operation, part, status: answer.status });
      }
    };
    const body = typeof answer.body === 'string' ? answer.body : answer.body.toString('utf8');
    this.coverage.call(call.apiModel, call.operation, answer.status, answer.errorCode);
    if (answer.status >= 400) {
      add('error', this.checkError(model, exchange.protocol, operation, answer.status, answer.headers, body));
      return;
    }
    if (!operation) {
      add('answer', [
        { path: '(operation)', message: `${model.metadata.serviceId} has no operation ${call.operation}` },
      ]);
      return;
    }
    if (!exchange.handled) return;
    const subject: Subject = { model, protocol: exchange.protocol, operation, service: call.apiModel };
    add('request', this.checkRequest(subject, call.params));
    add('answer', this.checkAnswer(subject, body));
  }

  /** The violations found since the last call, which forgets them. */
  take(): ModelViolation[] {
    const found = this.found;
    this.found = [];
    return found;
  }

  private checkAnswer(subject: Subject, body: string): Violation[] {
    const { model, protocol, operation, service } = subject;
    const output = model.operations[operation]!.output;
    const options = { ...rulesOf(subject), visit: (path: string) => this.coverage.member(service, operation, path) };
    if (protocol === 'query') {
      const read = readQueryAnswer(model, operation, body);
      if (!output || read.value === undefined) return read.violations;
      return [...read.violations, ...validate(model, output.shape, read.value, options)];
    }
    let value: unknown;
    try {
      value = JSON.parse(body || '{}');
    } catch {
      return [{ path: '(root)', message: 'is not JSON' }];
    }
    if (!output) {
      const empty = typeof value === 'object' && value !== null && Object.keys(value).length === 0;
      return empty ? [] : [{ path: '(root)', message: `${operation} has no output, and the answer is not {}` }];
    }
    return validate(model, output.shape, value, options);
  }

  private checkRequest(subject: Subject, params: unknown): Violation[] {
    const { model, protocol, operation } = subject;
    const input = model.operations[operation]!.input;
    const options = rulesOf(subject);
    if (!input) return [];
    if (protocol === 'query') {
      const read = readQueryRequest(model, input.shape, params as Record<string, string>);
      return [...read.violations, ...validate(model, input.shape, read.value, options)];
    }
    return validate(model, input.shape, params ?? {}, options);
  }

  private checkError(
    model: ServiceModel,
    protocol: 'json' | 'query',
    operation: string | undefined,
    status: number,
    headers: Record<string, string>,
    body: string,
  ): Violation[] {
    const violations: Violation[] = [];
    let code: string | undefined;
    if (protocol === 'query') {
      const read = readQueryError(body);
      code = read.code;
      violations.push(...read.violations);
    } else {
      try {
        const parsed = JSON.parse(body) as { __type?: unknown; message?: unknown };
        code = typeof parsed.__type === 'string' ? parsed.__type.split('#').at(-1) : undefined;
        if (code === undefined) violations.push({ path: '__type', message: 'is missing' });
        if (typeof parsed.message !== 'string') violations.push({ path: 'message', message: 'is missing' });
      } catch {
        violations.push({ path: '(root)', message: 'is not JSON' });
      }
      const header = headers['x-amzn-errortype']?.split(':')[0];
      if (code !== undefined && header !== code) {
        violations.push({ path: 'x-amzn-ErrorType', message: `is ${header ?? 'missing'}, not ${code}` });
      }
    }
    if (code === undefined) return violations;
    const rules = allowedErrors(model, operation).filter((rule) => rule.code === code);
    if (rules.length === 0) {
      violations.push({
        path: code,
        message: `is not an error ${operation ?? 'this operation'} declares, nor one common to AWS services`,
      });
    } else if (!rules.some((rule) => rule.status === status)) {
      violations.push({
        path: code,
        message: `comes with HTTP ${status}, not ${rules.map((r) => r.status).join(' or ')}`,
      });
    }
    return violations;
  }
}
