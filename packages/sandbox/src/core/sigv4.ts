/** The parts of a SigV4 Authorization header the sandbox routes on. The signature itself is not verified. */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

export type SigV4Check =
  | { ok: true; scope: CredentialScope }
  | { ok: false; missing: true; message: string }
  | { ok: false; missing: false; message: string };

const CREDENTIAL = /^([^/\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request$/;

/**
 * Checks the header's presence and shape the way AWS does before it looks at anything else:
 * `AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, SignedHeaders=..., Signature=...`.
 */
export function checkSigV4(header: string | undefined): SigV4Check {
  if (!header || header.trim() === '') return { ok: false, missing: true, message: 'Missing Authentication Token' };
  const [algorithm, ...rest] = header.trim().split(/\s+/);
  if (algorithm !== 'AWS4-HMAC-SHA256') {
    return {
      ok: false,
      missing: false,
      message: `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Unsupported algorithm: ${algorithm ?? ''}`,
    };
  }
  const fields = new Map<string, string>();
  for (const part of rest.join(' ').split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  for (const required of ['Credential', 'SignedHeaders', 'Signature']) {
    if (!fields.get(required)) {
      return {
        ok: false,
        missing: false,
        message: `Authorization header requires '${required}' parameter. Authorization=${algorithm}`,
      };
    }
  }
  const match = CREDENTIAL.exec(fields.get('Credential') ?? '');
  if (!match) {
    return {
      ok: false,
      missing: false,
      message:
        "Credential should be scoped to a valid region, and a valid service. Expected '<key>/<yyyymmdd>/<region>/<service>/aws4_request'.",
    };
  }
  const [, accessKeyId = '', date = '', region = '', service = ''] = match;
  return { ok: true, scope: { accessKeyId, date, region, service } };
}
