/**
 * What a smoke test may be told, checked the same way whether it comes from the smoke-test action's inputs, a check
 * written in YAML or the release config. Light on purpose: the action reads its inputs with these before anything
 * heavy is loaded.
 */
import { WEB_URL, type Bounds, type Rule } from '@ecs-ship/action-kit';
import { parseJsonPath } from './json-path.js';

/** An HTTP field name: RFC 9110's token characters. */
export const HEADER_NAME: Rule = {
  what: 'an HTTP header name',
  fix: 'Use letters, digits and hyphens, such as X-Version',
  pattern: /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/,
};

export const JSON_PATH: Rule = {
  what: 'a JSON path',
  fix: 'Write a path such as version or build.sha',
  refine: (value) => {
    const parsed = parseJsonPath(value);
    return 'problem' in parsed ? parsed.problem : undefined;
  },
};

/** The base that check paths such as /health are appended to. */
export const BASE_URL: Rule = {
  what: 'an http or https URL',
  fix: WEB_URL.fix,
  refine: (value) => {
    try {
      new URL(value);
    } catch {
      return `"${value}" is not a URL`;
    }
    return WEB_URL.refine!(value);
  },
};

export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** The window in which failing checks are retried (milliseconds); 0 means a single round. */
export const WAIT_FOR_HEALTHY: Bounds = { min: 0, max: 3_600_000 };
export const CONSECUTIVE_SUCCESSES: Bounds = { min: 1, max: 100 };
/** How long one request may take (milliseconds). */
export const REQUEST_TIMEOUT: Bounds = { min: 100, max: 300_000 };
export const PROBE_DEFAULTS = {
  waitForHealthySeconds: 60,
  consecutiveSuccesses: 1,
  requestTimeoutSeconds: 10,
} as const;
